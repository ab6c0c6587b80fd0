"""Private files and folders: 0600 and 0700 whatever the umask, other files left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from filemodes import mode_of
from tearline.files import make_private, private_dir, private_text, write_private

pytestmark = pytest.mark.usefixtures("permissive_umask")


def test_folders_are_created_0700_with_their_missing_parents(tmp_path: Path) -> None:
    private_dir(tmp_path / "a" / "b" / "c")
    assert [mode_of(tmp_path / p) for p in ("a", "a/b", "a/b/c")] == [0o700] * 3
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    private_dir(shared)
    assert mode_of(shared) == 0o755  # an output folder the user chose stays as it is
    private_dir(shared, tighten=True)
    assert mode_of(shared) == 0o700  # a workspace is made private


def test_files_are_written_0600_also_over_wider_ones(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text("x" * 100)
    os.chmod(old, 0o644)
    with private_text(old) as fh:
        fh.write("ñ")
    assert mode_of(old) == 0o600 and old.read_text(encoding="utf-8") == "ñ"
    write_private(tmp_path / "new.pdf", b"%PDF", sync=True)
    assert mode_of(tmp_path / "new.pdf") == 0o600
    with pytest.raises(FileExistsError):
        write_private(tmp_path / "new.pdf", b"again", exclusive=True)
    assert (tmp_path / "new.pdf").read_bytes() == b"%PDF"


def test_only_regular_files_of_this_user_are_chmodded(tmp_path: Path) -> None:
    before = mode_of(Path("/dev/null"))
    write_private(Path("/dev/null"), b"to a device, as with --out /dev/stdout")
    assert mode_of(Path("/dev/null")) == before
    wide = tmp_path / "db"
    wide.write_bytes(b"")
    os.chmod(wide, 0o664)
    make_private(wide)
    assert mode_of(wide) == 0o600
    os.chmod(wide, 0o400)
    make_private(wide)
    assert mode_of(wide) == 0o400  # narrowed only, never widened
    make_private(tmp_path / "absent")
