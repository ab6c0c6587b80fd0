"""Passing on, pure and compiled, agree: ``policy/relay.py`` and ``store/relay.py``.

For generated worlds (ORCON markings on records and portions, statements other agencies
contributed, relationships, releases, consents recorded and withdrawn, consents received
as signed documents) and every (subject, time, agency handing on): the statements each
side hands on, the records that exist as handed on, and their views are the same — on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from policy_world import AGENCIES, World, day, evaluator, subjects, worlds, write_world
from tearline.policy.relay import Relay as PureRelay
from tearline.policy.release import Consent, ReleaseFacts
from tearline.policy.subject import Subject
from tearline.store import reader
from tearline.store import tables as t
from tearline.store.consent_documents import consent_documents, keep
from tearline.store.relay import Relay
from tearline.store.store import Store

TIMES = (day(0), day(5), day(11))


@st.composite
def received(draw: st.DrawFn, w: World) -> list[Consent]:
    """Consents received as signed documents: for records of the world, by one of the
    agencies whose statements it holds, for another agency, received on some day."""
    out = []
    for n in range(draw(st.integers(0, 3))):
        rec = draw(st.sampled_from(w.records))
        origin = draw(st.sampled_from(sorted({s.origin for s in rec.statements}
                                             | {rec.originator})))
        to = draw(st.sampled_from([a for a in AGENCIES if a != origin]))
        out.append(Consent(f"doc-{n}", rec.id, origin, to, day(draw(st.integers(0, 8)))))
    return out


def write_received(store: Store, docs: list[Consent]) -> None:
    with store.transaction() as conn:
        conn.execute(delete(consent_documents))
        for c in docs:
            keep(conn, [{"consent_id": c.id, "entity_id": c.entity_id,
                         "by_agency": c.by_agency, "to_agency": c.to_agency}], "test", c.at)


CASES = st.lists(st.tuples(st.sampled_from(subjects()), st.sampled_from(TIMES),
                           st.sampled_from(AGENCIES)), min_size=1, max_size=4, unique=True)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), w=worlds(), cases=CASES)
def test_what_is_handed_on_agrees(store: Store, data: st.DataObject, w: World,
                                  cases: list[tuple[Subject, datetime, str]]) -> None:
    docs = data.draw(received(w))
    write_world(store, w)
    write_received(store, docs)
    by_id = w.by_id()
    for subject, at, agency in cases:
        pure = PureRelay(evaluator(w, subject, at), agency, ReleaseFacts.of((), docs))
        vis = Relay(subject, at, agency)
        expected = {s.id for r in w.records if pure.head_passes(r)
                    for s in pure.evaluator.visible_statements(r) if pure.passes(r, s)}
        s, r = t.statements, t.records
        with store.reading() as conn:
            got = set(conn.execute(select(s.c.id).join(r, r.c.id == s.c.entity_id)
                                   .where(vis.statement(s, r)), vis.params).scalars())
            assert got == expected, (subject, at, agency)
            exists = {rec.id for rec in w.records if pure.exists(rec, by_id.get)}
            assert reader.visible_entities(conn, vis, by_id) == exists, (subject, at, agency)
            views = {rec.id: rec for rec in reader.read_records(conn, vis, sorted(by_id))}
        for rec in w.records:
            view = pure.tear_line(rec, by_id.get)
            assert (view is None) == (rec.id not in views), (subject, at, agency, rec.id)
            if view is not None:
                assert {x.id for x in views[rec.id].statements} == {
                    x.id for x in view.statements}
