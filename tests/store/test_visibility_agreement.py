"""The pure evaluator and the policy compiled into SQL agree on every generated case.

For generated worlds (parties, vettings that lapse or are revoked, markings with
expiry, portions, statements contributed by other agencies, relationships with ends
that may be hidden or missing, releases and ORCON consents) and every (subject, time),
the statements each side finds visible, the records that exist, their tear-line
views, listings, counts and name searches are the same — on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from policy_world import NAMES, World, day, evaluator, subjects, worlds, write_world
from tearline.model.schema import get_model
from tearline.policy.subject import Subject
from tearline.store import reader, search
from tearline.store import tables as t
from tearline.store.ranking import rank_of
from tearline.store.store import Store
from tearline.store.tokens import query_tokens, tokens_for
from tearline.store.visibility import Visibility

pytestmark = pytest.mark.slow  # handed out first in a parallel run (tests/conftest.py)

TIMES = (day(0), day(3), day(5), day(8), day(11))


def _sql_statements(store: Store, vis: Visibility) -> set[str]:
    s, r = t.statements, t.records
    with store.reading() as conn:
        query = select(s.c.id).join(r, r.c.id == s.c.entity_id).where(vis.statement(s, r))
        return set(conn.execute(query, vis.params).scalars())


def _expected_search(w: World, ev_exists: set[str], word: str,
                     visible: dict[str, set[str]]) -> list[str]:
    model = get_model()
    out = []
    for rec in w.records:
        if rec.id not in ev_exists:
            continue
        schema = model[rec.schema]
        for stmt in rec.statements:
            if stmt.id in visible[rec.id] and any(
                tok.startswith(word)
                for tok in tokens_for(schema.properties[stmt.prop].type.name, stmt.value)
            ):
                out.append(rec.id)
                break
    return sorted(out)


CASES = st.lists(st.tuples(st.sampled_from(subjects()), st.sampled_from(TIMES)),
                min_size=1, max_size=3, unique=True)


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(w=worlds(), cases=CASES)
def test_evaluator_and_sql_agree(store: Store, w: World, cases: list[tuple[Subject, datetime]]
                                 ) -> None:
    write_world(store, w)
    by_id = w.by_id()
    for subject, at in cases:
        if True:
            ev = evaluator(w, subject, at)
            vis = Visibility(subject, at)
            visible = {r.id: {s.id for s in ev.visible_statements(r)} for r in w.records}
            expected_statements = set().union(*visible.values())
            assert _sql_statements(store, vis) == expected_statements, (subject, at)

            exists = {r.id for r in w.records if ev.exists(r, by_id.get)}
            with store.reading() as conn:
                assert reader.visible_entities(conn, vis, by_id) == exists, (subject, at)
                assert reader.list_ids(conn, vis) == sorted(exists)
                assert reader.count_by_schema(conn, vis) == dict(
                    sorted(Counter(by_id[i].schema for i in exists).items()))
                views = {rec.id: rec for rec in reader.read_records(conn, vis, sorted(by_id))}
                for word in NAMES[:2]:
                    # found as the pure evaluator decides, ranked as its tear lines rank
                    found = _expected_search(w, exists, word, visible)
                    words = query_tokens(word)
                    ranked = sorted(found, key=lambda i: (
                        -rank_of(ev.tear_line(by_id[i], by_id.get), words), i))  # type: ignore[arg-type]
                    assert search.search_ids(conn, vis, word) == ranked, (subject, at, word)
            for rec in w.records:
                pure = ev.tear_line(rec, by_id.get)
                got = views.get(rec.id)
                assert (pure is None) == (got is None), (subject, at, rec.id)
                if pure is not None and got is not None:
                    assert {s.id for s in got.statements} == {s.id for s in pure.statements}
                    assert got.marking == pure.marking
