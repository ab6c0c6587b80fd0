"""Existence at every depth on every read path (``store/existence.py``), both backends.

A reference is shown only when the record it names exists for the reader: a Note on
an UnknownLink that names an Associate whose other end is hidden shows neither, and the
world without the hidden person and the Associate answers the reader byte for byte
alike (``tests/data/reference_chain.json``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from reference_chain import EXISTING, MISSING, SHOWN_REFERENCES, chain
from tearline.errors import NotFound
from tearline.model.marking import Marking
from tearline.model.record import Record, entity_properties
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import tables
from tearline.store.store import Store
from tearline.store.visibility import Visibility

T = datetime(2024, 5, 1, tzinfo=UTC)
NOW = T + timedelta(days=10)
VIEWER = Subject("mx.semar.pn", "mx.semar")
DEA = Provenance("us.dea", "us.dea.sod", T)
PUBLIC, HIDDEN = Marking.build("GREEN"), Marking.build("AMBER+STRICT")


def _view(rec: Record) -> tuple[Any, ...]:
    return (rec.id, rec.schema, rec.version, rec.created_at, rec.modified_at,
            tuple((s.id, s.prop, s.value) for s in rec.statements))


def _answers(store: Store) -> list[Any]:
    out: list[Any] = []
    for entity_id in EXISTING + MISSING:
        try:
            out.append(_view(store.read(VIEWER, NOW, entity_id)))
        except NotFound as exc:
            out.append(str(exc))
    out.append([_view(r) for r in store.read_many(VIEWER, NOW, EXISTING + MISSING)])
    out.append([_view(r) for r in store.page(VIEWER, NOW)])
    for schema in ("UnknownLink", "Note", "Associate"):
        out.append([_view(r) for r in store.page(VIEWER, NOW, schema=schema, limit=2)])
    out.append([_view(r) for r in store.search(VIEWER, NOW, "zeta")])
    out.append(store.stats(VIEWER, NOW))
    return out


@pytest.fixture
def twin(db_url: str, tmp_path: Path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'twin.sqlite'}")


def test_references_are_shown_only_to_records_that_exist_at_every_depth(store: Store) -> None:
    store.write(chain(DEA, PUBLIC, HIDDEN))
    found = {r.id: r for r in store.page(VIEWER, NOW)}
    assert sorted(found) == EXISTING
    for entity_id in MISSING:
        with pytest.raises(NotFound, match=f"^no record '{entity_id}'$"):
            store.read(VIEWER, NOW, entity_id)
    for rec in found.values():
        refs = entity_properties(rec.schema)
        named = sorted(s.value for s in rec.statements if s.prop in refs)
        assert set(named) <= set(EXISTING), rec.id
        if rec.id in SHOWN_REFERENCES:
            assert named == SHOWN_REFERENCES[rec.id]
    assert store.stats(VIEWER, NOW) == {"Note": 2, "Person": 2, "UnknownLink": 4}
    # the originator sees the whole chain
    dea = Subject("us.dea.sod", "us.dea")
    assert len(store.page(dea, NOW)) == len(EXISTING) + len(MISSING)


def test_the_world_without_what_the_reader_may_not_see_answers_alike(store: Store,
                                                                      twin: Store) -> None:
    store.write(chain(DEA, PUBLIC, HIDDEN))
    twin.write(chain(DEA, PUBLIC, HIDDEN, hidden=False))
    try:
        assert _answers(store) == _answers(twin)
    finally:
        twin.close()


def test_the_predicate_is_the_same_statement_for_every_read() -> None:
    """Two reads of the same subject build the same statement (equal cache keys), so the
    database's compiled-statement cache serves every read after the first: a name made
    afresh per predicate made each read compile the whole walk again."""
    r = tables.records

    def query(at: datetime) -> Any:
        vis = Visibility(VIEWER, at)
        return select(r.c.id).where(vis.entity_exists(r.c.id))

    first, second = query(NOW)._generate_cache_key(), query(NOW)._generate_cache_key()
    assert first is not None and first == second


def test_the_predicate_is_built_once_per_column() -> None:
    """The existence predicate does not depend on the subject (it is bound as
    parameters), so it is built once per column and shape, as the other predicates are:
    building the walk costs more than running it on a small store."""
    other = Subject("us.dea.sod", "us.dea")
    r = tables.records
    built = Visibility(VIEWER, NOW).entity_exists(r.c.id)
    assert built is Visibility(other, T).entity_exists(r.c.id)
