"""Turning input bytes into text: encoding decisions for OFAC files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tearline.errors import IngestError
from tearline.ingest.files import decode_input, open_sdn_text


def test_ascii_with_dos_eof_marker_and_bom() -> None:
    assert decode_input(b'\xef\xbb\xbf1,"A"\r\n\x1a', "f.csv") == '1,"A"\r\n'


def test_latin1_bytes_are_rejected_unless_named(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(b'1,"OK"\n2,"PE\xd1A, Jos\xe9"\n')
    with pytest.raises(IngestError) as caught:
        open_sdn_text(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("sdn.csv", 2)
    assert "0xd1" in problem.message
    assert open_sdn_text(path, encoding="latin-1").splitlines()[1] == '2,"PEÑA, José"'


def test_utf16_is_rejected() -> None:
    with pytest.raises(IngestError) as caught:
        decode_input('1,"A"\n'.encode("utf-16"), "u.csv")
    assert caught.value.problems


def test_binary_with_nul_is_rejected() -> None:
    with pytest.raises(IngestError, match="not a text file"):
        decode_input(b'1,"A"\n2,\x00\x00\x01', "b.csv")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot read"):
        open_sdn_text(tmp_path / "absent.csv")


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u061c"])
def test_a_bidirectional_control_is_refused_with_line_and_column(char: str) -> None:
    data = f'{{"id": "a"}}\n{{"id": "b", "name": "x{char}y"}}\n'.encode()
    with pytest.raises(IngestError) as caught:
        decode_input(data, "people.jsonl")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("people.jsonl", 2, "23")
    assert f"U+{ord(char):04X}" in problem.message
    assert str(problem).startswith("people.jsonl:2:23: bidirectional control character")
