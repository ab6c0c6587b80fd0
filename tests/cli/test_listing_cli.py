"""What a person reads from listings, records and exports: whole ids, a way to the next
page, one JSON object per record with each value's provenance, reasons said once, and
no file overwritten without being asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_ws import EXAMPLES, CliWorkspace, dea_workspace

DATA = Path(__file__).parent / "data"
SOD = ["--as", "us.dea.sod"]


def test_tables_never_cut_ids_and_say_how_to_get_the_next_page(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    ws.ok("ingest", DATA / "long_ids.jsonl", *SOD)
    every = [r["id"] for r in json.loads(ws.ok("list", *SOD, "-f", "json").stdout)]
    assert len(every) == 5 and all(len(i) > 40 for i in every)
    ws.width = 80  # a person's terminal
    first = ws.ok("list", *SOD, "--limit", "3")
    for record_id in every[:3]:
        assert record_id in first.stdout, first.stdout
    # the next page, as a command a person can run as printed
    hint = first.stderr.strip()
    assert hint == f"next page: tearline list --as us.dea.sod --after {every[2]} --limit 3"
    second = ws.ok(*hint.removeprefix("next page: tearline ").split())
    assert all(record_id in second.stdout for record_id in every[3:])
    assert second.stderr == ""  # the last page: no next one
    # JSON stays JSON: the hint is on stderr
    assert len(json.loads(ws.ok("list", *SOD, "--limit", "3", "-f", "json").stdout)) == 3
    found = ws.ok("search", "beltran", *SOD)
    assert all(record_id in found.stdout for record_id in every) and found.stderr == ""
    assert ws.ok("search", "beltran", *SOD, "--limit", "2").stderr == (
        "the first 2 results: --limit 4 shows more\n")


def _entities(ws: CliWorkspace) -> None:
    ws.ok("ingest", EXAMPLES / "entities.jsonl", *SOD, "--tlp", "AMBER",
          "--reliability", "B", "--credibility", "2")


def test_show_json_is_one_record_object_with_each_values_provenance(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    _entities(ws)
    shown = json.loads(ws.ok("show", "us.dea.sod..p-2", *SOD, "--format", "json").stdout)
    assert isinstance(shown, dict)
    assert (shown["id"], shown["schema"], shown["originator"], shown["author"]) == (
        "us.dea.sod..p-2", "Person", "us.dea", "us.dea.sod")
    assert shown["marking"]["tlp"] == "AMBER"
    values = {(s["prop"], s["value"]): s for s in shown["statements"]}
    assert set(values) == {("name", "Juan PEREZ"), ("phone", "+526671234567")}
    for st in values.values():
        assert (st["origin"], st["author"], st["grade"]) == ("us.dea", "us.dea.sod", "B2")
        assert st["id"] and st["first_seen"].endswith("Z")
    assert values["name", "Juan PEREZ"]["marking"] is None  # the record's
    assert values["phone", "+526671234567"]["marking"]["tlp"] == "RED"
    one_line = ws.ok("show", "us.dea.sod..p-2", *SOD, "--format", "jsonl").stdout
    assert json.loads(one_line) == shown and one_line.count("\n") == 1


def test_export_keeps_provenance_and_never_overwrites_unasked(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    _entities(ws)
    out = tmp_path / "visible.jsonl"
    ws.ok("export", "--out", out, *SOD)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 4
    for line in lines:
        assert {(s["origin"], s["author"], s["grade"]) for s in line["statements"]} == {
            ("us.dea", "us.dea.sod", "B2")}
    before = out.read_text()
    said = ws.fails(1, "export", "--out", out, *SOD, "--schema", "Person")
    assert said == f"error (conflict): {out} exists: nothing was exported (--force overwrites it)"
    assert out.read_text() == before
    ws.ok("export", "--out", out, *SOD, "--schema", "Person", "--force")
    assert len(out.read_text().splitlines()) == 2
    # an exported file is read back by ingest: its records are the unit's own already
    again = ws.ok("ingest", out, *SOD, "--tlp", "AMBER", "--reliability", "B",
                  "--credibility", "2")
    assert "0 new records, 0 changed, 0 new statements" in again.stdout


def test_policy_explain_says_each_reason_once(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    ws = dea_workspace(tmp_path)
    _entities(ws)
    rows = json.loads(ws.ok("policy", "explain", "us.dea.sod..p-1", *SOD, "-f", "json").stdout)
    assert [r["property"] for r in rows] == ["(record)", "birthDate", "name", "nationality"]
    assert len({r["why"] for r in rows[1:]}) == 1  # one reason, three values
    table = ws.ok("policy", "explain", "us.dea.sod..p-1", *SOD).stdout
    body = [line for line in table.splitlines() if line.startswith("│")]
    assert len(body) == 2, table
    assert "birthDate, name, nationality" in body[1] and "3 values" in body[1]
    assert "authored it" in table
    with monkeypatch.context() as spanish:  # the reasons in the reader's language
        spanish.setenv("TEARLINE_LANG", "es-MX")
        said = ws.ok("policy", "explain", "us.dea.sod..p-1", *SOD).stdout
    assert "lo redactó" in said and "authored it" not in said
    # values under different markings are different groups
    table = ws.ok("policy", "explain", "us.dea.sod..p-2", *SOD).stdout
    body = [line for line in table.splitlines() if line.startswith("│")]
    assert [("name" in line, "phone" in line) for line in body[1:]] == [
        (True, False), (False, True)], table
