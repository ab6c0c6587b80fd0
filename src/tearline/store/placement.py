"""What a writer's file ids name, read from the store (see :mod:`tearline.model.namespace`).

Two questions, and only these, decide where a file's records go:

* which of the writer unit's own-namespace ids exist — its own records, whatever
  their visibility now (a relationship whose other end it cannot see, a record
  another unit of its agency retracted): only that unit creates ids in its namespace;
* which of the file's other ids exist **for the writer**, asked through the same
  policy predicates as every read (:func:`tearline.store.reader.visible_entities`).

A record hidden from the writer is never in the answer, so a file naming its id gets
the same placement as a file naming an id never created.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from tearline.model.namespace import Placement, Target, own_id
from tearline.policy.subject import Subject
from tearline.store import tables as t
from tearline.store.read_rows import markings_by_id
from tearline.store.reader import visible_entities
from tearline.store.visibility import Visibility

#: Ids per query: under SQLite's 32,766 and psycopg's 65,535 parameters.
CHUNK = 5_000


def _heads(conn: Connection, ids: Sequence[str]) -> dict[str, Any]:
    r = t.records
    found: dict[str, Any] = {}
    for i in range(0, len(ids), CHUNK):
        query = select(r.c.id, r.c.schema, r.c.originator, r.c.author, r.c.marking_id).where(
            r.c.id.in_(ids[i : i + CHUNK]))
        found.update((row.id, row) for row in conn.execute(query))
    return found


def placement(conn: Connection, subject: Subject, at: datetime, ids: Iterable[str]) -> Placement:
    """Where ``subject``'s file ids go at ``at`` (the instant its statements are made)."""
    file_ids = set(ids)
    owns = {own_id(subject.unit, i) for i in file_ids}
    heads = _heads(conn, sorted(file_ids | owns))
    mine = {i for i in owns if i in heads and heads[i].author == subject.unit}
    blocked = frozenset(i for i in owns if i in heads and i not in mine)
    others = sorted(i for i in heads if i in file_ids and i not in owns)
    vis = Visibility(subject, at)
    visible: set[str] = set()
    for i in range(0, len(others), CHUNK):
        visible.update(visible_entities(conn, vis, others[i : i + CHUNK]))
    chosen = [heads[i] for i in sorted(mine | visible)]
    markings = markings_by_id(conn, {row.marking_id for row in chosen})
    existing = {
        row.id: Target(row.id, row.schema, row.originator, row.author,
                       markings[row.marking_id])
        for row in chosen
    }
    return Placement(subject.unit, existing, blocked)
