"""Apply a peer's recalls: purge what it delivered, audit it, queue a purge receipt.

A pull (:mod:`tearline.federation.sync`) reads, after each API root's collections,
the recalls the peer publishes (``tearline/recalls/``) and applies each in one
transaction with its ``recall.purged`` audit entry and its signed purge receipt (sent
after the commit, like delivery receipts). Kept apart from the pull because a recall
removes what a pull stored, under rules of its own (what the peer may make us forget).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tearline.audit.events import RecallPurged, now
from tearline.errors import IntegrityError, PeerError, tr
from tearline.federation.client import TaxiiClient
from tearline.federation.partners import Partner
from tearline.federation.receipts import build_purge_receipt
from tearline.federation.refusals import refused_answer
from tearline.keys import NodeKey
from tearline.store import Store, audit_log
from tearline.store import sync_state as ss

RECALLS_PATH = "tearline/recalls/"
PURGE_RECEIPTS_PATH = "tearline/purge-receipts/"


def apply_recalls(store: Store, partner: Partner, client: TaxiiClient, root: str, *,
                  node_key: NodeKey | None, node_name: str | None, own_agency: str | None,
                  clock: Callable[[], datetime]) -> list[tuple[str, str, int]]:
    """Purge what the peer recalls, each in one transaction with its audit entry and
    its signed purge receipt (sent after the commit, like delivery receipts).

    A peer can only make us purge what *it* delivered and we stored
    (``sync_received``), and never statements of our own agency. The purge receipt
    is the same whatever we held: it names the recall, not what was deleted here,
    and the versions the peer delivered are forgotten whatever became of them (so a
    later release is received, and acknowledged, afresh). Whether we had stored the
    record, refused it (its id exists here as another agency's record) or never
    received it is ours to know, not the peer's. A recall seen again before the peer
    recorded our receipt is not applied twice: the receipt id is derived from the
    recall id."""
    if not partner.signed or node_key is None:
        return []
    base = root if root.endswith("/") else root + "/"
    try:
        doc = client.get_json(base + RECALLS_PATH)
    except IntegrityError:
        refused_answer(store, partner, None)
        raise
    items = doc.get("recalls")
    if not isinstance(items, list):
        raise PeerError(tr("malformed recalls answer: 'recalls' must be a list"))
    done: list[tuple[str, str, int]] = []
    for item in items:
        if not (isinstance(item, dict) and isinstance(item.get("recall_id"), str)
                and isinstance(item.get("entity_id"), str)):
            raise PeerError(tr("malformed recall: recall_id and entity_id are required"))
        recall_id, entity_id = item["recall_id"][:100], item["entity_id"]
        receipt_id = f"purge-{recall_id}"
        at = clock()
        with store.transaction() as conn:
            if ss.has_receipt(conn, receipt_id):
                continue
            purged: list[str] = []
            if ss.delivered_by(conn, partner.name, entity_id):
                purged = ss.purge_delivered(conn, partner.name, entity_id, own_agency)
            ss.forget_received(conn, partner.name, entity_id)
            audit_log.append(conn, [RecallPurged(
                at=now(), actor="system", recall_id=recall_id, entity_id=entity_id[:128],
                peer=partner.party, statement_ids=tuple(purged))])
            body = build_purge_receipt(node_key, node_name or node_key.name, item, at)
            ss.add_receipt(conn, receipt_id, partner.name, base + PURGE_RECEIPTS_PATH,
                           body, at)
        done.append((recall_id, entity_id, len(purged)))
    return done
