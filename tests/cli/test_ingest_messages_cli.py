"""A file ingest cannot use gets one sentence saying why and what to do — not a line per
row — and the documented example (examples/) ingests as docs/ingest.md says."""

from __future__ import annotations

import json
from pathlib import Path

from cli_ws import EXAMPLES, dea_workspace, said

SOD = ["--as", "us.dea.sod"]
CSV, MAPPING = EXAMPLES / "seizures.csv", EXAMPLES / "seizures.mapping.yml"


def test_the_example_csv_and_mapping_ingest_as_documented(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    done = said(ws.ok("ingest", CSV, "--mapping", MAPPING, *SOD))
    assert "seizures.csv: 4 new records, 0 changed, 32 new statements" in done
    listed = json.loads(ws.ok("list", *SOD, "--schema", "Seizure", "-f", "json").stdout)
    assert len(listed) == 4
    assert all(r["id"].startswith("us.dea.sod..sod-seizure-") for r in listed)
    shown = [json.loads(ws.ok("show", r["id"], *SOD, "-f", "json").stdout) for r in listed]
    by_case = {(s["properties"]["drug"][0], s["properties"]["grossWeight"][0]) for s in shown}
    # units read and converted to kilograms, Spanish drug names made canonical
    assert by_case == {("fentanyl", "12.5"), ("methamphetamine", "340"), ("cocaine", "51.2"),
                       ("heroin", "0.8")}
    assert all(s["marking"]["tlp"] == "AMBER+STRICT" for s in shown)  # without --tlp
    again = said(ws.ok("ingest", CSV, "--mapping", MAPPING, *SOD))
    assert "0 new records, 0 changed, 0 new statements" in again


def test_a_csv_without_a_mapping_is_told_it_needs_one(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    refused = ws.fails(2, "ingest", CSV, *SOD)
    assert refused.startswith("error: seizures.csv is not FollowTheMoney JSON lines")
    assert "needs --mapping FILE" in refused and "invalid JSON" not in refused
    renamed = tmp_path / "seizures.txt"
    renamed.write_text(CSV.read_text())
    assert "needs --mapping FILE" in ws.fails(2, "ingest", renamed, *SOD)


def test_a_file_that_is_not_an_sdn_list_is_told_so_once(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    refused = ws.invoke("import-ofac", CSV, *SOD)
    assert refused.exit_code == 2
    assert refused.output.startswith("error: seizures.csv: this is not an SDN file\n")
    assert len(refused.output.strip().splitlines()) <= 4, refused.output
    assert "12 comma-separated columns" in said(refused)
    alt = tmp_path / "alt.csv"
    alt.write_text(CSV.read_text())
    sdn = Path(__file__).resolve().parents[3] / "shared" / "data" / "ofac" / "sdn_2022-01.csv"
    if sdn.exists():
        wrong = ws.fails(2, "import-ofac", sdn, "--alt", alt, *SOD)
        assert wrong.startswith("error: alt.csv: this is not an alt file")


def test_reingesting_under_another_marking_refuses_and_names_mark(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path)
    ws.ok("ingest", EXAMPLES / "entities.jsonl", *SOD, "--tlp", "AMBER")
    refused = ws.fails(2, "ingest", EXAMPLES / "entities.jsonl", *SOD, "--tlp", "RED")
    assert refused.startswith("error: entities.jsonl rejected; nothing was stored: ingest "
                              "does not change the marking of values already stored")
    assert "`tearline mark ID" in refused
    assert ("us.dea.sod..p-1: name 'Marcos Arturo BELTRAN LEYVA' is stored marked TLP:AMBER; "
            "the file marks it TLP:RED") in refused
    shown = json.loads(ws.ok("show", "us.dea.sod..p-1", *SOD, "-f", "json").stdout)
    assert shown["marking"]["tlp"] == "AMBER"
    assert all(s["marking"] is None for s in shown["statements"])
    # new values under a narrower marking are still a portion of their own
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "p-1", "schema": "Person",
                                 "properties": {"alias": ["El Barbas"]}}) + "\n")
    ws.ok("ingest", extra, *SOD, "--tlp", "RED")
    shown = json.loads(ws.ok("show", "us.dea.sod..p-1", *SOD, "-f", "json").stdout)
    assert {s["prop"]: (s["marking"] or {}).get("tlp") for s in shown["statements"]}[
        "alias"] == "RED"
    # the originator changes a marking with `mark`, and ingest then agrees
    ws.ok("mark", "us.dea.sod..p-1", *SOD, "--tlp", "RED")
    person = tmp_path / "p-1.jsonl"
    person.write_text((EXAMPLES / "entities.jsonl").read_text().splitlines()[0] + "\n")
    again = said(ws.ok("ingest", person, *SOD, "--tlp", "RED"))
    assert "0 new records, 0 changed, 0 new statements" in again
