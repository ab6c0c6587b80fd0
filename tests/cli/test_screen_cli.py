"""``tearline screen`` and the designations report of ``import-ofac`` on the real lists:
the January 2022 SDN list, then the May 2024 one (narcotics programs), over records of
the field (``data/field_people.jsonl``) and a partner's list (``data/partner_list.csv``).

To keep the suite fast, both lists are cut to the same tenth of their entries (ent_num
ending in 0) plus the entries the field records are about, in code from the published
files; the full lists are checked the same way by ``docs/network.md``'s command.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_ws import CliWorkspace, dea_workspace

from tearline.ingest.files import open_sdn_text
from tearline.ingest.ofac import parse_sdn

DATA = Path(__file__).parent / "data"
SOD = "us.dea.sod"


#: the entries the field records and the partner's list are about
KEEP = {"33935", "34396", "35272", "35273", "35265", "10899"}


def _listed(path: Path, lines: list[str]) -> set[str]:
    return {e.ent_num for e in parse_sdn(lines, path.name)}


def _cut(lines: list[str]) -> list[str]:
    """The entries whose ent_num ends in 0, and :data:`KEEP`'s."""
    out = []
    for line in lines:
        ent_num = next(csv.reader([line]))[0]
        if ent_num.endswith("0") or ent_num in KEEP:
            out.append(line)
    return out


World = tuple[CliWorkspace, dict[str, Any], set[str]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[World]:
    root = tmp_path_factory.mktemp("screen")
    ws = dea_workspace(root)
    old, new = data_dir / "ofac" / "sdn_2022-01.csv", data_dir / "ofac" / "sdn_2024-05-03.csv"
    # the published 2022 file ends with a stray row reusing ent_num 2677: left out
    old_lines = _cut(open_sdn_text(old).splitlines()[:-1])
    new_lines = _cut(open_sdn_text(new).splitlines())
    files = {}
    for name, lines in (("sdn_2022-01.csv", old_lines), ("sdn_2024-05-03.csv", new_lines)):
        files[name] = root / name
        files[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = ws.ok("import-ofac", files["sdn_2022-01.csv"], "--as", SOD)
    assert "new designation" in first.output
    ws.ok("ingest", DATA / "field_people.jsonl", "--as", SOD, "--tlp", "GREEN")
    ws.ok("import-ofac", files["sdn_2024-05-03.csv"], "--as", SOD, "--report",
          root / "second.json")
    report = json.loads((root / "second.json").read_text(encoding="utf-8"))
    expected = (_listed(files["sdn_2024-05-03.csv"], new_lines)
                - _listed(files["sdn_2022-01.csv"], old_lines))
    yield ws, report, expected


def test_reimport_reports_exactly_the_new_designations(world: World) -> None:
    _, report, expected = world
    assert len(expected) > 20 and {"33935", "34396"} <= expected
    assert set(report["new_designations"]) == expected


def test_existing_records_that_hit_a_new_designation_are_reported(world: World) -> None:
    _, report, _ = world
    hits = {(h["entity_id"], h["list_id"]) for h in report["hits"]}
    assert ("us.dea.sod..fp-orozco", "33935") in hits or ("fp-orozco", "33935") in hits
    named = {h["entity_id"].rsplit("..", 1)[-1] for h in report["hits"]}
    assert {"fp-orozco", "fp-valdes"} <= named
    # a namesake with another CURP, a person listed before 2024, and nobody: no new hit
    assert not named & {"fp-namesake", "fp-beltran", "fp-nobody"}
    orozco = next(h for h in report["hits"] if h["entity_id"].endswith("fp-orozco"))
    assert orozco["programs"] == ["ILLICIT-DRUGS-EO14059"]
    assert any("birth date 1967-02-16 on both" in e for e in orozco["evidence"])


def test_screen_the_store(world: World) -> None:
    ws, _, _ = world
    rows = json.loads(ws.ok("screen", "--as", SOD, "-f", "json").output)
    found = {(r["entity_id"].rsplit("..", 1)[-1], r["list_id"]) for r in rows}
    assert {("fp-orozco", "33935"), ("fp-valdes", "34396")} <= found
    assert any(e == "fp-beltran" for e, _ in found)  # listed since before 2022
    assert not any(e in ("fp-namesake", "fp-nobody") for e, _ in found)
    assert all(r["score"] >= 0.75 and r["programs"] for r in rows)


def test_screen_a_partners_file(world: World) -> None:
    ws, _, _ = world
    rows = json.loads(ws.ok("screen", DATA / "partner_list.csv", "--as", SOD,
                            "-f", "json").output)
    by_id = {r["entity_id"]: r for r in rows}
    assert by_id["pl-1"]["list_id"] == "35273" and by_id["pl-1"]["decision"] == "match"
    assert by_id["pl-2"]["score"] == 1.0  # the CURP decides
    assert any("identity number (CURP) RICR701208HSRVHL06" in e for e in by_id["pl-2"]["evidence"])
    assert "pl-4" not in by_id


def test_bad_input_is_refused_with_its_place(world: World, tmp_path: Path) -> None:
    ws, _, _ = world
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\nx-1,\n", encoding="utf-8")
    said = ws.fails(2, "screen", bad, "--as", SOD)
    assert "bad.csv" in said and "empty name" in said
    assert "min-score" in ws.fails(2, "screen", "--as", SOD, "--min-score", "2")
