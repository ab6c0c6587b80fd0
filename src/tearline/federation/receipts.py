"""Delivery receipts: a peer's signed statement of which object versions it received.

A puller that stored a page sends back (``POST {api root}tearline/receipts/``), naming
every object of the page it received for the first time, whatever it did with each
(what it refused, and why, it keeps to itself: see ``federation/admission.py``)::

    {"type": "tearline-receipt", "version": 1, "node": "<its node name>",
     "collection": "<collection id>", "objects": [{"id": "<stix id>", "version": "<modified>"}],
     "at": "<UTC timestamp>", "signature": {...}}

signed with :func:`tearline.federation.signing.sign_document` by its node key. The
originator checks it against the verifier key pinned for the peer whose certificate
carried the request, and records it in its audit log (``receipt.recorded``, with the
SHA-256 of the bytes received, which it keeps as evidence). A receipt that does not
verify, or that names another node, is refused and that refusal is logged too
(``receipt.refused``): a forged receipt is itself a fact worth keeping.

A *purge receipt* is the same kind of statement about a recall: the puller that applied
one signs that nothing the originator delivered of the record is kept
(:func:`build_purge_receipt`); the originator checks it (:func:`check_purge_receipt`)
and records it as ``recall.acknowledged`` (``taxii/recalls.py``). Both sides of the
exchange live here, below the TAXII server and the pull that each use one side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from tearline.audit.envelope import utc_timestamp
from tearline.audit.events import ReceiptRecorded, ReceiptRefused, now
from tearline.errors import IntegrityError, Problem, ValidationError, WrongNode, tr
from tearline.federation.signing import read_signed_document, sign_document
from tearline.keys import NodeKey
from tearline.store import Peer, Store, audit_log, delivery_receipts

RECEIPT_TYPE = "tearline-receipt"
RECEIPT_VERSION = 1
MAX_OBJECTS = 100_000

PURGE_TYPE = "tearline-purge-receipt"
#: Version 2 names the recall only. Version 1 also carried ``statements_purged``, the
#: number of statements the puller deleted, which told the originator whether the
#: puller had stored the record or refused it (because the id existed there as another
#: agency's record): it is still accepted from nodes not yet upgraded, never sent.
PURGE_VERSION = 2
ACCEPTED_PURGE_VERSIONS = (1, 2)


@dataclass(frozen=True, slots=True)
class Receipt:
    node: str
    collection: str
    objects: tuple[tuple[str, str], ...]  # (stix id, version)
    at: str
    digest: str  # SHA-256 of the signed document as received


def build_receipt(key: NodeKey, node: str, collection: str,
                  objects: Sequence[tuple[str, str]], at: datetime) -> dict[str, Any]:
    """The signed receipt a puller sends for the object versions it received."""
    return sign_document(key, {
        "type": RECEIPT_TYPE,
        "version": RECEIPT_VERSION,
        "node": node,
        "collection": collection,
        "objects": [{"id": i, "version": v} for i, v in objects],
        "at": utc_timestamp(at),
    })


def _shape(doc: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if doc.get("type") != RECEIPT_TYPE or doc.get("version") != RECEIPT_VERSION:
        problems.append(Problem(tr(
            "expected a {RECEIPT_TYPE} version {RECEIPT_VERSION}",
            RECEIPT_TYPE=RECEIPT_TYPE, RECEIPT_VERSION=RECEIPT_VERSION)))
    for name in ("node", "collection", "at"):
        if not isinstance(doc.get(name), str) or not doc.get(name):
            problems.append(Problem(tr("missing or not a string"), column=name))
    objects = doc.get("objects")
    if not isinstance(objects, list) or len(objects) > MAX_OBJECTS:
        problems.append(Problem(tr(
            "a list of at most {MAX_OBJECTS} objects", MAX_OBJECTS=MAX_OBJECTS), column="objects"))
    else:
        for n, obj in enumerate(objects):
            if not (isinstance(obj, dict) and isinstance(obj.get("id"), str)
                    and isinstance(obj.get("version"), str)):
                problems.append(Problem(tr("expected {{id, version}}"), column=f"objects[{n}]"))
    return problems


def check_receipt(peer: Peer, body: bytes) -> Receipt:
    """The receipt in ``body`` if ``peer`` signed it and it names ``peer``.

    :class:`ValidationError` if it is not a receipt at all, :class:`IntegrityError` if
    it is not the peer's (bad or foreign signature, another node named).
    """
    verified = read_signed_document(peer.verifier_key, body, "a receipt")
    problems = _shape(verified)
    if problems:
        raise ValidationError(tr("malformed receipt"), problems)
    if verified["node"] != peer.name:
        raise WrongNode(
            tr(
                "the receipt names node {verified!r}, but came from {name!r}",
                verified=verified['node'], name=peer.name))
    return Receipt(
        node=verified["node"],
        collection=verified["collection"],
        objects=tuple((o["id"], o["version"]) for o in verified["objects"]),
        at=verified["at"],
        digest=hashlib.sha256(body).hexdigest(),
    )


def record_receipt(store: Store, peer: Peer, body: bytes) -> Receipt:
    """Verify and log a receipt; a refused one is logged as refused, then the error raised."""
    reason: Literal["bad-signature", "malformed", "wrong-node"]
    try:
        receipt = check_receipt(peer, body)
        collection = _id(receipt.collection)
    except (ValidationError, IntegrityError) as exc:
        reason = ("malformed" if isinstance(exc, ValidationError)
                  else "wrong-node" if isinstance(exc, WrongNode) else "bad-signature")
        with store.transaction() as conn:
            audit_log.append(conn, [ReceiptRefused(
                at=now(), actor=peer.party, peer=peer.party,
                receipt_digest=hashlib.sha256(body).hexdigest(), reason=reason)])
        raise
    with store.transaction() as conn:
        audit_log.append(conn, [ReceiptRecorded(
            at=now(), actor=peer.party, peer=peer.party, collection=collection,
            receipt_digest=receipt.digest, object_count=len(receipt.objects))])
        delivery_receipts.keep(conn, peer.party, receipt.digest, receipt.objects,
                               datetime.now(UTC))
    return receipt


def _id(text: str) -> str:
    """A collection id as the audit log takes it (an id-shaped string)."""
    if text and len(text) <= 128 and all(c.isalnum() or c in "._:-" for c in text):
        return text
    raise ValidationError(tr("the receipt's collection is not a collection id"))


# -- purge receipts ------------------------------------------------------------------------


def build_purge_receipt(key: NodeKey, node: str, recall: Mapping[str, Any],
                        at: datetime) -> dict[str, Any]:
    """The signed receipt a peer returns once it applied a recall (its ``recall_id`` and
    ``entity_id``): nothing the originator delivered of the record is kept. It says
    nothing of what the peer held (see :data:`PURGE_VERSION`)."""
    return sign_document(key, {
        "type": PURGE_TYPE, "version": PURGE_VERSION, "node": node,
        "recall_id": recall["recall_id"], "entity_id": recall["entity_id"],
        "at": utc_timestamp(at),
    })


def check_purge_receipt(peer: Peer, body: bytes) -> dict[str, Any]:
    """The purge receipt in ``body`` if ``peer`` signed it and it names ``peer``.

    :class:`ValidationError` if it is not a purge receipt, :class:`IntegrityError` if it
    is not the peer's (:class:`WrongNode` when it names another node).
    """
    verified = read_signed_document(peer.verifier_key, body, "a purge receipt")
    problems: list[Problem] = []
    version = verified.get("version")
    if verified.get("type") != PURGE_TYPE or version not in ACCEPTED_PURGE_VERSIONS:
        problems.append(Problem(tr(
            "expected a {PURGE_TYPE} version {map}",
            PURGE_TYPE=PURGE_TYPE, map=' or '.join(map(str, ACCEPTED_PURGE_VERSIONS)))))
    for name in ("node", "recall_id", "entity_id", "at"):
        if not isinstance(verified.get(name), str):
            problems.append(Problem(tr("missing or not a string"), column=name))
    count = verified.get("statements_purged")
    if version == 1 and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
        problems.append(Problem(tr("a count ≥ 0"), column="statements_purged"))
    if problems:
        raise ValidationError(tr("malformed purge receipt"), problems)
    if verified["node"] != peer.name:
        raise WrongNode(tr(
            "the receipt names node {verified!r}, not {name!r}",
            verified=verified['node'], name=peer.name))
    return verified
