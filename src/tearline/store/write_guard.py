"""Writes the store refuses whoever asks: the last line behind the callers' checks.

* Statements of another schema added to an existing record (a Vessel's property in
  a Person): a record's schema is fixed when it is created.
* A new record under a unit's namespace (``<unit>..<id>``, see
  :mod:`tearline.model.namespace`) authored by anyone but that unit: a writer's file
  ids are placed in its own namespace on the promise that nobody else can hold them,
  so that a record of another party can never sit where the writer's would go.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from tearline.errors import Problem, tr
from tearline.model.namespace import namespace, owner
from tearline.model.record import Record
from tearline.store import tables as t

#: Ids per existence query: under SQLite's 32,766 and psycopg's 65,535 parameters.
CHUNK = 5_000


def stored_schemas(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """The schema of each of ``ids`` that exists, by id."""
    r = t.records
    found: dict[str, str] = {}
    for i in range(0, len(ids), CHUNK):
        query = select(r.c.id, r.c.schema).where(r.c.id.in_(ids[i : i + CHUNK]))
        found.update((row.id, row.schema) for row in conn.execute(query))
    return found


def refused_writes(records: Sequence[Record], schemas: dict[str, str]) -> list[Problem]:
    """Why the writer refuses some of ``records`` (see the module docstring), given the
    schemas of those that exist already."""
    problems: list[Problem] = []
    for rec in records:
        stored = schemas.get(rec.id)
        if stored is not None and stored != rec.schema:
            problems.append(Problem(
                tr(
                    "{id} is a record of schema {stored}; {schema} statements cannot be added to "
                    "it", id=rec.id, stored=stored, schema=rec.schema),
                column="schema"))
        space = owner(rec.id) if stored is None else None
        if space is not None and space != namespace(rec.author):
            problems.append(Problem(
                tr(
                    "{id} lies in the namespace of {space}; only that unit creates such ids",
                    id=rec.id, space=space),
                column="id"))
    return problems
