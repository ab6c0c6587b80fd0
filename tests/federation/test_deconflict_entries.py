"""A deconfliction batch's audit entries, built in bulk: the events one by one would be."""

from __future__ import annotations

from tearline.audit.deconflict_events import DeconflictHit, DeconflictRegistered
from tearline.audit.events import DeconflictQuery
from tearline.deconflict import documents as docs
from tearline.federation import deconflict_entries as logs
from tearline.store import audit_log
from tearline.store.store import Store

AT = "2026-12-07T10:00:00.000000Z"
ACTOR = "analyst:ana@mx.semar.uie"
BATCH = docs.Batch(id="db-" + "1" * 32, agency="us.dea", unit="us.dea.sod",
                   contact="SOD duty desk", since=AT, expires="2027-06-05T10:00:00.000000Z",
                   node="dea", entries=(("dr-" + "a" * 32, "f" * 64, "phone"),
                                        ("dr-" + "b" * 32, "e" * 64, "curp")))


def test_entries_of_a_check_and_a_registration_are_the_events_in_order(store: Store) -> None:
    entries = logs.Entries()
    query = logs.query_template(AT, ACTOR)
    hit = logs.checker_hit_template(AT, ACTOR, "mx.semar.uie", "mx.semar")
    holder = DeconflictHit(at=AT, actor="unit:mx.semar.ueg", registration_id="dr-2",
                           role="holder", checker="unit:mx.semar.uie", checker_agency="mx.semar",
                           holder="unit:mx.semar.ueg", holder_agency="mx.semar",
                           agreement_id=None)
    entries.add(query, ("phone", "c" * 64, 2))
    entries.add(hit, ("dr-1", "unit:us.dea.sod", "us.dea", "us-mx-2023"))
    entries.event(holder)
    logs.registered(entries, BATCH, "unit:us.dea.sod", AT)
    expected = [
        DeconflictQuery(at=AT, actor=ACTOR, selector_kind="phone", selector_commitment="c" * 64,
                        hit_count=2),
        DeconflictHit(at=AT, actor=ACTOR, registration_id="dr-1", role="checker",
                      checker="unit:mx.semar.uie", checker_agency="mx.semar",
                      holder="unit:us.dea.sod", holder_agency="us.dea",
                      agreement_id="us-mx-2023"),
        holder,
        *(DeconflictRegistered(at=AT, actor="unit:us.dea.sod", registration_id=i,
                               selector_kind=kind,  # type: ignore[arg-type]
                               holder="unit:us.dea.sod", origin="node:dea",
                               expires=BATCH.expires)
          for i, _, kind in BATCH.entries)]
    with store.transaction() as conn:
        start = audit_log.size(conn)
        entries.append_to(conn)
    with store.reading() as conn:
        logged = audit_log.entries(conn, limit=100_000)[start:]
    assert [e.body for e in logged] == [e.to_canonical() for e in expected]
    assert [(e.kind, e.at, e.actor) for e in logged] == [(e.kind, e.at, e.actor)
                                                         for e in expected]
    assert [e.event() for e in logged] == expected
