"""What a peer may pull, in the order it was added: the federation feed of one collection.

A TAXII collection is ordered by *date added*. tearline's records carry their own
dates (created, modified: the data's time, which may lie in the past), so the order in
which things were added to this node is taken from the audit log, where every write
(and every change of what a record's readers may see: retraction, re-marking, release,
consent, recall) is an entry with a strictly increasing index and a timestamp. A
record's *position* is the index of its latest such entry, its *date added* that
entry's time: a record released to a peer after the peer's cursor had passed it comes
back at a new position, so the peer receives it on its next pull.

The query carries the policy predicate for the peer's subject (``Visibility``), so a
record the peer may not see is never fetched; the collection filter (the agreement the
record's marking or one of its releases cites; for the peer's default collection, also
records citing none of the peer's agreements) narrows it further. Like every read,
nothing here decides visibility after fetching.

Serving a peer is a release by this node: a record another agency originated is
served only with that originator's consent, recorded here as a signed consent document
letting this node's agency pass it on (``relay``); a record of the peer's own agency
is not served back to it (it holds the original). This is a filter of the query too,
so a record a node may not relay never leaves it, rather than being refused by the
receiver. Within a record, each ORCON item of another agency — the record's own
marking, or a statement — passes only with its originator's consent for this node's
agency in force: the service runs the feed with the predicates of
:class:`~tearline.store.relay.Relay`, so a record with nothing left to pass on is not
in the feed either.

A change of vetting alters what a unit may see without an entry naming the records
concerned, and so does the arrival of an entity that a relationship refers to (the
relationship exists for a reader only once both its ends do); such records are served
at their last position, so a peer re-pulling from the start receives them. This is a
known limit of ordering by the log (following references in the feed query made it
grow with the square of the log on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Connection, String, and_, bindparam, exists, or_, select

from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.audit_tables import audit_entries
from tearline.store.consent_documents import consent_documents
from tearline.store.existence import relationship_ends
from tearline.store.visibility import Visibility

#: Audit entry kinds that add a record or change what its readers may see.
CHANGE_KINDS = (
    "record.created",
    "record.updated",
    "record.retracted",
    "marking.changed",
    "release.created",
    "release.onward",
    "consent.recorded",
    "recall.issued",
)

MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One record in a collection: where it stands in the feed, and when it was added."""

    entity_id: str
    schema: str
    position: int
    added_at: str  # audit timestamp, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``


_QUERIES: dict[tuple[str, bool, bool, bool, bool], Any] = {}


def _feed_query(vis: Visibility, by_ids: bool, added_after: bool, default: bool,
                relay: bool) -> Any:
    """The feed statement; built once per shape (the subject and instant are bound values)
    and kind of predicates (``vis.shape``: a :class:`~tearline.store.relay.Relay` narrows
    them to what this node may pass on)."""
    shape = (by_ids, added_after, default, relay)
    found = _QUERIES.get((vis.shape, *shape))
    if found is None:
        found = _QUERIES[(vis.shape, *shape)] = _build(vis, *shape)
    return found


def _cites(r: Any, bases: Any, many: bool) -> Any:
    """Record ``r``'s marking, or one of its releases, cites ``bases`` (one, or any of many)."""
    m, rl = t.markings, rt.releases
    if many:
        return or_(exists().where(m.c.id == r.c.marking_id, m.c.legal_basis.in_(bases)),
                   exists().where(rl.c.entity_id == r.c.id, rl.c.basis.in_(bases)))
    return or_(exists().where(m.c.id == r.c.marking_id, m.c.legal_basis == bases),
               exists().where(rl.c.entity_id == r.c.id, rl.c.basis == bases))


def _relayable(r: Any) -> Any:
    """Record ``r`` is this node's agency's own, or its originator consented to this
    node's agency passing it on; never a record of the peer's own agency."""
    own: Any = bindparam("own_agency", type_=String())
    cd = consent_documents
    consented = exists().where(cd.c.entity_id == r.c.id, cd.c.by_agency == r.c.originator,
                               cd.c.to_agency == own)
    return and_(r.c.originator != bindparam("peer_agency", type_=String()),
                or_(r.c.originator == own, consented))


def _build(vis: Visibility, by_ids: bool, added_after: bool, default: bool,
           relay: bool) -> Any:
    e = audit_entries
    later = audit_entries.alias("later")
    r = t.records.alias("fr")
    basis = bindparam("coll_basis", type_=String())
    after: Any = bindparam("after_position", type_=BigInteger())
    after_id: Any = bindparam("after_id", type_=String())
    member = _cites(r, basis, many=False)
    if default:  # also what cites none of the peer's agreements
        others: Any = bindparam("coll_all", expanding=True)
        member = or_(member, ~_cites(r, others, many=True))
    query = (
        select(e.c.entity_id, r.c.schema, e.c.idx, e.c.at)
        .join(r, r.c.id == e.c.entity_id)
        .where(
            e.c.idx >= after,
            e.c.kind.in_(CHANGE_KINDS),
            ~exists().where(later.c.entity_id == e.c.entity_id, later.c.idx > e.c.idx,
                            later.c.kind.in_(CHANGE_KINDS)),
            member,
            vis.entity(r, relationship_ends()),
        )
    )
    if relay:
        query = query.where(_relayable(r))
    if by_ids:
        query = query.where(e.c.entity_id.in_(bindparam("entity_ids", expanding=True)))
    if added_after:
        query = query.where(e.c.at > bindparam("added_after", type_=String()))
    # (entry index, record id) is the position; one entry names one record, so the id only
    # breaks ties that cannot occur today, and keeps cursors exact if that ever changes
    query = query.where(or_(e.c.idx > after, and_(e.c.idx == after, r.c.id > after_id)))
    return query.order_by(e.c.idx, r.c.id).limit(bindparam("feed_limit"))


def feed(conn: Connection, vis: Visibility, basis: str, after_position: int = 0,
         added_after: datetime | None = None, entity_ids: Sequence[str] | None = None,
         limit: int = 100, default_of: Sequence[str] | None = None,
         after_id: str = "", relay: tuple[str, str] | None = None) -> list[FeedItem]:
    """The next ``limit`` records of the collection of agreement ``basis`` that exist for
    ``vis``'s subject, after ``after_position``, in the order they were added.

    ``default_of``: the agreements of all the peer's collections, when this one is the
    default collection; it then also holds the visible records that cite none of them
    (a marking without legal basis, or citing an agreement the peer is not party to), so
    that every record the peer may see is in one of its collections.
    """
    if entity_ids is not None and not entity_ids:
        return []
    params: dict[str, Any] = {
        **vis.params,
        "coll_basis": basis,
        "after_position": after_position,
        "after_id": after_id,
        # one more than a page: callers ask for it to learn whether another page follows
        "feed_limit": max(1, min(limit, MAX_LIMIT + 1)),
    }
    if entity_ids is not None:
        params["entity_ids"] = sorted(set(entity_ids))
    if added_after is not None:
        params["added_after"] = t.ts(added_after)
    if default_of is not None:
        params["coll_all"] = sorted(set(default_of) | {basis})
    if relay is not None:
        params["own_agency"], params["peer_agency"] = relay
    query = _feed_query(vis, entity_ids is not None, added_after is not None,
                        default_of is not None, relay is not None)
    return [FeedItem(row[0], row[1], int(row[2]), row[3])
            for row in conn.execute(query, params)]


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
