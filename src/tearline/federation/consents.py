"""Consents that travel with pulled records: which are kept, and who may sign one.

A tearline peer sends, in a record's extension, the signed consents its agency (as the
record's originator) gave ours to release the record onward. The pull keeps the ones
that verify and name the record, the sender's agency and ours, both as signed documents
(so that they travel on when we serve the record) and as consents our policy consults.
Kept apart from the pull (:mod:`tearline.federation.sync`): it is the one step of it
that writes consents, and the keys the judge (:mod:`tearline.federation.entitlement`)
checks consents against are read here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from tearline.audit.events import ConsentRecorded, now
from tearline.errors import InputError, IntegrityError
from tearline.federation.entitlement import CONSENT_TYPE
from tearline.federation.partners import Partner
from tearline.federation.signing import verify_document
from tearline.model.marking import parse_timestamp
from tearline.model.record import Record
from tearline.stix.extensions import RECORD_EXTENSION_ID
from tearline.store import Connection, audit_log, consent_documents, peers


def carries_consents(obj: Mapping[str, Any]) -> bool:
    """Whether a STIX object's tearline record extension carries consent documents."""
    extension = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
    extra = extension.get("extra") if isinstance(extension, dict) else None
    return isinstance(extra, dict) and bool(extra.get("consents"))


def consent_keys(conn: Connection) -> dict[str, list[str]]:
    """Verifier keys by agency, of the peers this node trusts: who can sign a consent."""
    out: dict[str, list[str]] = {}
    for peer in peers.peers(conn):
        out.setdefault(peer.agency, []).append(peer.verifier_key)
    return out


def keep_consents(conn: Connection, partner: Partner, own_agency: str | None,
                  records: Sequence[Record], clock: Callable[[], datetime]) -> None:
    """Consents the sender (as originator) gave OUR agency to release its records
    onward: kept as signed (so that they travel on when we serve the record) and
    recorded as consents our policy consults. Only documents that verify with the
    sender's key, name the record, the sender's agency as the consenting originator
    and our agency as recipient are kept."""
    if not (partner.signed and partner.verifier_key and own_agency):
        return
    kept: list[dict[str, Any]] = []
    for record in records:
        for doc in record.extra.get("consents") or ():
            try:
                body = verify_document(partner.verifier_key, doc)
            except IntegrityError:
                continue
            if (body.get("type") == CONSENT_TYPE and body.get("entity_id") == record.id
                    and body.get("by_agency") == record.originator == partner.agency
                    and body.get("to_agency") == own_agency
                    and isinstance(body.get("consent_id"), str)):
                kept.append(doc)
    if not kept:
        return
    consent_documents.keep(conn, kept, partner.name, clock())
    known = consent_documents.recorded_consents(conn, [d["consent_id"] for d in kept])
    entries: list[ConsentRecorded] = []
    for doc in kept:
        if doc["consent_id"] in known:
            continue
        known.add(doc["consent_id"])
        try:
            granted = parse_timestamp(doc.get("at"))
        except (InputError, ValueError):
            granted = clock()
        consent_documents.record_received_consent(conn, doc, granted, partner.party)
        # logged like a consent recorded here: the entry is also what moves the record
        # in our own feed, so partners that could not have it before now receive it
        entries.append(ConsentRecorded(
            at=now(), actor=partner.party, consent_id=doc["consent_id"][:64],
            entity_id=doc["entity_id"], originator=doc["by_agency"],
            to_agency=doc["to_agency"], decision="granted"))
    if entries:
        audit_log.append(conn, entries)
