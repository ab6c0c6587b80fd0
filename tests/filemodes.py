"""Permission bits of files, for the tests that check what is private."""

from __future__ import annotations

from pathlib import Path


def mode_of(path: Path) -> int:
    """The permission bits of ``path`` (0o600, 0o700, ...)."""
    return path.stat().st_mode & 0o777
