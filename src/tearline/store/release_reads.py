"""What a record page lists of a record's releases: those its viewer's agency made.

:func:`~tearline.store.releases.releases` reads every release of the records asked
for, each time building its statements; a record page asks for one record and one
agency on every view, so its read is compiled once (``store/prepared.py``), filtered
by the agency in the statement, and reads the released items only when there is a
release to list.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, String, bindparam, select

from tearline.model.marking import Selector, SelectorKind
from tearline.policy.release import Release
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.prepared import prepared


def _made_by_query(_: str) -> Any:
    rl, rv = rt.releases, rt.release_revocations
    return (select(rl.c.id, rl.c.by_unit, rl.c.to_kind, rl.c.to_value, rl.c.to_agency,
                   rl.c.basis, rl.c.released_at, rv.c.revoked_at)
            .select_from(rl.outerjoin(rv, rv.c.release_id == rl.c.id))
            .where(rl.c.entity_id == bindparam("entity", type_=String()),
                   rl.c.by_agency == bindparam("agency", type_=String()))
            .order_by(rl.c.released_at, rl.c.id))


def _items_query(_: str) -> Any:
    rl, ri = rt.releases, rt.release_items
    return (select(ri.c.release_id, ri.c.statement_id)
            .select_from(ri.join(rl, rl.c.id == ri.c.release_id))
            .where(rl.c.entity_id == bindparam("entity", type_=String()),
                   rl.c.by_agency == bindparam("agency", type_=String())))


def made_by(conn: Connection, entity_id: str, agency: str) -> list[Release]:
    """The releases of record ``entity_id`` that ``agency`` made, in the order they were
    made, recalled ones included: those of :func:`~tearline.store.releases.releases`
    of the record whose ``by_agency`` is ``agency``."""
    params = {"entity": entity_id, "agency": agency}
    rows = prepared(conn, ("releases-made-by",), _made_by_query).run(conn, params)
    if not rows:
        return []
    items: dict[str, set[str]] = {}
    for release_id, statement_id in prepared(conn, ("release-items-made-by",),
                                             _items_query).run(conn, params):
        items.setdefault(release_id, set()).add(statement_id)
    return [Release(id=rid, entity_id=entity_id, by_unit=by_unit, by_agency=agency,
                    to=Selector(SelectorKind(kind), value), to_agency=to_agency, basis=basis,
                    at=t.from_ts(at), items=frozenset(items.get(rid, ())),
                    revoked_at=t.from_ts(revoked) if revoked else None)
            for rid, by_unit, kind, value, to_agency, basis, at, revoked in rows]
