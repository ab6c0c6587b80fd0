"""What a peer may pull, in the order it was added: the federation feed of one collection.

A TAXII collection is ordered by *date added*. A record's date added, for a peer, is
the last time it changed **in that peer's view** — the latest of:

* the times its statements the peer is shown were added (``statements.added_at``, the
  time of the write, never the data's own first-seen time, which may lie in the past);
* the times its own marking, and the markings of the statements shown, were set;
* the times releases reaching the peer (to its agency, its unit, or an agency that
  vetted its unit) were made;
* when this node passes it on (:class:`~tearline.store.relay.Relay`), the times the
  consents letting this node's agency do so were recorded, received or withdrawn;
* what narrowed the peer's view: the times a release that reached it was revoked, a
  statement it could see was retracted or re-marked away from it. A record's date never
  goes back, so a record the peer still may have is never left behind its cursor.

Nothing the peer may not see enters: a portion added or re-marked where the peer
cannot see it, a release to someone else, an ORCON statement this node may not pass
on, another unit's activity — none moves a record or its date (``docs/federation.md``,
"What a peer can learn from the feed's order"; the two-world suite checks it). A
record released to the peer after the peer's cursor had passed it comes back later in
the feed, so the peer receives it on its next pull.

A page is the next records by (date added, id) after the cursor. Every time above is a
stored row's, in a table indexed by (time, record id): the feed walks those indexes
in order, merged, and settles each record it meets by computing its date for the
peer; a record is taken at the one time that is its date. Each row is read once over a
whole walk of the feed, however the pages fall.

The query carries the policy predicate for the peer's subject (``Visibility``), so a
record the peer may not see is never taken; the collection filter (the agreement the
record's marking or one of its releases cites; for the peer's default collection, also
records citing none of the peer's agreements) narrows it further. Serving a peer is a
release by this node: a record another agency originated is served only with that
originator's consent for this node's agency (``relay``); a record of the peer's own
agency is not served back to it. Within a record, each ORCON item of another agency
passes only with its originator's consent in force (``Relay``'s predicates), so a
record with nothing left to pass on is not in the feed either.

A change of vetting alters what a unit may see without a row about the records
concerned, and so does the arrival of an entity that a relationship refers to (the
relationship exists for a reader only once both its ends do); such records keep their
date, so a peer re-pulling from the start receives them. Times are the node clock's,
read by each write before it commits: a bulk write reads its statements' time once it
holds the write lock (``store/writer.py``), so writes of records commit in the order of
their times; a release, re-marking or consent (a short transaction) that commits after
a later-stamped one can fall behind a cursor taken between the two, and a pull from the
start receives it. The query that computes a record's date is ``store/feed_dates.py``.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    bindparam,
    select,
    tuple_,
)

from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.consent_documents import consent_documents
from tearline.store.existence import relationship_ends
from tearline.store.feed_dates import _date, _dates_query
from tearline.store.visibility import Visibility

MAX_LIMIT = 1000
#: (time, record id) pairs read from one index per round trip.
WALK_CHUNK = 2_000
#: Records settled (their dates computed) per round trip.
SETTLE_CHUNK = 500

#: A position in the feed: (date added as stored, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; id).
Position = tuple[str, str]
START: Position = ("", "")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One record in a collection: when it was added for the peer, which is its position
    with its id."""

    entity_id: str
    schema: str
    added_at: str  # stored form, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``

    @property
    def position(self) -> Position:
        return (self.added_at, self.entity_id)


def _walked() -> tuple[tuple[Any, Any], ...]:
    """The time columns walked: (table, time column), each read in (time, record id) order
    from an index (migration 0019); revocations and withdrawals through their release or
    consent, small tables."""
    s, mc, rl = t.statements, rt.marking_changes, rt.releases
    c, cd = rt.consents, consent_documents
    revoked = (select(rt.release_revocations.c.revoked_at, rl.c.entity_id)
               .join_from(rt.release_revocations, rl,
                          rl.c.id == rt.release_revocations.c.release_id).subquery("fwr"))
    withdrawn = (select(rt.consent_withdrawals.c.withdrawn_at, c.c.entity_id)
                 .join_from(rt.consent_withdrawals, c,
                            c.c.id == rt.consent_withdrawals.c.consent_id).subquery("fww"))
    return ((s, s.c.added_at), (s, s.c.retracted_at), (mc, mc.c.changed_at),
            (rl, rl.c.released_at), (revoked, revoked.c.revoked_at), (c, c.c.granted_at),
            (withdrawn, withdrawn.c.withdrawn_at), (cd, cd.c.received_at))


def _by_code_point(conn: Connection, column: Any) -> Any:
    """``column`` compared and ordered by code point, as Python compares strings (the
    feed merges in Python what each index yields)."""
    return column.collate("C") if conn.dialect.name == "postgresql" else column


def _walk(conn: Connection, table: Any, time: Any, after: Position) -> Iterator[Position]:
    """(time, record id) of ``table``'s rows after ``after``, in order, without repeats."""
    entity = _by_code_point(conn, table.c.entity_id)
    query = (select(time, entity).distinct()
             .where(time.is_not(None),
                    tuple_(time, entity) > tuple_(bindparam("t0", type_=String()),
                                                  bindparam("e0", type_=String())))
             .order_by(time, entity).limit(WALK_CHUNK))
    t0, e0 = after
    while True:
        rows = [(row[0], row[1]) for row in conn.execute(query, {"t0": t0, "e0": e0})]
        yield from rows
        if len(rows) < WALK_CHUNK:
            return
        t0, e0 = rows[-1]


def _events(conn: Connection, after: Position) -> Iterator[Position]:
    """Every (time, record id) after ``after`` in every walked column, in order."""
    last: Position | None = None
    for event in heapq.merge(*(_walk(conn, table, time, after) for table, time in _walked())):
        if event != last:
            last = event
            yield event


def _settle(conn: Connection, query: Any, params: dict[str, Any], ids: Sequence[str]
            ) -> dict[str, tuple[str, str]]:
    """Record id → (schema, date added) of those of ``ids`` in the collection for the peer."""
    out: dict[str, tuple[str, str]] = {}
    for i in range(0, len(ids), SETTLE_CHUNK):
        chunk = list(ids[i : i + SETTLE_CHUNK])
        for row in conn.execute(query, {**params, "entity_ids": chunk}):
            date = _date(row[2:])
            if date is not None:
                out[row[0]] = (row[1], date)
    return out


def feed(conn: Connection, vis: Visibility, basis: str, after: Position = START,
         added_after: datetime | None = None, entity_ids: Sequence[str] | None = None,
         limit: int = 100, default_of: Sequence[str] | None = None,
         relay: tuple[str, str] | None = None) -> list[FeedItem]:
    """The next ``limit`` records of the collection of agreement ``basis`` that exist for
    ``vis``'s subject, after position ``after``, by (date added, id).

    ``added_after``: only records added for the subject after that instant.
    ``default_of``: the agreements of all the peer's collections, when this one is the
    default collection; it then also holds the visible records that cite none of them
    (a marking without legal basis, or citing an agreement the peer is not party to), so
    that every record the peer may see is in one of its collections.
    ``relay``: (this node's agency, the peer's agency) when this node passes records on.
    """
    if entity_ids is not None and not entity_ids:
        return []
    params: dict[str, Any] = {**vis.params, "coll_basis": basis}
    if default_of is not None:
        params["coll_all"] = sorted(set(default_of) | {basis})
    if relay is not None:
        params["relay_agency"], params["peer_agency"] = relay
    query = _dates_query(vis, default_of is not None, relay is not None)
    floor = t.ts(added_after) if added_after is not None else ""
    limit = max(1, min(limit, MAX_LIMIT + 1))  # one more than a page: is there another?

    def wanted(item: FeedItem) -> bool:
        return item.position > after and item.added_at > floor

    if entity_ids is not None:
        dated = _settle(conn, query, params, sorted(set(entity_ids)))
        items = sorted((FeedItem(e, schema, date) for e, (schema, date) in dated.items()),
                       key=lambda i: i.position)
        return [i for i in items if wanted(i)][:limit]
    start = max(after, (floor, "\U0010ffff")) if floor else after
    return list(islice(_taken(conn, query, params, start, wanted), limit))


def _taken(conn: Connection, query: Any, params: dict[str, Any], start: Position,
           wanted: Any) -> Iterator[FeedItem]:
    """The records of the collection after ``start``, in feed order: each is taken at the
    event whose time is its date for the peer (every such time is an event walked)."""
    events = _events(conn, start)
    settled: dict[str, tuple[str, str] | None] = {}
    taken: set[str] = set()
    while True:
        batch = list(islice(events, SETTLE_CHUNK))
        if not batch:
            return
        new = sorted({e for _, e in batch if e not in settled})
        found = _settle(conn, query, params, new)
        settled.update({e: found.get(e) for e in new})
        for time, entity_id in batch:
            known = settled[entity_id]
            if known is None or known[1] != time or entity_id in taken:
                continue
            taken.add(entity_id)
            item = FeedItem(entity_id, known[0], time)
            if wanted(item):
                yield item


def schemas_of(conn: Connection, vis: Visibility, entity_ids: Sequence[str]) -> dict[str, str]:
    """The schema of each of ``entity_ids`` that exists for the subject (others are absent).

    Used to type the STIX references to records that are not on the page being served.
    """
    if not entity_ids:
        return {}
    r = t.records.alias("sr")
    query = select(r.c.id, r.c.schema).where(
        r.c.id.in_(bindparam("ref_ids", expanding=True)), vis.entity(r, relationship_ends()))
    rows = conn.execute(query, {**vis.params, "ref_ids": sorted(set(entity_ids))})
    return {row[0]: row[1] for row in rows}


