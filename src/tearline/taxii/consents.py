"""The consents that travel with a served record, signed or as received.

A record an originator let our agency release onward is served with that consent, so
that the peer can check, with the originator's key, that we may pass it on; a consent
our own agency recorded for the peer's agency is signed now with our node key. The
puller keeps them (:mod:`tearline.federation.consents`). Kept apart from the page
(:mod:`tearline.taxii.service`) because it is the one place a served record gains
something the store did not hold as a statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tearline.audit.envelope import utc_timestamp
from tearline.federation.entitlement import CONSENT_TYPE
from tearline.federation.signing import sign_document
from tearline.keys import NodeKey
from tearline.model.record import Record
from tearline.policy.release import Consent
from tearline.store import Connection, Peer, consent_documents, releases


@dataclass(frozen=True, slots=True)
class Signer:
    """This node as the signer of the consents it attaches: its key and its agency."""

    key: NodeKey
    agency: str


def consent_document(signer: Signer, consent: Consent) -> dict[str, Any]:
    """A consent recorded by this node's agency, signed to travel with the record."""
    return sign_document(signer.key, {
        "type": CONSENT_TYPE, "consent_id": consent.id, "entity_id": consent.entity_id,
        "by_agency": consent.by_agency, "to_agency": consent.to_agency,
        "at": utc_timestamp(consent.at),
    })


def with_consents(conn: Connection, signer: Signer, peer: Peer, records: Sequence[Record],
                  at: datetime) -> list[Record]:
    """Records with the consents that let the peer's agency release them onward.

    Two kinds travel: consents our agency recorded for the peer's agency (signed now
    with our node key), and consents we received from an originator letting *our*
    agency release its record (kept as received, see ``store/consent_documents``), so
    that the peer can check with the originator's key that we may pass it on.
    """
    ids = [r.id for r in records]
    docs: dict[str, list[dict[str, Any]]] = {}
    for consent in releases.consents(conn, ids):
        if (consent.by_agency == signer.agency and consent.to_agency == peer.agency
                and consent.in_force(at)):
            docs.setdefault(consent.entity_id, []).append(consent_document(signer, consent))
    for entity_id, kept in consent_documents.for_agency(conn, ids, signer.agency).items():
        docs.setdefault(entity_id, []).extend(kept)
    return [replace(r, extra={**r.extra, "consents": docs[r.id]}) if r.id in docs else r
            for r in records]
