"""Honeytokens (``tearline canary …``, ``store/trace_store.py``): a canary released to one
recipient raises an alert naming it when it comes back from anyone else — a search, an
imported file, a deconfliction check, a partner's feed — and never for the recipient."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from trace_world import AGREEMENT, Workspace, seed

from store_template import copy_to
from tearline.store import Store, audit_log, trace_store

SEMAR, FGR, SSPC = "mx.semar.uie", "mx.fgr.aic", "mx.sspc.gn"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory, store_template: Path) -> Workspace:
    root = tmp_path_factory.mktemp("canary")
    url = copy_to(store_template, f"sqlite:///{root / 'tearline.sqlite'}")
    store = Store.open(url)
    try:
        seed(store)
    finally:
        store.close()
    made = Workspace(root, url)
    made.ok("canary", "plant", "--for", SEMAR, "--by", "us.dea.sod", "--legal-basis", AGREEMENT)
    return made


def planted(ws: Workspace) -> dict[str, str]:
    [row] = json.loads(ws.ok("canary", "list", "--format", "json").stdout)
    store = Store.open(ws.db_url)
    try:
        with store.reading() as conn:
            [p] = trace_store.planted(conn)
    finally:
        store.close()
    return {**row, "name": p.canary.name, "phone": p.canary.phone}


def alerts(ws: Workspace) -> list[dict[str, str]]:
    return list(json.loads(ws.ok("canary", "alerts", "--format", "json").stdout))


def test_the_canary_reaches_its_recipient_only(ws: Workspace) -> None:
    canary = planted(ws)
    assert canary["recipient"] == f"unit:{SEMAR}"
    shown = ws.ok("show", canary["entity_id"], "--as", SEMAR, "--format", "json").stdout
    assert json.loads(shown)["marking"]["tlp"] == "RED"
    assert ws.invoke("show", canary["entity_id"], "--as", FGR).exit_code == 3


def test_the_recipient_searching_its_own_copy_raises_nothing(ws: Workspace) -> None:
    before = len(alerts(ws))
    ws.ok("search", planted(ws)["name"], "--as", SEMAR)
    assert len(alerts(ws)) == before


def test_a_search_by_another_unit_names_the_recipient(ws: Workspace) -> None:
    canary = planted(ws)
    ws.ok("search", canary["name"].upper(), "--as", FGR)
    latest = alerts(ws)[0]
    assert latest == {**latest, "entity_id": canary["entity_id"], "recipient": f"unit:{SEMAR}",
                      "returned_by": f"unit:{FGR}", "path": "search", "selector": "name"}


def test_an_imported_file_holding_the_canary_names_the_recipient(
        ws: Workspace, tmp_path: Path) -> None:
    canary = planted(ws)
    leaked = tmp_path / "from-a-partner.jsonl"
    leaked.write_text(json.dumps({"id": "x1", "schema": "Person", "properties": {
        "name": ["Someone Else"], "phone": [canary["phone"]]}}) + "\n", "utf-8")
    ws.ok("ingest", leaked, "--as", SSPC)
    latest = alerts(ws)[0]
    assert (latest["recipient"], latest["returned_by"], latest["path"], latest["selector"]) == (
        f"unit:{SEMAR}", f"unit:{SSPC}", "import", "phone")


def test_a_deconfliction_check_of_the_canary_names_the_recipient(ws: Workspace) -> None:
    canary = planted(ws)
    ws.invoke("deconflict", "check", "--as", FGR, "--kind", "phone", canary["phone"])
    latest = alerts(ws)[0]
    assert (latest["path"], latest["returned_by"]) == ("deconfliction", f"unit:{FGR}")


def test_a_partners_feed_raises_an_alert_unless_from_the_recipients_agency(
        ws: Workspace) -> None:
    canary = planted(ws)
    store = Store.open(ws.db_url)
    try:
        with store.transaction() as conn:
            mine = trace_store.check_return(conn, "node:semar", "federation", datetime.now(UTC),
                                            ids=[canary["entity_id"]], agency="mx.semar")
            theirs = trace_store.check_return(conn, "node:fgr", "federation",
                                              datetime.now(UTC), ids=[canary["entity_id"]],
                                              agency="mx.fgr")
        with store.reading() as conn:
            logged = [json.loads(e.body) for e in audit_log.entries(conn, limit=100_000)
                      if e.kind == "trace.alert"]
    finally:
        store.close()
    assert mine == []
    assert [(a.recipient, a.path, a.selector) for a in theirs] == [
        (f"unit:{SEMAR}", "federation", "record")]
    assert logged[-1]["recipient"] == f"unit:{SEMAR}" and logged[-1]["actor"] == "node:fgr"
