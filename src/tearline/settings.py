"""Configuration from the environment (``TEARLINE_*``) and the workspace folder.

A workspace is a folder holding the node's files: the SQLite database (unless
``TEARLINE_DB_URL`` points elsewhere, e.g. at PostgreSQL), and ``keys/`` with the
node's signing key. It is private to its owner: folders 0700, files 0600
(:mod:`tearline.files`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tearline.files import private_dir

DEFAULT_WORKSPACE = Path("workspace")


@dataclass(frozen=True, slots=True)
class Settings:
    workspace: Path
    db_url: str
    data_dir: Path

    @property
    def keys_dir(self) -> Path:
        return self.workspace / "keys"

    def make_workspace(self) -> Path:
        """Create the workspace folder (0700), or make an existing one of this user 0700."""
        return private_dir(self.workspace, tighten=True)

    @classmethod
    def load(cls, workspace: Path | None = None, db_url: str | None = None) -> Settings:
        ws = workspace or Path(os.environ.get("TEARLINE_WORKSPACE", DEFAULT_WORKSPACE))
        url = db_url or os.environ.get("TEARLINE_DB_URL") or f"sqlite:///{ws / 'tearline.sqlite'}"
        data = Path(os.environ.get("TEARLINE_DATA_DIR", _default_data_dir()))
        return cls(workspace=ws, db_url=url, data_dir=data)


def _default_data_dir() -> Path:
    """``shared/data`` beside the repository (a source checkout), else ``./data``."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if (parent / "pyproject.toml").exists() and candidate.exists():
            return candidate
    return Path("data")
