"""`tearline contact log` and `tearline oversight due|edit|sign|verify` end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cli_ws import CliWorkspace

from tearline.audit.events import clock
from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.keys import create_node_key
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store.store import Store

DAY0 = datetime(2026, 1, 5, 15, tzinfo=UTC)
OFFICER = f"ana@{scenario.UIE}"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliWorkspace]:
    root = tmp_path_factory.mktemp("oversight-cli")
    cw = CliWorkspace(root)
    store = Store.open(cw.db_url)
    try:
        seed_parties(store, DAY0 - timedelta(days=30))
        prov = Provenance(scenario.US_DEA, scenario.SOD, DAY0)
        mark = Marking.build("AMBER", [f"unit:{scenario.UIE}"],
                             legal_basis=scenario.SECURITY_FRAMEWORK)
        records = [build_record(f"d-{i}", "Vessel", {"name": [f"v {i}"]}, prov, mark,
                                keyer=store.keyer) for i in range(2)]
        with clock(lambda: DAY0):
            store.write(records, by=f"node:{scenario.SOD}")
    finally:
        store.close()
    create_node_key(root / "keys", "mx.semar.uie")
    yield cw


def due(ws: CliWorkspace, day: int, *more: str) -> list[dict[str, object]]:
    at = (DAY0 + timedelta(days=day)).isoformat()
    rows: list[dict[str, object]] = json.loads(ws.ok(
        "oversight", "due", "--as", OFFICER, "--at", at, "-f", "json", *more).stdout)
    return rows


def test_the_officer_lists_edits_signs_and_verifies(ws: CliWorkspace, tmp_path: Path) -> None:
    assert "not a designated oversight officer" in ws.fails(
        1, "oversight", "due", "--as", OFFICER)
    ws.ok("oversight", "designate", OFFICER)
    ws.ok("contact", "log", "--as", OFFICER, "--with", scenario.SOD,
          "--when", (DAY0 + timedelta(days=1)).isoformat(), "--where", "Ciudad de México",
          "--subject", "Coordinación <b>marítima</b>", "--agents", "Agent R. Roe")
    assert due(ws, 2) == []
    assert [(r["nature"], r["status"]) for r in due(ws, 2, "--all")] == [
        ("records-received", "pending"), ("contact", "pending")]
    assert [(r["nature"], r["status"]) for r in due(ws, 3)] == [("records-received", "due")]
    assert [(r["nature"], r["status"]) for r in due(ws, 4)] == [
        ("records-received", "overdue"), ("contact", "due")]
    first = due(ws, 4)[0]["id"]
    ws.ok("oversight", "edit", str(first), "--field", "notes", "--text", "Revisado",
          "--as", OFFICER)
    assert "not a free-text field" in ws.fails(
        2, "oversight", "edit", str(first), "--field", "nature", "--text", "x", "--as", OFFICER)
    assert "not a designated" in ws.fails(
        1, "oversight", "sign", "--out", str(tmp_path), "--as", f"luis@{scenario.NAVAL_POLICE}")
    out = ws.ok("oversight", "sign", "--out", str(tmp_path), "--lang", "en", "--no-pdf",
                "--as", OFFICER).stdout
    (report,) = tmp_path.glob("or-*.json")
    assert report.name in out.replace("\n", "")
    document = json.loads(report.read_text())
    assert document["language"] == "en"
    assert [x["text"]["notes"] for x in document["exchanges"]] == ["Revisado", ""]
    assert document["exchanges"][1]["text"]["subject"] == "Coordinación <b>marítima</b>"
    assert "is complete: 2 exchange(s)" in ws.ok("oversight", "verify", report).stdout
    assert due(ws, 9, "--all") == []
    cut = dict(document, exchanges=document["exchanges"][1:])
    tampered = tmp_path / "cut.json"
    tampered.write_text(json.dumps(cut))
    said = ws.fails(1, "oversight", "verify", tampered)
    assert f"exchange {first}" in said and "missing from the report" in said
    tampered.write_text("{not json")
    assert "not a readable JSON report" in ws.fails(2, "oversight", "verify", tampered)
