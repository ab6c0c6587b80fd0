"""Which properties name another entity: the table ``reference_properties`` and its probe.

The read queries decide whether a statement is a reference (and so whether the entity
it names must exist for the reader) by one probe of this table, kept equal to the
schemata's entity-typed properties by every upgrade.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, literal, or_, select

from tearline.model.schema import get_model
from tearline.store import tables as t


@lru_cache(maxsize=1)
def reference_properties() -> tuple[list[str], dict[str, list[str]]]:
    """Entity-typed property names: those that are in every schema, and per schema the rest."""
    always: set[str] = set()
    other: set[str] = set()
    by_schema: dict[str, set[str]] = {}
    for schema in get_model():
        for name, prop in schema.properties.items():
            if prop.type.name == "entity":
                always.add(name)
                by_schema.setdefault(schema.name, set()).add(name)
            else:
                other.add(name)
    ambiguous = always & other
    per_schema = {
        schema: sorted(names & ambiguous) for schema, names in by_schema.items()
        if names & ambiguous
    }
    return sorted(always - ambiguous), per_schema


@cache
def reference_rows() -> list[tuple[str, bool]]:
    """The rows ``reference_properties`` holds: (name, entity-typed in every schema)."""
    always, per_schema = reference_properties()
    return sorted([(name, True) for name in always]
                  + [(name, False) for name in set().union(*per_schema.values())])


def reference_properties_current(conn: Connection) -> bool:
    """Whether the table ``reference_properties`` holds exactly the schemata's names.

    The read queries trust it: a name missing there would show a statement that names
    a hidden entity. So a database whose table differs is not current
    (:func:`~tearline.store.engine.needs_upgrade`), and each upgrade makes it so.
    """
    rp = t.reference_properties
    held = sorted((r.prop, bool(r.every_schema)) for r in conn.execute(select(rp)))
    return held == reference_rows()


def sync_reference_properties(conn: Connection) -> bool:
    """Make the table ``reference_properties`` equal to the schemata; whether it changed."""
    if reference_properties_current(conn):
        return False
    rp = t.reference_properties
    conn.execute(rp.delete())
    conn.execute(rp.insert(), [{"prop": p, "every_schema": e} for p, e in reference_rows()])
    return True


@lru_cache(maxsize=256)
def is_reference(schema: Any, prop: Any) -> ColumnElement[bool]:
    """SQL: property ``prop`` of a record of ``schema`` names another entity.

    One probe of ``reference_properties`` by name (false for most statements); for the
    few names entity-typed in some schemata but not in others, the record's schema
    decides.
    """
    _, per_schema = reference_properties()
    rp = t.reference_properties
    decided = or_(rp.c.every_schema.is_(True),
                  *(and_(schema == name, prop.in_(props)) for name, props in per_schema.items()))
    # Correlated to whichever enclosing query holds ``prop`` (a feed nests it deeper
    # than the immediate one): nothing but the table itself is this subquery's own.
    return exists(select(literal(1)).select_from(rp).where(rp.c.prop == prop, decided)
                  .correlate_except(rp))

