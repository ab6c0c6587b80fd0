"""``tearline resolve pairs``: two entity files compared, nothing stored (cli/resolve.py)."""

from __future__ import annotations

import csv
from pathlib import Path

from cli_ws import CliWorkspace

DATA = Path(__file__).parents[1] / "resolve" / "data"


def test_pairs_writes_the_candidate_pairs_and_stores_nothing(tmp_path: Path) -> None:
    ws = CliWorkspace(tmp_path)
    out = tmp_path / "pairs.csv"
    result = ws.ok("resolve", "pairs", DATA / "left.jsonl", DATA / "right.jsonl", "--out", out,
                   "--quiet")
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["left_id", "right_id", "score", "decision"]
    matches = {(r["left_id"], r["right_id"]) for r in rows if r["decision"] == "match"}
    assert ("mx-1", "us-1") in matches and ("mx-3", "us-3") not in matches
    assert all(0.0 <= float(r["score"]) <= 1.0 for r in rows)
    assert "1 entities not of schema Person skipped" in result.output
    assert not (tmp_path / "tearline.sqlite").exists()


def test_pairs_refuses_a_broken_file_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "schema": "Person", "properties": {"name": ["A B"]}}\n'
                   "not json\n", encoding="utf-8")
    said = CliWorkspace(tmp_path).fails(2, "resolve", "pairs", bad, DATA / "right.jsonl",
                                        "--out", tmp_path / "o.csv", "--quiet")
    assert "bad.jsonl:2: not JSON" in said
    assert not (tmp_path / "o.csv").exists()


def test_pairs_names_a_missing_file(tmp_path: Path) -> None:
    said = CliWorkspace(tmp_path).fails(3, "resolve", "pairs", tmp_path / "none.jsonl",
                                        DATA / "right.jsonl", "--out", tmp_path / "o.csv")
    assert "no such file" in said
