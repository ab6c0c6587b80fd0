"""The ``federation.refused`` audit entries a pull writes.

Every step of the pull (:mod:`tearline.federation.sync`) refuses in the same words: an
object that is malformed, would overwrite another agency's record or speaks for a third
agency without consent (written in the page's transaction), and an answer that does
not verify (written in its own transaction, before the error is re-raised). One place
builds them, so the entries read the same wherever the refusal happened.
"""

from __future__ import annotations

from typing import Any

from tearline.audit.events import FederationRefused, now
from tearline.federation.partners import Partner
from tearline.stix.foreign import EXTERNAL
from tearline.store import Store, audit_log


def refusal(partner: Partner, collection_id: str | None, object_id: str | None,
            originator: str | None, reason: Any) -> FederationRefused:
    return FederationRefused(
        at=now(), actor="system", peer=partner.party, collection=collection_id,
        object_id=object_id[:128] if object_id else None,
        originator=originator if originator and originator != EXTERNAL else None,
        reason=reason)


def refused_answer(store: Store, partner: Partner, collection_id: str | None) -> None:
    """An answer failed verification: logged in its own transaction, then re-raised."""
    with store.transaction() as conn:
        audit_log.append(conn, [refusal(partner, collection_id, None, None, "unverified")])
