"""Reading through the policy: every query carries the subject's visibility predicate.

Nothing is fetched that the subject may not see; the tear-line view of a record is
built from the statements the query returns. An id that is hidden and an id that
never existed give the same answer (``None``) at the same cost in queries.

Every read is one statement of the same form: an inner selection of the ids of the
records that exist for the subject (explicit ids, or a keyset page in id order narrowed
by the filters of ``store/filters.py``), limited *before* anything else is fetched,
joined to the records' heads and their shown statements. A search (``store/search.py``)
selects its ranked page first, then reads it by ids. The statements are compiled once
per process and dialect (``store/prepared.py``); the subject, the instant, the page
cursor and the filters' values are bound parameters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    String,
    any_,
    bindparam,
    func,
    select,
)

from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.statement import Statement
from tearline.policy.visibility import viewed
from tearline.store import filters
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.existence import relationship_ends
from tearline.store.filters import NO_FILTERS, Filters
from tearline.store.prepared import prepared
from tearline.store.visibility import Predicates

MAX_PAGE = 500

# Aliases of the read statements (each at one nesting level, shared by every statement).
_R = t.records  # the candidates of the id selection
_H, _S = t.records.alias("h"), t.statements.alias("s")  # heads and statements fetched
_MC_HEAD, _MC_STATEMENT = rt.marking_changes.alias("mch"), rt.marking_changes.alias("mcs")

_HEAD_COLUMNS = ("id", "schema", "originator", "author", "marking_id", "synthetic", "version",
                 "created_at", "modified_at")
_STATEMENT_COLUMNS = ("id", "schema", "prop", "value", "original_value", "origin", "author",
                      "reliability", "credibility", "first_seen", "last_seen", "marking_id")
_RELIABILITY = {m.value: m for m in Reliability}
_CREDIBILITY = {m.value: m for m in Credibility}


# -- markings ------------------------------------------------------------------------------

#: Markings by id. An id is the hash of the marking's canonical form (``Marking.id``), so
#: an entry is right for every store and never goes stale.
_MARKINGS: dict[str, Marking] = {}


def markings_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, Marking]:
    """The markings ``ids``, loading in one query those not seen before."""
    wanted = set(ids)
    missing = sorted(wanted - _MARKINGS.keys())
    if missing:
        if len(_MARKINGS) > 65_536:
            _MARKINGS.clear()
        m = t.markings
        for mid, body in conn.execute(select(m.c.id, m.c.body).where(m.c.id.in_(missing))):
            _MARKINGS[mid] = Marking.from_dict(json.loads(body))
    return {mid: _MARKINGS[mid] for mid in wanted}


class MarkingCache:
    """Markings by id, loaded on demand (they are immutable values)."""

    def get(self, conn: Connection, marking_id: str) -> Marking:
        return markings_by_id(conn, [marking_id])[marking_id]


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


# -- the read statement ------------------------------------------------------------------


#: A page's LIMIT is written into the statement (a planner that knows it will stop early
#: chooses the index walk, and PostgreSQL can then keep one generic plan per statement);
#: a requested size is rounded up to one of these, and the answer trimmed to it.
LIMITS = (1, 10, 25, 50, 100, 250, MAX_PAGE)


def _bucket(limit: int) -> tuple[int, int]:
    """The page size asked for (within 1..MAX_PAGE) and the LIMIT of its statement."""
    n = max(1, min(limit, MAX_PAGE))
    return n, next(b for b in LIMITS if b >= n)


def _ids_in(dialect: str, column: Any) -> ColumnElement[bool]:
    """``column`` is one of the ids bound as ``ids`` (see :func:`_ids_value`)."""
    if dialect == "postgresql":
        found: ColumnElement[bool] = column == any_(bindparam("ids", type_=ARRAY(String())))
        return found
    each = func.json_each(bindparam("ids", type_=String())).table_valued("value")
    return column.in_(select(each.c.value))  # type: ignore[no-any-return]


def _ids_value(dialect: str, ids: Iterable[str]) -> Any:
    return list(ids) if dialect == "postgresql" else json.dumps(list(ids))


def _with_statements(vis: Predicates, heads: Any) -> Any:
    """The heads and shown statements of the records selected by subquery ``heads``, with
    when the current marking of each was set (for the version and times of the view).

    ``heads`` selects the head columns of records that exist for the subject (their
    own marking is visible), so each statement is checked for itself and its
    references only. The heads come from the selection itself, not from a second join
    to ``records``, which a planner may not know to be small.
    """
    s, mh, ms = _S, _MC_HEAD, _MC_STATEMENT
    head_remarked = select(func.max(mh.c.changed_at)).where(
        mh.c.entity_id == heads.c.id, mh.c.statement_id.is_(None)).scalar_subquery()
    remarked = select(func.max(ms.c.changed_at)).where(
        ms.c.entity_id == s.c.entity_id, ms.c.statement_id == s.c.id).scalar_subquery()
    return (
        select(*(heads.c[c] for c in _HEAD_COLUMNS), *(s.c[c] for c in _STATEMENT_COLUMNS),
               head_remarked, remarked)
        .select_from(heads.join(s, s.c.entity_id == heads.c.id))
        .where(vis.shown_portion(s, heads))
        .order_by(heads.c.id, s.c.prop, s.c.value, s.c.id)
    )


def _select(heads: bool) -> Any:
    """The selection's columns: the id, or every head column (for :func:`_with_statements`)."""
    return select(*(_R.c[c] for c in (_HEAD_COLUMNS if heads else ("id",))))


def _heads(dialect: str, selection: Callable[[bool], Any]) -> Any:
    """The head columns of the records that ``selection(heads)`` selects, as a subquery.

    PostgreSQL: selected by the selection itself (joined to ``records`` a second time,
    its planner may hash the whole table). SQLite: the selection takes ids only, so
    that it walks ``ix_records_visibility`` (which holds the visibility columns) rather
    than the primary key index, and the heads of the page are then read by id.
    """
    if dialect == "postgresql":
        return selection(True).subquery("heads")
    ids, h = selection(False).subquery("ids"), _H
    return (select(*(h.c[c] for c in _HEAD_COLUMNS))
            .select_from(ids.join(h, h.c.id == ids.c.id)).subquery("heads"))


def _existing(vis: Predicates) -> ColumnElement[bool]:
    return vis.entity(_R, relationship_ends())


def _by_ids(vis: Predicates, dialect: str, heads: bool = False) -> Any:
    return _select(heads).where(_ids_in(dialect, _R.c.id), _existing(vis))


def _page(vis: Predicates, schema: bool, limit: int, heads: bool = False,
          filtered: tuple[str, ...] = ()) -> Any:
    query = _select(heads).where(_R.c.id > bindparam("after", type_=String()))
    if schema:
        query = query.where(_R.c.schema == bindparam("schema", type_=String()))
    query = query.where(_existing(vis), *filters.clauses(vis, _R, filtered))
    return query.order_by(_R.c.id).limit(limit)


def _count_by_schema(vis: Predicates) -> Any:
    return (select(_R.c.schema, func.count()).where(_existing(vis))
            .group_by(_R.c.schema).order_by(_R.c.schema))


# -- decoding ---------------------------------------------------------------------------


def _decode(conn: Connection, rows: Sequence[Any]) -> dict[str, Record]:
    """Records from rows of :func:`_with_statements` (ordered by record id), each with the
    version and times of what the subject sees (:func:`~tearline.policy.visibility.viewed`)."""
    markings = markings_by_id(conn, {row[4] for row in rows} | {row[20] for row in rows
                                                                 if row[20] is not None})
    moments: dict[str, datetime] = {}

    def moment(text: str) -> datetime:
        found = moments.get(text)
        if found is None:
            found = moments[text] = t.from_ts(text)
        return found

    out: dict[str, Record] = {}
    head: Any = None
    statements: list[Statement] = []
    remarked: dict[str | None, datetime] = {}

    def finish() -> None:
        if head is not None and statements:
            stored = Record(
                id=head[0], schema=head[1], originator=head[2], author=head[3],
                marking=markings[head[4]], statements=(), synthetic=bool(head[5]),
                version=int(head[6]), created_at=moment(head[7]), modified_at=moment(head[8]))
            out[head[0]] = viewed(stored, statements, remarked)

    for row in rows:
        if head is None or row[0] != head[0]:
            finish()
            head, statements, remarked = row, [], {}
            if row[21] is not None:
                remarked[None] = moment(row[21])
        statements.append(Statement(
            row[0], row[10], row[11], row[12], row[14], row[15], moment(row[18]),
            moment(row[19]), _RELIABILITY[row[16]], _CREDIBILITY[row[17]], row[13],
            None if row[20] is None else markings[row[20]], row[9]))
        if row[22] is not None:
            remarked[row[9]] = moment(row[22])
    finish()
    return out


def _records(conn: Connection, vis: Predicates, key: tuple[object, ...], ids: Any,
             params: dict[str, Any]) -> dict[str, Record]:
    statement = prepared(conn, (vis.shape, "records", *key),
                         lambda dialect: _with_statements(vis, ids(dialect)))
    return _decode(conn, statement.run(conn, {**vis.params, **params}))


def _ids(conn: Connection, vis: Predicates, key: tuple[object, ...], ids: Any,
         params: dict[str, Any]) -> list[str]:
    statement = prepared(conn, (vis.shape, "ids", *key), ids)
    return [row[0] for row in statement.run(conn, {**vis.params, **params})]


# -- the reader's operations ---------------------------------------------------------------


def visible_entities(conn: Connection, vis: Predicates, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` exist for the subject (relationship ends included)."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    dialect = conn.dialect.name
    return set(_ids(conn, vis, ("by-ids",), lambda d: _by_ids(vis, d),
                    {"ids": _ids_value(dialect, wanted)}))


def read_records(conn: Connection, vis: Predicates, ids: Sequence[str]) -> list[Record]:
    """Tear-line views of the records ``ids`` that exist for the subject, in the given order."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    dialect = conn.dialect.name
    found = _records(conn, vis, ("by-ids",),
                     lambda d: _heads(d, lambda heads: _by_ids(vis, d, heads)),
                     {"ids": _ids_value(dialect, wanted)})
    return [found[i] for i in ids if i in found]


def read_record(conn: Connection, vis: Predicates, entity_id: str) -> Record | None:
    found = read_records(conn, vis, [entity_id])
    return found[0] if found else None


def _page_params(schema: str | None, after: str | None,
                 filtering: Filters = NO_FILTERS) -> dict[str, Any]:
    params: dict[str, Any] = {"after": after or "", **filtering.params}
    if schema:
        params["schema"] = schema
    return params


def list_ids(conn: Connection, vis: Predicates, schema: str | None = None,
             after: str | None = None, limit: int = 100,
             filtering: Filters = NO_FILTERS) -> list[str]:
    """A page of entity ids visible to the subject, in id order (keyset pagination)."""
    n, bucket = _bucket(limit)
    shape = filtering.key
    return _ids(conn, vis, ("page", bool(schema), bucket, shape),
                lambda _: _page(vis, bool(schema), bucket, filtered=shape),
                _page_params(schema, after, filtering))[:n]


def page_records(conn: Connection, vis: Predicates, schema: str | None = None,
                 after: str | None = None, limit: int = 100,
                 filtering: Filters = NO_FILTERS) -> list[Record]:
    """The tear-line views of :func:`list_ids`, in one statement."""
    n, bucket = _bucket(limit)
    shape = filtering.key
    found = _records(conn, vis, ("page", bool(schema), bucket, shape),
                     lambda d: _heads(d, lambda heads: _page(vis, bool(schema), bucket, heads,
                                                             shape)),
                     _page_params(schema, after, filtering))
    return list(found.values())[:n]


def count_by_schema(conn: Connection, vis: Predicates) -> dict[str, int]:
    """How many records of each schema exist for the subject."""
    statement = prepared(conn, (vis.shape, "count-by-schema"), lambda _: _count_by_schema(vis))
    return {schema: int(n) for schema, n in statement.run(conn, vis.params)}

