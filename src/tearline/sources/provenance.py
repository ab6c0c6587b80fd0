"""Where a series came from: file name, SHA-256 of its bytes, and its row count."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FileProvenance:
    """One input file as it was read.

    ``name`` is the file name only (not the full path), so that the same file read
    from two checkouts gives the same provenance and the same report digest.
    """

    name: str
    sha256: str
    rows: int

    def to_dict(self) -> dict[str, str | int]:
        return {"name": self.name, "sha256": self.sha256, "rows": self.rows}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def provenance_of(path: Path, data: bytes, rows: int) -> FileProvenance:
    return FileProvenance(name=path.name, sha256=sha256_hex(data), rows=rows)


def decode_text(data: bytes) -> str:
    """Decode a data file: UTF-8, with or without a byte-order mark."""
    return data.decode("utf-8-sig")
