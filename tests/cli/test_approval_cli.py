"""`tearline approval require|request|approve|list`: a release waits for a second officer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cli_ws import CliWorkspace

from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store.store import Store

AT = datetime(2026, 1, 5, tzinfo=UTC)
ANA, LUIS = f"ana@{scenario.UIE}", f"luis@{scenario.NAVAL_POLICE}"


def test_request_then_a_second_officer_approves(tmp_path: Path) -> None:
    ws = CliWorkspace(tmp_path)
    store = Store.open(ws.db_url)
    try:
        seed_parties(store, AT - timedelta(days=30))
        store.write([build_record("mx-v-1", "Vessel", {"name": ["Lancha"]}, Provenance(
            scenario.MX_SEMAR, scenario.UIE, AT), Marking.build("AMBER+STRICT"),
            keyer=store.keyer)])
    finally:
        store.close()
    to = ["--to", f"unit:{scenario.SOD}", "--basis", scenario.SECURITY_FRAMEWORK]
    ws.ok("approval", "require", scenario.SECURITY_FRAMEWORK)
    assert "second officer" in ws.fails(1, "release", "mx-v-1", *to, "--as", ANA)
    said = ws.ok("approval", "request", "mx-v-1", *to, "--as", ANA).stdout
    request_id = said.split(":")[0]
    assert "waits for a second officer" in said
    assert "must approve" in ws.fails(1, "approval", "approve", request_id, "--as", ANA)
    assert "released as rel-" in ws.ok("approval", "approve", request_id, "--as", LUIS).stdout
    (row,) = json.loads(ws.ok("approval", "list", "--as", ANA, "-f", "json").stdout)
    assert (row["state"], row["requested_by"], row["approved_by"]) == ("approved", ANA, LUIS)
    assert json.loads(ws.ok("approval", "list", "--as", f"rivera@{scenario.SOD}", "-f",
                            "json").stdout) == []
