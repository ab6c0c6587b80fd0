"""The read statement: the ids of the records that exist for the subject, and their rows.

Every read is one statement of this form (see ``store/reader.py``): an inner selection
of ids (explicit ids, or a keyset page in id order narrowed by ``store/filters.py``),
limited before anything else is fetched, joined to the records' heads and their shown
statements. Apart from the reader's operations because building the statement is its
own concern; the statements are compiled once per process and dialect
(``store/prepared.py``), and ``store/search.py`` selects its pages with the same parts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    String,
    any_,
    bindparam,
    func,
    select,
)

from tearline.store import filters
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.existence import relationship_ends
from tearline.store.filters import NO_FILTERS, Filters
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


#: A page's LIMIT is written into the statement (a planner that knows it will stop early
#: chooses the index walk, and PostgreSQL can then keep one generic plan per statement);
#: a requested size is rounded up to one of these, and the answer trimmed to it. 251 is
#: a facet window (``store/facets.py``: the best 250 and one more, to know whether they
#: were all): rounded up to 500, its search walked twice the rows it keeps.
LIMITS = (1, 10, 25, 50, 100, 250, 251, MAX_PAGE)


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


def _page_params(schema: str | None, after: str | None,
                 filtering: Filters = NO_FILTERS) -> dict[str, Any]:
    params: dict[str, Any] = {"after": after or "", **filtering.params}
    if schema:
        params["schema"] = schema
    return params
