"""Existence at every depth, compiled into SQL (``docs/policy.md``, "Records, references
and relationships"; the pure form is ``policy/evaluator.py``).

For a subject, a record **stands** when it is not retracted, its own marking is visible
(or released), it has a visible statement, and, for a relationship, a visible
statement for each of its two ends. A record **rests on** the records named by

* the visible statements of its ends, for a relationship;
* all its visible statements, for another record none of whose visible statements
  carries a value of its own (every one of them is a reference).

A record **exists** when it stands and so does every record it rests on, directly or
through others. A record that is not a relationship and has a visible value of its own
rests on nothing: it exists when it stands, and its references to records that do not
exist are dropped one by one.

The records reached from a record are the rows of a recursive common table expression
nested in the predicate and correlated to the record it judges, so the walk covers that
record's chain only (for a relationship between two persons: the relationship and its
two ends). ``UNION`` keeps each record once, so a cycle of relationships ends the walk
instead of repeating it. The predicate first asks whether the record stands alone (a
person or a seizure with a visible value), and for a record of the query itself
whether it is a relationship between such records or one with an end that is not
visible at all; it walks only when none of these settles it.

Every alias below is made afresh for each predicate built: a subquery that shared an
alias with an enclosing query would be correlated to it silently.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import ColumnElement, String, and_, case, cast, exists, literal, or_, select

from tearline.model.record import edge_ends
from tearline.model.schema import get_model
from tearline.store import tables as t
from tearline.store.references import is_reference


class Marked(Protocol):
    """The visibility of records and statements (``store.visibility.Visibility``)."""

    def record(self, r: Any) -> ColumnElement[bool]: ...

    def portion(self, s: Any, r: Any) -> ColumnElement[bool]: ...


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


def not_edge(r: Any) -> ColumnElement[bool]:
    found: ColumnElement[bool] = r.c.schema.notin_(list(relationship_ends()))
    return found


def end_name(n: int, r: Any) -> Any:
    """SQL: the name of end ``n`` (0 or 1) of record ``r``'s schema (NULL if not an edge)."""
    return case({schema: props[0 if n == 0 else -1]
                 for schema, props in relationship_ends().items()}, value=r.c.schema)


def own_value(vis: Marked, r: Any) -> ColumnElement[bool]:
    """Record ``r`` has a visible statement that is not a reference (given ``r`` is visible)."""
    s = t.statements.alias()
    return exists().where(s.c.entity_id == r.c.id, vis.portion(s, r),
                          ~is_reference(r.c.schema, s.c.prop))


def _stands(vis: Marked, r: Any) -> ColumnElement[bool]:
    s = t.statements.alias()
    ends = []
    for n in (0, 1):
        e = t.statements.alias()
        ends.append(exists().where(e.c.entity_id == r.c.id, e.c.prop == end_name(n, r),
                                   vis.portion(e, r)))
    return and_(vis.record(r), exists().where(s.c.entity_id == r.c.id, vis.portion(s, r)),
                or_(not_edge(r), and_(*ends)))


def _falls(vis: Marked, start: Any) -> ColumnElement[bool]:
    """Some record reached from the id ``start`` (itself included) does not stand.

    ``start`` is a column of an enclosing query (a record's id, or a statement's value).
    """
    ra, a = t.records.alias(), t.statements.alias()
    # one type for both terms (PostgreSQL: ids are VARCHAR(128), statement values VARCHAR)
    anchor = select(cast(start, String()).label("id")).correlate(start.table)
    rests = anchor.cte(recursive=True, nesting=True)
    is_end = or_(a.c.prop == end_name(0, ra), a.c.prop == end_name(1, ra))
    made_of_references = and_(not_edge(ra), ~own_value(vis, ra))
    step = (select(a.c.value)
            .select_from(rests.join(ra, ra.c.id == rests.c.id).join(a, a.c.entity_id == ra.c.id))
            .where(vis.record(ra), vis.portion(a, ra), or_(is_end, made_of_references)))
    rests = rests.union(step)
    x = t.records.alias()
    stands = exists().where(x.c.id == rests.c.id, _stands(vis, x))
    return exists(select(literal(1)).select_from(rests).where(~stands))


def _alone(vis: Marked, entity_id: Any) -> ColumnElement[bool]:
    """The record ``entity_id`` stands alone: not a relationship, with a value of its own."""
    x = t.records.alias()
    return exists().where(x.c.id == entity_id, vis.record(x), not_edge(x), own_value(vis, x))


def _end_names(vis: Marked, r: Any, test: Callable[[Any], ColumnElement[bool]]
               ) -> ColumnElement[bool]:
    """Some visible end statement of relationship ``r`` names a record that passes ``test``."""
    e = t.statements.alias()
    return exists().where(e.c.entity_id == r.c.id, vis.portion(e, r),
                          or_(e.c.prop == end_name(0, r), e.c.prop == end_name(1, r)),
                          test(e.c.value))


def record_exists(vis: Marked, r: Any) -> ColumnElement[bool]:
    """Record ``r`` (a row of the enclosing query) exists for the subject.

    Settled without a walk when it stands alone, when it is a relationship that stands
    between records that stand alone, and when it is a relationship with an end naming
    a record that is not visible at all; walked otherwise. (Unrolling the rule one more
    level, through :func:`id_exists`, overflows SQLite's parser stack in the read
    statements that nest this predicate.)
    """
    alone = and_(not_edge(r), own_value(vis, r))
    between_alone = and_(~not_edge(r), _stands(vis, r),
                         ~_end_names(vis, r, lambda v: ~_alone(vis, v)))
    x = t.records.alias()
    end_not_visible = and_(~not_edge(r), _end_names(
        vis, r, lambda v: ~exists().where(x.c.id == v, vis.record(x))))
    return and_(vis.record(r), or_(alone, between_alone,
                                   and_(~end_not_visible, ~_falls(vis, r.c.id))))


def id_exists(vis: Marked, entity_id: Any) -> ColumnElement[bool]:
    """The record whose id is ``entity_id`` (a column of the enclosing query) exists."""
    return or_(_alone(vis, entity_id), ~_falls(vis, entity_id))
