"""Provenance: file name, SHA-256 of the bytes, row count."""

from __future__ import annotations

from pathlib import Path

import pytest

from tearline.sources.provenance import decode_text, provenance_of, sha256_hex


def test_sha256_of_known_bytes() -> None:
    assert sha256_hex(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_provenance_keeps_only_the_file_name() -> None:
    prov = provenance_of(Path("/somewhere/deep/file.csv"), b"abc", 7)
    assert prov.to_dict() == {"name": "file.csv", "sha256": sha256_hex(b"abc"), "rows": 7}


def test_byte_order_mark_is_dropped_and_bad_bytes_refused() -> None:
    assert decode_text(b"\xef\xbb\xbfFY,Month") == "FY,Month"
    with pytest.raises(UnicodeDecodeError):
        decode_text(b"\xff\xfe")
