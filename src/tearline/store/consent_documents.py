"""Signed consents received from originators, kept so that they travel on with the record.

An originator's node attaches to a record it serves the consents it has recorded for
the receiving agency (``Record.extra["consents"]``: documents signed with its node
key, see :mod:`tearline.taxii.consents`). A node that accepted such a record keeps the
documents here, unchanged, and attaches them again whenever it serves the record
onward: the next node can then check, with the originator's own verifier key, that
the originator let the sender release it. The documents are kept as received (their
signatures cover their exact content); checking them is the receiver's job before it
calls :func:`keep`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Index, String, Table, Text, select

from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.tables import TS, metadata

consent_documents = Table(
    "consent_documents",
    metadata,
    Column("consent_id", String(64), primary_key=True),
    Column("entity_id", String(128), nullable=False),
    Column("by_agency", String(128), nullable=False),
    Column("to_agency", String(128), nullable=False),
    Column("document", Text, nullable=False),  # the signed JSON document as received
    Column("received_from", String(128), nullable=False),
    Column("received_at", TS, nullable=False),
    Index("ix_consent_documents_entity", "entity_id", "to_agency"),
)


def keep(conn: Connection, documents: Iterable[dict[str, Any]], received_from: str,
         at: datetime) -> int:
    """Keep verified consent documents (once per consent id); returns how many were new."""
    new = 0
    for doc in documents:
        cid = doc.get("consent_id")
        if not isinstance(cid, str):
            continue
        known = conn.execute(select(consent_documents.c.consent_id)
                             .where(consent_documents.c.consent_id == cid)).first()
        if known:
            continue
        conn.execute(consent_documents.insert().values(
            consent_id=cid, entity_id=str(doc["entity_id"]), by_agency=str(doc["by_agency"]),
            to_agency=str(doc["to_agency"]), document=json.dumps(doc, sort_keys=True),
            received_from=received_from, received_at=t.ts(at)))
        new += 1
    return new


def for_agency(conn: Connection, entity_ids: Sequence[str],
               to_agency: str) -> dict[str, list[dict[str, Any]]]:
    """The kept documents letting ``to_agency`` release each of ``entity_ids`` onward."""
    c = consent_documents
    out: dict[str, list[dict[str, Any]]] = {}
    for i in range(0, len(entity_ids), 500):
        chunk = list(entity_ids[i : i + 500])
        rows = conn.execute(select(c.c.entity_id, c.c.document)
                            .where(c.c.entity_id.in_(chunk), c.c.to_agency == to_agency)
                            .order_by(c.c.consent_id))
        for entity_id, document in rows:
            out.setdefault(entity_id, []).append(json.loads(document))
    return out


def recorded_consents(conn: Connection, consent_ids: Sequence[str]) -> set[str]:
    """Which of ``consent_ids`` this node has recorded as consents (its own or received)."""
    c = rt.consents
    return set(conn.execute(select(c.c.id).where(c.c.id.in_(list(consent_ids)))).scalars())


def record_received_consent(conn: Connection, document: dict[str, Any], granted_at: datetime,
                            recorded_by: str) -> None:
    """Record the consent of a verified document received from its originator's node, as
    a consent of our own history (``recorded_by`` names the peer it came from)."""
    conn.execute(rt.consents.insert().values(
        id=document["consent_id"][:64], entity_id=document["entity_id"],
        by_agency=document["by_agency"], to_agency=document["to_agency"],
        granted_at=t.ts(granted_at), recorded_by=recorded_by))
