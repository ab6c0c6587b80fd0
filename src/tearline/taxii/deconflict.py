"""The deconfliction endpoints of the peer listener (same mutual TLS, same signatures).

* ``POST {root}tearline/deconflict/evaluate/`` — a peer's blinded elements, evaluated
  with this node's key share for the peer's unit, within that unit's daily quota;
* ``GET {root}tearline/deconflict/index/?next=C`` — this node's signed index
  documents after the sealed cursor C (none: from the start): its registrations and
  withdrawals, and the hit notices addressed to the peer's agency. The cursor seals
  the id of the page's last document for that peer, so neither it nor the pages
  depend on documents addressed to others.

Both only for a peer whose agency is bound with this node's by an agreement in force
(or is the same agency); a refused evaluation is logged. The elements are random
group elements: this node learns how many the unit asked for, nothing else.
"""

from __future__ import annotations

import binascii
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from starlette.requests import Request

from tearline.deconflict import group
from tearline.errors import PolicyDenied, ValidationError, tr
from tearline.federation.deconflict_docs import agreement_between
from tearline.federation.jsonbody import decode_object
from tearline.federation.signing import b64url, unb64url
from tearline.store import Peer, deconflict_index, deconflict_keys

if TYPE_CHECKING:
    from tearline.taxii.pipeline import Node



def _allowed(node: Node, peer: Peer, at: datetime) -> None:
    store = node.store
    own = node.identity.agency
    with store.reading() as conn:
        basis = agreement_between(conn, peer.agency, own, at)
    if basis is None:
        raise PolicyDenied(tr(
            "no agreement in force binds {agency} and {own} for deconfliction",
            agency=peer.agency, own=own))


def _elements(body: bytes) -> list[bytes]:
    doc = decode_object(body, "evaluation request")
    raw = doc.get("elements")
    if not isinstance(raw, list) or not 1 <= len(raw) <= deconflict_keys.MAX_BATCH:
        raise ValidationError(
            tr(
                "elements: a list of 1 to {MAX_BATCH} base64url elements",
                MAX_BATCH=deconflict_keys.MAX_BATCH))
    out = []
    for i, item in enumerate(raw):
        try:
            element = unb64url(item) if isinstance(item, str) else b""
        except (binascii.Error, ValueError):
            element = b""
        out.append(group.check_element(element, f"element {i}"))
    return out


def evaluate(node: Node, request: Request, peer: Peer) -> tuple[int, dict[str, object]]:
    at = datetime.now(UTC)
    elements = _elements(request.state.body)
    store = node.store
    try:
        _allowed(node, peer, at)
    except PolicyDenied:
        with store.transaction() as conn:
            deconflict_keys.refuse(conn, f"node:{peer.name}", peer.unit, len(elements), at,
                                   "federation", "no-agreement")
        raise
    done = deconflict_keys.evaluate_for(store, f"node:{peer.name}", peer.unit, elements, at,
                                        "federation")
    return 200, {"type": "tearline-deconfliction-evaluation", "key_id": done.key_id,
                 "index": done.share_index, "threshold": done.threshold,
                 "answers": [b64url(a) for a in done.answers]}


def index(node: Node, request: Request, peer: Peer) -> tuple[int, dict[str, object]]:
    at = datetime.now(UTC)
    params = dict(request.query_params)
    if set(params) - {"next"}:
        raise ValidationError(tr(
            "unknown parameters: {value}", value=sorted(set(params) - {'next'})))
    _allowed(node, peer, at)
    after = None
    if params.get("next"):
        after = node.cursors.open(params["next"], peer.unit, "deconflict-index", {})
    with node.store.reading() as conn:
        page = deconflict_index.feed(conn, node.identity.name, after, peer.agency)
    body: dict[str, object] = {"type": "tearline-deconfliction-index",
                               "documents": page.documents, "more": page.more}
    if page.last is not None:
        body["next"] = node.cursors.seal(page.last, peer.unit, "deconflict-index", {})
    return 200, body
