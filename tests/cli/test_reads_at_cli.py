"""`--as` and `--at` on `show`, `search`, `list` and `stats`, on a demo-loaded store, on
every backend.

Each answer is checked for its exit status and its content — against what the demo's
markings say each unit may see, worked out here from the records themselves — and
`--at` must change it: a vetting with an end, and a marking that expires, show a record
to a unit before the instant and not from it on. A record hidden at an instant answers
exactly as one that never existed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from demo_world import NEVER, DemoWorkspace, load, no_portion

from tearline.demo import scenario as sc
from tearline.model.marking import Selector
from tearline.store.store import Store

VETTED_BY_US = Selector.parse(f"vetted-by:{sc.US_DEA}")


@pytest.fixture
def ws(store: Store, db_url: str, tmp_path: Path, data_dir: Path) -> DemoWorkspace:
    return load(store, db_url, tmp_path, data_dir)


def as_json(ws: DemoWorkspace, *args: str) -> Any:
    result = ws.invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def listed(ws: DemoWorkspace, unit: str, at: str) -> list[str]:
    rows = as_json(ws, "list", "--as", unit, "--at", at, "--schema", "Person", "--limit", "500")
    assert all(r["schema"] == "Person" for r in rows)
    return [r["id"] for r in rows]


def counts(ws: DemoWorkspace, unit: str, at: str) -> dict[str, int]:
    return {r["schema"]: r["records"] for r in as_json(ws, "stats", "--as", unit, "--at", at)}


def found(ws: DemoWorkspace, query: str, unit: str, at: str) -> list[str]:
    return [r["id"] for r in as_json(ws, "search", query, "--as", unit, "--at", at)]


def test_a_vetting_with_an_end_decides_show_search_list_and_stats_at_each_instant(
    ws: DemoWorkspace,
) -> None:
    inside, after = "2022-06-01T00:00:00Z", "2023-01-01T00:00:00Z"
    persons = [r for r in ws.records if r.schema == "Person"]
    own = sorted(r.id for r in persons if r.originator == sc.MX_FGR)
    vetted = sorted(r.id for r in persons
                    if r.originator == sc.US_DEA and VETTED_BY_US in r.marking.releasable_to)
    assert own and vetted
    rec = ws.pick("Person", sc.US_DEA, sc.US_VETTED, no_portion)
    name = rec.caption()
    ws.ok("vet", sc.FEMDO, "--by", sc.US_DEA, "--from", "2022-01-01T00:00:00Z",
          "--until", after)

    said = ws.ok("show", rec.id, "--as", sc.FEMDO, "--at", inside)
    assert said.startswith(f"{name} Person {rec.id} v1 SYNTHETIC")
    assert f"marking: {rec.marking} originator: us.dea" in said
    for value in rec.values("lastName"):
        assert value in said
    hidden = ws.fails(3, "show", rec.id, "--as", sc.FEMDO, "--at", after)
    assert hidden == f"not found: no record '{rec.id}'"
    assert hidden.replace(rec.id, NEVER) == ws.fails(3, "show", NEVER, "--as", sc.FEMDO,
                                                     "--at", after)

    assert listed(ws, sc.FEMDO, inside) == sorted(own + vetted)
    assert listed(ws, sc.FEMDO, after) == own
    table = ws.ok("list", "--as", sc.FEMDO, "--at", inside, "--schema", "Person")
    assert rec.id in table and name in table and "SYNTHETIC" in table

    assert found(ws, name, sc.FEMDO, inside) == [rec.id]
    assert found(ws, name, sc.FEMDO, after) == [] == found(ws, "Zyxwvut", sc.FEMDO, after)
    assert found(ws, name, sc.SOD, after) == [rec.id]  # its originator, unaffected
    assert f"1 results for '{name}' as unit:mx.fgr.femdo" in ws.ok(
        "search", name, "--as", sc.FEMDO, "--at", inside)

    before_vetting = counts(ws, sc.FEMDO, "2021-12-31T23:59:59Z")
    assert before_vetting["Person"] == len(own)
    assert counts(ws, sc.FEMDO, inside)["Person"] == len(own) + len(vetted)
    assert counts(ws, sc.FEMDO, after) == before_vetting
    table = ws.ok("stats", "--as", sc.FEMDO, "--at", inside)
    assert "Records visible to unit:mx.fgr.femdo" in table
    assert f"Person │ {len(own) + len(vetted)} │" in table


def test_a_marking_that_expires_takes_the_record_from_partners_at_that_instant(
    ws: DemoWorkspace,
) -> None:
    rec = ws.pick("Person", sc.US_DEA, sc.US_VETTED, no_portion)
    name = rec.caption()
    before, expiry = "2024-05-31T23:59:59.999999Z", "2024-06-01T00:00:00Z"
    persons = counts(ws, sc.UIE, before)["Person"]
    listing = listed(ws, sc.UIE, before)
    assert rec.id in listing

    said = ws.ok("mark", rec.id, "--as", sc.SOD, "--tlp", "AMBER", "--rel-to",
                 f"vetted-by:{sc.US_DEA}", "--legal-basis", sc.SECURITY_FRAMEWORK,
                 "--expires", expiry)
    assert said.startswith(f"{rec.id}: the record now marked TLP:AMBER // REL TO "
                           "vetted-by:us.dea")

    # an analyst acts for their unit: the same answers as the unit's
    for who in (sc.UIE, f"ana@{sc.UIE}"):
        assert name in ws.ok("show", rec.id, "--as", who, "--at", before)
        assert ws.fails(3, "show", rec.id, "--as", who, "--at", expiry) == (
            f"not found: no record '{rec.id}'")
        assert found(ws, name, who, before) == [rec.id]
        assert found(ws, name, who, expiry) == []
    assert listed(ws, sc.UIE, before) == listing
    assert listed(ws, sc.UIE, expiry) == [i for i in listing if i != rec.id]
    assert counts(ws, sc.UIE, before)["Person"] == persons
    assert counts(ws, sc.UIE, expiry)["Person"] == persons - 1
    # inside the originating agency the record stays, after the expiry too
    assert name in ws.ok("show", rec.id, "--as", sc.EL_PASO, "--at", expiry)
    assert rec.id in listed(ws, sc.EL_PASO, expiry)


def test_as_and_at_are_required_and_checked(ws: DemoWorkspace) -> None:
    rec = ws.pick("Person", sc.US_DEA, sc.US_VETTED, no_portion)
    for args in (("show", rec.id), ("search", "lorena"), ("list",), ("stats",)):
        assert ws.fails(2, *args).startswith("error: say who is acting: --as UNIT")
        assert "invalid timestamp 'last tuesday'" in ws.fails(
            2, *args, "--as", sc.SOD, "--at", "last tuesday")
        assert "no unit 'mx.fgr.nobody'" in ws.fails(2, *args, "--as", "mx.fgr.nobody")
