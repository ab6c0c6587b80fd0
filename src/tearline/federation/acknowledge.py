"""Acknowledge what a pull received: queue signed receipts, send the pending ones.

A receipt is written in the page's transaction (:mod:`tearline.federation.sync`), so
it exists exactly when what it acknowledges was stored, and POSTed to the peer after
the commit; one the peer does not accept stays pending and is sent by the next sync,
before anything is pulled. What a receipt says is built in
:mod:`tearline.federation.receipts`; this module is the queue around it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from tearline.errors import PeerError
from tearline.federation.client import TaxiiClient
from tearline.federation.partners import Partner
from tearline.federation.receipts import build_receipt
from tearline.keys import NodeKey
from tearline.store import Connection, Store
from tearline.store import sync_state as ss

RECEIPTS_PATH = "tearline/receipts/"


def add_receipt(conn: Connection, partner: Partner, node_key: NodeKey, node_name: str | None,
                root: str, collection_id: str, objects: Sequence[tuple[str, str]],
                at: datetime) -> None:
    receipt_id = f"rcpt-{uuid.uuid4().hex}"
    body = build_receipt(node_key, node_name or node_key.name, collection_id, objects, at)
    url = (root if root.endswith("/") else root + "/") + RECEIPTS_PATH
    ss.add_receipt(conn, receipt_id, partner.name, url, body, at)


def send_pending(store: Store, partner: Partner, client: TaxiiClient,
                 clock: Callable[[], datetime]) -> int:
    """POST every pending receipt; one the peer does not accept stays pending."""
    if not partner.signed:
        return 0
    with store.reading() as conn:
        pending = ss.pending_receipts(conn, partner.name)
    sent = 0
    for receipt_id, url, body in pending:
        try:
            client.post(url, body)
        except PeerError:
            continue  # kept pending: the next sync sends it again
        with store.transaction() as conn:
            ss.receipt_sent(conn, receipt_id, clock())
        sent += 1
    return sent
