"""What a node holds, whoever may see it: facts the policy does not filter.

Only code that acts for the node itself reads these — the pull, judging which of a
peer's records are already held here and by whom, and the federation demo, showing
each node's records and markings. Nothing read here is ever answered to a user or a
peer as it is; every read for a subject goes through :mod:`tearline.store.reader`.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from tearline.store import tables as t

#: Ids per query: under SQLite's 32,766 and psycopg's 65,535 parameters.
CHUNK = 500


def originators(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """The originating agency of each of ``ids`` that exists, by id."""
    r = t.records
    found: dict[str, str] = {}
    for i in range(0, len(ids), CHUNK):
        rows = conn.execute(select(r.c.id, r.c.originator).where(r.c.id.in_(ids[i:i + CHUNK])))
        found.update({row.id: row.originator for row in rows})
    return found


def held_markings(conn: Connection) -> list[tuple[str, str, str]]:
    """Every stored record as (originator, record id, its marking's canonical JSON)."""
    r, m = t.records, t.markings
    rows = conn.execute(select(r.c.originator, r.c.id, m.c.body)
                        .join(m, m.c.id == r.c.marking_id)).all()
    return [(str(originator), str(entity_id), str(body)) for originator, entity_id, body in rows]
