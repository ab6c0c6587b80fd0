"""``store.explain_audience``: for every unit of the node, the policy's decision on the
statements asked about — the same decisions the store's SQL makes when each unit reads
the record, on both backends; only the statements asked about are explained, and the
asking leaves no entry (the caller's own read is its entry)."""

from __future__ import annotations

from datetime import UTC, datetime

from statement_keys import TEST_KEYER
from tearline.demo import scenario as sc
from tearline.demo.load import seed_parties
from tearline.errors import NotFound
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import audit_log, explain_audience, parties
from tearline.store.store import Store

AT = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
TO_MX = Marking.build("AMBER", ["agency:mx.semar", "agency:mx.fgr"], legal_basis=sc.MLAT)
VETTED_ONLY = Marking.build("AMBER+STRICT", ["vetted-by:us.dea"], legal_basis=sc.MLAT)
SOD_ONLY = Marking.build("RED", ["unit:us.dea.sod"])


def test_every_units_decisions_are_the_stores_reads(store: Store) -> None:
    seed_parties(store, datetime(2026, 1, 1, tzinfo=UTC))
    record = build_record("p-1", "Person", {
        "name": ["Ovidio Guzmán López"], "alias": ["El Ratón"], "birthDate": ["1990-03-29"]},
        Provenance(sc.US_DEA, sc.SOD, AT), TO_MX, {"alias": VETTED_ONLY, "birthDate": SOD_ONLY},
        keyer=TEST_KEYER)
    store.write([record])
    asked = [s.id for s in record.statements if s.prop != "birthDate"]
    with store.reading() as conn:
        size = audit_log.size(conn)
        units = parties.units(conn)
        explained = explain_audience(conn, "p-1", asked, AT)
        assert audit_log.size(conn) == size
    assert sorted(e.subject.unit for e in explained) == sorted(u.id for u in units)
    for explanation in explained:
        assert {s.statement_id for s in explanation.statements} == set(asked)
        sees = {s.statement_id for s in explanation.statements if s.decision.allowed}
        try:
            read = {s.id for s in store.read(explanation.subject, AT, "p-1").statements}
        except NotFound:  # the record does not exist for the unit: it sees nothing
            read = set()
        assert sees == read & set(asked), explanation.subject.unit
    by_unit = {e.subject.unit: e for e in explained}
    alias = next(s.id for s in record.statements if s.prop == "alias")
    decision = {s.statement_id: s.decision for s in by_unit[sc.UIE].statements}[alias]
    assert decision.allowed and any("vetted by us.dea" in r for r in decision.reasons)
