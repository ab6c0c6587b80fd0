"""A queue in the kernel for SQLite writers of several processes (the group commits of reads).

SQLite lets one connection write at a time. A connection that finds the file locked
sleeps in its busy handler, in naps growing to 100 ms, instead of waking when the lock
frees. With several server processes (``tearline serve --workers N``) each committing
read entries many times a second, those naps made the slowest reads wait hundreds of
milliseconds behind commits that took three. A writer that first takes this file lock
(``flock``) waits in the kernel and wakes as soon as the holder lets go. The lock only
orders the writers that take it; SQLite's own locking still guards the file, for them
and for every other writer.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: SQLite's busy handler alone
    fcntl = None  # type: ignore[assignment]


class WriteQueue:
    """An exclusive lock beside a SQLite file, shared by every process that opens it."""

    def __init__(self, database: Path | None) -> None:
        self._path = None if database is None or fcntl is None else Path(f"{database}-writers")
        self._fd: int | None = None
        self._threads = threading.Lock()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Held while one write transaction runs."""
        with self._threads:
            if self._path is None:
                yield
                return
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._threads:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
