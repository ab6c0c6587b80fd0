"""Files and folders tearline writes, private to their owner whatever the umask.

A workspace holds intelligence, keys and the audit log; reports and exports hold what
one unit may see. None of it is for other accounts on the machine, so every folder
tearline creates is 0700 and every file it writes is 0600, set explicitly: the mode
given to ``open``/``mkdir`` is narrowed by the process's umask but never widened, and
a file that already existed keeps its old mode unless changed here.

Only regular files of this user are chmodded: ``--out /dev/stdout`` writes to the
terminal or pipe without changing its mode. Folders that existed before are left as
they are unless the caller owns them as tearline's (the workspace: :func:`private_dir`
``tighten``), since an output folder may be a shared one the user chose.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path, tighten: bool = False) -> Path:
    """``path`` as a folder, created 0700 if missing (its missing parents too).

    ``tighten``: an existing folder owned by this user is made 0700 as well (for the
    workspace, which is tearline's by definition; a folder of someone else is left).
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    for created in missing:
        os.chmod(created, DIR_MODE)
    if tighten and not missing:
        info = path.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != DIR_MODE:
            os.chmod(path, DIR_MODE)
    return path


def make_private(path: Path) -> None:
    """Take the group's and others' access away from an existing regular file of this
    user (nothing if it is absent, not a regular file, or someone else's)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and mode & 0o077:
        os.chmod(path, mode & 0o700)


def _open_fd(path: Path, exclusive: bool) -> int:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid():
            os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def private_text(path: Path, exclusive: bool = False) -> Iterator[IO[str]]:
    """``path`` opened for writing UTF-8 text as a 0600 file (truncated if it existed;
    ``exclusive``: :class:`FileExistsError` if it exists)."""
    with os.fdopen(_open_fd(path, exclusive), "w", encoding="utf-8") as fh:
        yield fh


@contextmanager
def private_binary(path: Path) -> Iterator[IO[bytes]]:
    """``path`` opened for writing bytes as a 0600 file (truncated if it existed)."""
    with os.fdopen(_open_fd(path, exclusive=False), "wb") as fh:
        yield fh


def write_private(path: Path, data: bytes, exclusive: bool = False, sync: bool = False) -> None:
    """Write ``data`` to ``path`` as a 0600 file. ``exclusive``: refuse if it exists
    (two writers cannot both create it); ``sync``: on disk before returning."""
    with os.fdopen(_open_fd(path, exclusive), "wb") as fh:
        fh.write(data)
        if sync:
            fh.flush()
            os.fsync(fh.fileno())
