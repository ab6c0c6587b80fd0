"""Purge receipts as the serving node records them: a peer's acknowledgement of one of
its pending recalls (:mod:`tearline.store.recalls` derives them; the receipt is built
and checked in :mod:`tearline.federation.receipts`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from tearline.audit.events import RecallAcknowledged, ReceiptRefused, now
from tearline.errors import IntegrityError, NotFound, ValidationError, WrongNode, tr
from tearline.federation.receipts import check_purge_receipt
from tearline.store import Peer, Recall, Store, audit_log, recalls_for

__all__ = ["Recall", "record_purge_receipt"]


def record_purge_receipt(store: Store, peer: Peer, body: bytes, at: datetime) -> str:
    """Verify a purge receipt for one of the peer's pending recalls and log it as
    ``recall.acknowledged``; returns the recall id. A refused receipt is logged too."""
    digest = hashlib.sha256(body).hexdigest()
    try:
        doc = check_purge_receipt(peer, body)
    except (ValidationError, IntegrityError) as exc:
        reason: Any = ("malformed" if isinstance(exc, ValidationError)
                       else "wrong-node" if isinstance(exc, WrongNode) else "bad-signature")
        with store.transaction() as conn:
            audit_log.append(conn, [ReceiptRefused(at=now(), actor=peer.party, peer=peer.party,
                                                   receipt_digest=digest, reason=reason)])
        raise
    with store.transaction() as conn:
        pending = {r.id: r for r in recalls_for(conn, peer, at)}
        recall = pending.get(doc["recall_id"])
        if recall is None or recall.entity_id != doc["entity_id"]:
            raise NotFound(tr("no such pending recall"))
        audit_log.append(conn, [RecallAcknowledged(
            at=now(), actor=peer.party, recall_id=recall.id, entity_id=recall.entity_id,
            recipient=peer.party, receipt_digest=digest)])
    return recall.id
