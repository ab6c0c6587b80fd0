"""What partners received of our releases: the objects their signed receipts name.

A peer that pulled from this node returns a signed receipt naming the object versions
it received (``federation/receipts.py``); once verified, the node logs it
(``receipt.recorded``) and keeps here which objects it names (``receipt_objects``,
migration 0038, append-only), so that a release can be shown with what the partner
acknowledged receiving of it. The purge receipts of recalls are the audit log's
``recall.acknowledged`` entries.

:func:`deliveries` answers, per release, for each peer the release reaches (its
``agency:`` or ``unit:`` selector names the peer's agency or unit): the receipts that
name the release's record object, recorded while the release was in force, and the
recalls of that record the peer acknowledged since the release. Versions are not
shown: an object's version for the peer moves with changes only the peer may see.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Connection, Index, Integer, String, Table, select

from tearline.model.marking import SelectorKind
from tearline.policy.release import Release
from tearline.stix.export import object_id
from tearline.store import tables as t
from tearline.store.audit_tables import audit_entries
from tearline.store.peers import Peer
from tearline.store.tables import TS, from_ts, metadata, ts

receipt_objects = Table(
    "receipt_objects",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("peer", String(200), nullable=False),  # node:<name>
    Column("receipt_digest", String(64), nullable=False),
    Column("object_id", String(200), nullable=False),
    Column("version", String(40), nullable=False),
    Column("recorded_at", TS, nullable=False),
    Index("ix_receipt_objects_object", "object_id", "peer"),
)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One peer's acknowledgements of one release."""

    peer: str
    object_id: str
    #: When each receipt naming the record's object was recorded, oldest first.
    received: tuple[datetime, ...]
    #: (recall id, when acknowledged) of the record's recalls the peer purged.
    purged: tuple[tuple[str, datetime], ...]


def keep(conn: Connection, peer: str, digest: str, objects: Sequence[tuple[str, str]],
         at: datetime) -> None:
    """Keep which object versions a verified receipt of ``peer`` names."""
    if objects:
        conn.execute(receipt_objects.insert(), [
            {"peer": peer, "receipt_digest": digest, "object_id": o[:200], "version": v[:40],
             "recorded_at": ts(at)} for o, v in objects])


def _reaches(release: Release, peer: Peer) -> bool:
    return ((release.to.kind is SelectorKind.AGENCY and release.to.value == peer.agency)
            or (release.to.kind is SelectorKind.UNIT and release.to.value == peer.unit))


def deliveries(conn: Connection, made: Sequence[Release],
               peers: Sequence[Peer]) -> dict[str, list[Delivery]]:
    """Release id → what each peer it reaches acknowledged of it (see the module doc)."""
    pairs = [(r, p) for r in made for p in peers if _reaches(r, p)]
    if not pairs:
        return {}
    ids = sorted({r.entity_id for r, _ in pairs})
    schemas = dict(conn.execute(select(t.records.c.id, t.records.c.schema)
                                .where(t.records.c.id.in_(ids))).all())
    sids = {i: object_id(i, schema) for i, schema in schemas.items()}
    # One query per table for the whole page, then each (release, peer) pair picks its
    # rows: the receipts naming the record's object, the purges of the record.
    c, e = receipt_objects.c, audit_entries.c
    parties = sorted({p.party for _, p in pairs})
    received_at: dict[tuple[str, str], list[datetime]] = {}
    for sid, peer_party, at in conn.execute(
            select(c.object_id, c.peer, c.recorded_at).where(
                c.object_id.in_(sorted(sids.values())), c.peer.in_(parties))):
        received_at.setdefault((sid, peer_party), []).append(from_ts(at))
    purges: dict[tuple[str, str], list[tuple[str, datetime]]] = {}
    for entity_id, actor, body, at in conn.execute(
            select(e.entity_id, e.actor, e.body, e.at).where(
                e.kind == "recall.acknowledged", e.actor.in_(parties),
                e.entity_id.in_(sorted(sids))).order_by(e.idx)):
        purges.setdefault((entity_id, actor), []).append(
            (json.loads(bytes(body))["recall_id"], from_ts(at)))
    out: dict[str, list[Delivery]] = {}
    for release, peer in pairs:
        sid = sids.get(release.entity_id)
        if sid is None:
            continue
        received = tuple(sorted({
            at for at in received_at.get((sid, peer.party), ())
            if at >= release.at and (release.revoked_at is None or at <= release.revoked_at)}))
        purged = tuple((recall, at) for recall, at in purges.get(
            (release.entity_id, peer.party), ()) if at >= release.at)
        if received or purged:
            out.setdefault(release.id, []).append(
                Delivery(peer.name, sid, received, purged))
    return out
