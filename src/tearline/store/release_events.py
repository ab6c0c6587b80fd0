"""The audit events of sharing: releases (by the originator or onward), recalls, consents.

Built from what :mod:`releases` did, and appended inside its transaction like every
event of :mod:`audit_events`; apart from those because a release's event carries the
release's own terms (recipient, legal basis, the consent it rests on), its own concern.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import Connection

from tearline.audit.envelope import Event
from tearline.audit.events import ConsentRecorded, RecallIssued, ReleaseCreated, ReleaseOnward, now
from tearline.model.marking import Selector
from tearline.policy.release import Consent, Release
from tearline.policy.subject import Subject
from tearline.store import audit_log


def recipient_of(to: Selector) -> str:
    """A release selector as the event's recipient (``unit:…``, ``agency:…``, ``vetted-by:…``)."""
    return f"{to.kind.value}:{to.value}"


def release(
    conn: Connection,
    subject: Subject,
    made: Release,
    version: int,
    onward: bool,
    consent_id: str | None,
    supersedes: str | None,
) -> None:
    """A release written by :func:`releases.release`: by the originator, or onward."""
    common: dict[str, Any] = {
        "at": now(),
        "actor": str(subject),
        "release_id": made.id,
        "entity_id": made.entity_id,
        "version": version,
        "statement_ids": tuple(sorted(made.items)),
        "recipient": recipient_of(made.to),
        "legal_basis": made.basis,
        "supersedes": supersedes,
    }
    event: Event
    if onward:
        event = ReleaseOnward(**common, from_party=f"unit:{subject.unit}", consent_id=consent_id)
    else:
        event = ReleaseCreated(**common)
    audit_log.append(conn, [event])


def recall(
    conn: Connection, subject: Subject, entity_id: str, version: int, revoked: Sequence[Release]
) -> None:
    """Releases of a record revoked by a recall (all of them, or one)."""
    audit_log.append(
        conn,
        [
            RecallIssued(
                at=now(),
                actor=str(subject),
                recall_id="rcl-" + uuid.uuid4().hex[:24],
                entity_id=entity_id,
                version=version,
                release_ids=tuple(r.id for r in revoked),
                recipients=tuple(sorted({recipient_of(r.to) for r in revoked})),
            )
        ],
    )


def consent(
    conn: Connection, subject: Subject, given: Consent, decision: Literal["granted", "withdrawn"]
) -> None:
    audit_log.append(
        conn,
        [
            ConsentRecorded(
                at=now(),
                actor=str(subject),
                consent_id=given.id,
                entity_id=given.entity_id,
                originator=given.by_agency,
                to_agency=given.to_agency,
                decision=decision,
            )
        ],
    )
