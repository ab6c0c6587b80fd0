"""Recalls as the serving node sees them: what a peer holds that it may no longer have.

A peer holds a record once this node has served it (a ``record.read`` entry, path
``federation``, actor ``node:<peer>``). When that record no longer exists for the
peer's subject — the originator recalled the release, retracted the record, narrowed
its marking, or a vetting or consent it relied on ended — the peer must purge it: that
is a *recall* for the peer. Deriving recalls from "served, and no longer visible"
rather than from a list of recall commands means every way a release can end travels
to every node that received the record, through the same compiled policy that decides
what is served.

A recall has a stable id for the peer, the record and the record's position in the
feed (:mod:`tearline.store.feed`): if the record becomes visible again and is recalled
again later, that is a new recall. It stays pending until the peer returns a signed
purge receipt for it, recorded as ``recall.acknowledged``; the peer lists pending
recalls with ``GET {api root}tearline/recalls/`` (``taxii/recalls.py`` records the
receipts; :mod:`tearline.federation.receipts` builds and checks them).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from tearline.stix.export import object_id
from tearline.store import reader
from tearline.store import tables as t
from tearline.store.audit_tables import audit_entries
from tearline.store.feed import CHANGE_KINDS
from tearline.store.peers import Peer
from tearline.store.visibility import Visibility


@dataclass(frozen=True, slots=True)
class Recall:
    id: str
    entity_id: str
    object_id: str
    version: int  # the last version the peer was served

    def resource(self) -> dict[str, Any]:
        return {"recall_id": self.id, "entity_id": self.entity_id,
                "object_id": self.object_id, "version": self.version}


def _recall_id(peer: str, entity_id: str, position: int) -> str:
    digest = hashlib.sha256(f"{peer}\n{entity_id}\n{position}".encode()).hexdigest()
    return "rc-" + digest[:32]


def _served(conn: Connection, peer: Peer) -> dict[str, int]:
    """Record id → last version served to ``peer``."""
    e = audit_entries
    rows = conn.execute(
        select(e.c.entity_id, e.c.body)
        .where(e.c.actor == peer.party, e.c.kind == "record.read")
        .order_by(e.c.idx)
    )
    out: dict[str, int] = {}
    for entity_id, body in rows:
        out[entity_id] = int(json.loads(bytes(body))["version"])
    return out


def _acknowledged(conn: Connection, peer: Peer) -> set[str]:
    e = audit_entries
    rows = conn.execute(select(e.c.body).where(e.c.actor == peer.party,
                                               e.c.kind == "recall.acknowledged"))
    return {json.loads(bytes(body))["recall_id"] for (body,) in rows}


def _positions(conn: Connection, ids: Sequence[str]) -> dict[str, int]:
    e = audit_entries
    out: dict[str, int] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        rows = conn.execute(
            select(e.c.entity_id, func.max(e.c.idx))
            .where(e.c.entity_id.in_(chunk), e.c.kind.in_(CHANGE_KINDS))
            .group_by(e.c.entity_id))
        out.update({eid: int(idx) for eid, idx in rows})
    return out


def _schemas(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    r = t.records
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        out.update(dict(conn.execute(select(r.c.id, r.c.schema).where(r.c.id.in_(chunk))).all()))
    return out


def recalls_for(conn: Connection, peer: Peer, at: datetime,
                pending_only: bool = True) -> list[Recall]:
    """The recalls for ``peer`` at ``at`` (only those not yet acknowledged, by default)."""
    served = _served(conn, peer)
    if not served:
        return []
    visible = reader.visible_entities(conn, Visibility(peer.subject, at), list(served))
    gone = sorted(set(served) - visible)
    positions = _positions(conn, gone)
    schemas = _schemas(conn, gone)
    done = _acknowledged(conn, peer) if pending_only else set()
    out = []
    for entity_id in gone:
        rid = _recall_id(peer.name, entity_id, positions.get(entity_id, 0))
        if rid in done:
            continue
        schema = schemas.get(entity_id)
        sid = object_id(entity_id, schema) if schema else ""
        out.append(Recall(rid, entity_id, sid, served[entity_id]))
    return out
