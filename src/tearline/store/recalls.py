"""Recalls as the serving node sees them: what a peer holds that it may no longer have.

A peer holds a record once this node has served it (a ``record.read`` entry, path
``federation``, actor ``node:<peer>``). When that record no longer exists for the
peer's subject — the originator recalled the release, retracted the record, narrowed
its marking, or a vetting or consent it relied on ended — the peer must purge it: that
is a *recall* for the peer. Deriving recalls from "served, and no longer visible"
rather than from a list of recall commands means every way a release can end travels
to every node that received the record, through the same compiled policy that decides
what is served.

A recall has a stable id for the peer, the record and how many times this node served
the record to the peer: if the record becomes visible again, is served again and is
recalled again later, that is a new recall. The id depends on the peer's own serves
only — never on changes the peer may not see (the record's place in the audit log
moved with them, and an id derived from it told the peer that something hidden
happened). It stays pending until the peer returns a signed
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

from sqlalchemy import Connection, select

from tearline.stix.export import object_id
from tearline.store import reader
from tearline.store import tables as t
from tearline.store.audit_tables import audit_entries
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


def _recall_id(peer: str, entity_id: str, serves: int) -> str:
    digest = hashlib.sha256(f"{peer}\n{entity_id}\nserved {serves}".encode()).hexdigest()
    return "rc-" + digest[:32]


def _served(conn: Connection, peer: Peer) -> dict[str, tuple[int, int]]:
    """Record id → (last version served to ``peer``, how many times it was served)."""
    e = audit_entries
    rows = conn.execute(
        select(e.c.entity_id, e.c.body)
        .where(e.c.actor == peer.party, e.c.kind == "record.read")
        .order_by(e.c.idx)
    )
    out: dict[str, tuple[int, int]] = {}
    for entity_id, body in rows:
        serves = out.get(entity_id, (0, 0))[1] + 1
        out[entity_id] = (int(json.loads(bytes(body))["version"]), serves)
    return out


def _acknowledged(conn: Connection, peer: Peer) -> set[str]:
    e = audit_entries
    rows = conn.execute(select(e.c.body).where(e.c.actor == peer.party,
                                               e.c.kind == "recall.acknowledged"))
    return {json.loads(bytes(body))["recall_id"] for (body,) in rows}


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
    schemas = _schemas(conn, gone)
    done = _acknowledged(conn, peer) if pending_only else set()
    out = []
    for entity_id in gone:
        version, serves = served[entity_id]
        rid = _recall_id(peer.name, entity_id, serves)
        if rid in done:
            continue
        schema = schemas.get(entity_id)
        sid = object_id(entity_id, schema) if schema else ""
        out.append(Recall(rid, entity_id, sid, version))
    return out
