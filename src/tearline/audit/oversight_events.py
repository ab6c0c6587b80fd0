"""The audit events of oversight and release control (``docs/oversight.md``).

A contact recorded by hand enters the log as metadata only: who of ours took part,
which foreign agency, when, and a digest of the details (the foreign agent, the place,
the subject), which stay in the store's contact table — the log can prove the details
were not changed afterwards without holding them. A signed oversight report enters with
the log range it covers and its digest. A release waiting for a second officer enters
when it is requested and again when it is approved, each with the officer who acted.
Registered from :mod:`tearline.audit.events`, so that the catalogue holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from tearline.audit.envelope import Event, register
from tearline.audit.fields import (
    AgencyId,
    AgreementId,
    Count,
    Digest,
    Id,
    Party,
    Recipient,
    Subject,
    Timestamp,
    Version,
)
from tearline.errors import Problem, tr


def doc(text: str) -> Any:
    return field(metadata={"doc": text})


@register("contact.logged")
@dataclass(frozen=True, kw_only=True)
class ContactLogged(Event):
    """An official recorded by hand a meeting or call with a foreign agent: an exchange
    the oversight report must list. The details (the foreign agent, the place, the
    subject) stay in the store; the entry holds their digest."""

    contact_id: Id = doc("the contact")
    unit: Party = doc("the unit of ours that took part")
    officials: tuple[Subject, ...] = doc("our officials who took part")
    foreign_agency: AgencyId = doc("the foreign agency met")
    foreign_unit: AgencyId | None = doc("its unit, if known")
    met_at: Timestamp = doc("when the meeting or call took place")
    mode: Literal["meeting", "call", "message"] = doc("how")
    details_digest: Digest = doc("SHA-256 of the canonical details kept in the store")

    def check(self, problems: list[Problem]) -> None:
        if not self.officials:
            problems.append(Problem(tr("a contact names at least one official"),
                                    column="officials"))


@register("oversight.signed")
@dataclass(frozen=True, kw_only=True)
class OversightSigned(Event):
    """A designated officer signed off the oversight report of an agency over a range of
    the log (entries ``first`` ≤ i < ``size``; ``size`` is the signed checkpoint's)."""

    report_id: Id = doc("the report")
    agency: AgencyId = doc("the agency reporting")
    officer: Subject = doc("the officer who signed it off")
    first: Count = doc("the first entry the report covers")
    size: Count = doc("the end of the range: the size of the checkpoint it cites")
    exchange_count: Count = doc("how many exchanges it lists")
    report_digest: Digest = doc("SHA-256 of the report's canonical JSON")


@register("release.requested")
@dataclass(frozen=True, kw_only=True)
class ReleaseRequested(Event):
    """An officer asked to release a record version to a foreign party under an
    agreement that requires two-person approval: it waits for a second officer."""

    request_id: Id = doc("the pending release")
    entity_id: Id = doc("the record")
    version: Version = doc("the record version to release")
    recipient: Recipient = doc("who would receive it")
    legal_basis: AgreementId = doc("the agreement, which requires a second officer")
    agency: AgencyId = doc("the releasing agency")


@register("release.approved")
@dataclass(frozen=True, kw_only=True)
class ReleaseApproved(Event):
    """A second officer of the releasing agency approved a pending release; the release
    itself follows as ``release.created``."""

    request_id: Id = doc("the pending release")
    entity_id: Id = doc("the record")
    requested_by: Subject = doc("the first officer")
    release_id: Id = doc("the release made")


@register("release.refused")
@dataclass(frozen=True, kw_only=True)
class ReleaseRefused(Event):
    """A second officer of the releasing agency refused a pending release: nothing is
    released, and the request is closed. The reason is kept in the store, not here (it
    is free text)."""

    request_id: Id = doc("the pending release")
    entity_id: Id = doc("the record")
    requested_by: Subject = doc("the first officer")
