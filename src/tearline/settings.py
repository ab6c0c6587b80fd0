"""Configuration from the environment (``TEARLINE_*``) and the workspace folder.

A workspace is a folder holding the node's files: the SQLite database (unless
``TEARLINE_DB_URL`` points elsewhere, e.g. at PostgreSQL), and ``keys/`` with the
node's signing key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WORKSPACE = Path("workspace")


@dataclass(frozen=True, slots=True)
class Settings:
    workspace: Path
    db_url: str
    data_dir: Path

    @property
    def keys_dir(self) -> Path:
        return self.workspace / "keys"

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
