"""The audit events of consent requests (``store/consent_requests.py``, ``docs/policy.md``).

A unit asked an originating agency's unit for consent to release its ORCON items of a
record onward, and that unit answered. The request's and the refusal's reasons are free
text: they stay in the store (``consent_requests``, ``consent_answers``), not in the log.
A grant also enters as ``consent.recorded``, the consent itself. Registered from
:mod:`tearline.audit.events`, so that the catalogue holds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from tearline.audit.envelope import Event, register
from tearline.audit.fields import AgencyId, Id, Ids, Party, Recipient


def doc(text: str) -> Any:
    return field(metadata={"doc": text})


@register("consent.requested")
@dataclass(frozen=True, kw_only=True)
class ConsentRequested(Event):
    """A unit asked the originating agency's unit for consent to release the record's
    ORCON items it holds onward; the reason it gave stays in the store."""

    request_id: Id = doc("the request")
    entity_id: Id = doc("the record")
    statement_ids: Ids = doc("the items the consent is asked for (those the asker saw)")
    originator: AgencyId = doc("the agency asked")
    to_unit: Party = doc("its unit the request is addressed to")
    recipient: Recipient = doc("the onward release the asker means")


@register("consent.answered")
@dataclass(frozen=True, kw_only=True)
class ConsentAnswered(Event):
    """The unit addressed answered a consent request: granted (the consent follows as
    ``consent.recorded``) or refused (its reason stays in the store)."""

    request_id: Id = doc("the request")
    entity_id: Id = doc("the record")
    answer: Literal["granted", "refused"] = doc("the answer")
    consent_id: Id | None = doc("the consent given, when granted")
    asked_by: Party = doc("the unit that asked")
