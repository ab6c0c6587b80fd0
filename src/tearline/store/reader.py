"""Reading through the policy: every query carries the subject's visibility predicate.

Nothing is fetched that the subject may not see; the tear-line view of a record is
built from the statements the query returns. An id that is hidden and an id that
never existed give the same answer (``None``) at the same cost in queries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, exists, func, select

from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import Record, edge_ends, entity_properties
from tearline.model.schema import get_model
from tearline.model.statement import Statement
from tearline.store import tables as t
from tearline.store.tokens import query_tokens
from tearline.store.visibility import Visibility

MAX_PAGE = 500


@lru_cache(maxsize=1)
def relationship_ends() -> dict[str, tuple[str, ...]]:
    """Every edge schema and the properties that name its two ends."""
    out: dict[str, tuple[str, ...]] = {}
    for schema in get_model():
        if not schema.abstract:
            ends = edge_ends(schema.name)
            if ends:
                out[schema.name] = ends
    return out


class MarkingCache:
    """Markings by id, loaded on demand (they are immutable values)."""

    def __init__(self) -> None:
        self._by_id: dict[str, Marking] = {}

    def get(self, conn: Connection, marking_id: str) -> Marking:
        if marking_id not in self._by_id:
            body = conn.execute(
                select(t.markings.c.body).where(t.markings.c.id == marking_id)
            ).scalar_one()
            self._by_id[marking_id] = Marking.from_dict(json.loads(body))
        return self._by_id[marking_id]


def statement_from_row(row: Any, marking: Marking | None) -> Statement:
    return Statement(
        id=row.id,
        entity_id=row.entity_id,
        schema=row.schema,
        prop=row.prop,
        value=row.value,
        original_value=row.original_value,
        origin=row.origin,
        author=row.author,
        reliability=Reliability(row.reliability),
        credibility=Credibility(row.credibility),
        first_seen=t.from_ts(row.first_seen),
        last_seen=t.from_ts(row.last_seen),
        marking=marking,
    )


def visible_entities(conn: Connection, vis: Visibility, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` exist for the subject (relationship ends included)."""
    wanted = sorted(set(ids))
    found: set[str] = set()
    r = t.records
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        query = select(r.c.id).where(r.c.id.in_(chunk), vis.entity(r, relationship_ends()))
        found.update(conn.execute(query).scalars())
    return found


def present_entities(conn: Connection, vis: Visibility, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are present for the subject (a visible statement; ends unchecked).

    A reference to another entity is shown exactly when that entity is present.
    """
    wanted = sorted(set(ids))
    found: set[str] = set()
    r, s = t.records, t.statements
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        query = select(r.c.id).where(
            r.c.id.in_(chunk),
            vis.record(r),
            exists().where(s.c.entity_id == r.c.id, vis.statement(s, r)),
        )
        found.update(conn.execute(query).scalars())
    return found


def read_records(
    conn: Connection, vis: Visibility, ids: Sequence[str], markings: MarkingCache | None = None
) -> list[Record]:
    """Tear-line views of the records ``ids`` that exist for the subject, in the given order."""
    markings = markings or MarkingCache()
    present = visible_entities(conn, vis, ids)
    if not present:
        return []
    r, s = t.records, t.statements
    rows = conn.execute(
        select(s, r.c.marking_id.label("record_marking"))
        .join(r, r.c.id == s.c.entity_id)
        .where(s.c.entity_id.in_(sorted(present)), vis.statement(s, r))
        .order_by(s.c.entity_id, s.c.prop, s.c.value, s.c.id)
    ).all()
    heads = {
        row.id: row for row in conn.execute(select(r).where(r.c.id.in_(sorted(present)))).all()
    }
    by_entity: dict[str, list[Any]] = {}
    for row in rows:
        by_entity.setdefault(row.entity_id, []).append(row)
    refs: set[str] = set()
    for eid, srows in by_entity.items():
        props = entity_properties(heads[eid].schema)
        refs.update(row.value for row in srows if row.prop in props)
    refs_visible = present_entities(conn, vis, refs) if refs else set()
    out: dict[str, Record] = {}
    for eid, srows in by_entity.items():
        head = heads[eid]
        props = entity_properties(head.schema)
        statements = tuple(
            statement_from_row(row, markings.get(conn, row.marking_id) if row.marking_id else None)
            for row in srows
            if row.prop not in props or row.value in refs_visible
        )
        if not statements:
            continue
        out[eid] = Record(
            id=eid,
            schema=head.schema,
            originator=head.originator,
            author=head.author,
            marking=markings.get(conn, head.marking_id),
            statements=statements,
            synthetic=bool(head.synthetic),
            version=head.version,
            created_at=t.from_ts(head.created_at),
            modified_at=t.from_ts(head.modified_at),
        )
    return [out[i] for i in ids if i in out]


def read_record(conn: Connection, vis: Visibility, entity_id: str) -> Record | None:
    found = read_records(conn, vis, [entity_id])
    return found[0] if found else None


def list_ids(
    conn: Connection,
    vis: Visibility,
    schema: str | None = None,
    after: str | None = None,
    limit: int = 100,
) -> list[str]:
    """A page of entity ids visible to the subject, in id order (keyset pagination)."""
    r = t.records
    query = select(r.c.id).where(vis.entity(r, relationship_ends()))
    if schema:
        query = query.where(r.c.schema == schema)
    if after:
        query = query.where(r.c.id > after)
    query = query.order_by(r.c.id).limit(max(1, min(limit, MAX_PAGE)))
    return list(conn.execute(query).scalars())


def search_ids(
    conn: Connection,
    vis: Visibility,
    text: str,
    schema: str | None = None,
    after: str | None = None,
    limit: int = 100,
) -> list[str]:
    """Entities with a visible name, alias or identifier matching every word of ``text``.

    A word matches an indexed token that starts with it. Only visible statements are
    matched, so a hidden alias can neither find a record nor change the ordering.
    """
    words = query_tokens(text)[:8]
    if not words:
        return []
    r, s, k = t.records, t.statements, t.tokens
    query = select(r.c.id).where(vis.entity(r, relationship_ends()))
    for n, word in enumerate(words):
        tk = k.alias(f"k{n}")
        st = s.alias(f"s{n}")
        rn = r.alias(f"rr{n}")
        match = (
            select(tk.c.entity_id)
            .join(st, st.c.id == tk.c.statement_id)
            .join(rn, rn.c.id == st.c.entity_id)
            .where(tk.c.token >= word, tk.c.token < word + "\uffff", vis.statement(st, rn))
        )
        query = query.where(r.c.id.in_(match))
    if schema:
        query = query.where(r.c.schema == schema)
    if after:
        query = query.where(r.c.id > after)
    query = query.order_by(r.c.id).limit(max(1, min(limit, MAX_PAGE)))
    return list(conn.execute(query).scalars())


def count_by_schema(conn: Connection, vis: Visibility) -> dict[str, int]:
    """How many records of each schema exist for the subject."""
    r = t.records
    query = (
        select(r.c.schema, func.count())
        .where(vis.entity(r, relationship_ends()))
        .group_by(r.c.schema)
        .order_by(r.c.schema)
    )
    return {schema: int(n) for schema, n in conn.execute(query).all()}
