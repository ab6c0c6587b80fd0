"""``tearline policy explain``: the CLI renders :func:`store.explain.explain_record`.

Pinned: the rows follow the pure core's decisions (record first, then each statement),
a missing record fails like any missing record, and the explanation is an audited read
of the whole record by ``system`` through the ``cli`` path.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner, Result

from statement_keys import TEST_KEYER
from tearline.cli import app
from tearline.cli.common import STATE
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import audit_log, parties
from tearline.store.explain import explain_record
from tearline.store.store import Store

AT = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
SEMAR = Provenance("mx.semar", "mx.semar.uie", AT - timedelta(days=30))


def _invoke(db_url: str, workspace: Path, *args: str) -> Result:
    try:
        return CliRunner().invoke(app, ["--db-url", db_url, "-w", str(workspace), *args])
    finally:
        if STATE._store is not None:
            STATE._store.close()
            STATE._store = None


def _setup(store: Store) -> None:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), AT - timedelta(days=2))
        for unit in ("us.dea.sod", "mx.semar.uie"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit),
                             AT - timedelta(days=2))
        parties.put_agreement(conn, Agreement("mx-us", "MX-US", "bilateral",
                                              frozenset({"mx.semar", "us.dea"})),
                              AT - timedelta(days=2))
    store.write([build_record(
        "p-1", "Person", {"name": ["Luis Vega"], "alias": ["El Flaco"]}, SEMAR,
        Marking.build("AMBER", ["agency:us.dea"], legal_basis="mx-us"),
        {"alias": Marking.build("RED", ["unit:mx.semar.uie"])}, keyer=TEST_KEYER)])


def test_explain_renders_the_core(store: Store, db_url: str, tmp_path: Path) -> None:
    _setup(store)
    at = "2024-05-03T12:00:00Z"
    result = _invoke(db_url, tmp_path, "policy", "explain", "p-1", "--as", "us.dea.sod",
                     "--at", at, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    with store.transaction() as conn:
        core = explain_record(conn, store.subject("us.dea.sod"), "p-1", AT)
    assert rows[0]["property"] == "(record)" and rows[0]["visible"] == "yes"
    assert [(r["property"], r["visible"], r["why"]) for r in rows[1:]] == [
        (s.prop, "yes" if s.decision else "no", "; ".join(s.decision.reasons))
        for s in core.statements]
    assert {r["property"]: r["visible"] for r in rows[1:]} == {"alias": "no", "name": "yes"}


def test_explain_is_an_audited_read_and_missing_fails(store: Store, db_url: str,
                                                      tmp_path: Path) -> None:
    _setup(store)
    missing = _invoke(db_url, tmp_path, "policy", "explain", "p-404", "--as", "us.dea.sod")
    assert missing.exit_code != 0 and "p-404" in missing.output
    assert _invoke(db_url, tmp_path, "policy", "explain", "p-1", "--as", "us.dea.sod"
                   ).exit_code == 0
    with store.reading() as conn:
        reads = [e.event().to_json() for e in audit_log.entries(conn, entity_id="p-1")
                 if e.kind == "record.read"]
    assert len(reads) == 1
    assert (reads[0]["actor"], reads[0]["path"]) == ("system", "cli")
    assert len(reads[0]["statement_ids"]) == 2
