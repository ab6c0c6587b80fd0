"""The audit events of blind deconfliction (``docs/deconfliction.md``).

No event holds a selector or a token: a check enters as ``deconflict.query`` with the
selector only as a per-entry commitment (:mod:`tearline.audit.events`); an evaluation
by a key-share holder as a count of blinded elements, which are random group elements
and say nothing; a registration and a hit by their registration id, kind and pointer.
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
    Id,
    KeyId,
    Party,
    Timestamp,
)

#: The selector kinds (``deconflict/selectors.py`` ``KINDS``; a test keeps them equal).
SelectorKind = Literal[
    "phone", "curp", "rfc", "passport", "identifier", "plate", "vin", "imo", "mmsi",
    "aircraft", "person", "address", "event",
]


def doc(text: str) -> Any:
    return field(metadata={"doc": text})


@register("deconflict.evaluated")
@dataclass(frozen=True, kw_only=True)
class DeconflictEvaluated(Event):
    """This node evaluated blinded elements with its key share for a unit (its own, or a
    peer's unit over federation). The elements are random group elements: only their
    number is logged, against the unit's daily quota."""

    requester: Party = doc("the unit that asked (a peer node's unit over federation)")
    key_id: KeyId = doc("the shared key the share belongs to")
    element_count: Count = doc("how many blinded elements were evaluated")
    used_today: Count = doc("the unit's evaluations today, these included")
    channel: Literal["local", "federation"] = doc("asked on this node or by a peer")


@register("deconflict.refused")
@dataclass(frozen=True, kw_only=True)
class DeconflictRefused(Event):
    """An evaluation was refused: the unit's daily quota would be exceeded, or no
    agreement in force binds its agency and this node's."""

    requester: Party = doc("the unit that asked")
    element_count: Count = doc("how many blinded elements it asked for")
    used_today: Count = doc("the unit's evaluations today before this request")
    daily_limit: Count = doc("the unit's daily quota")
    reason: Literal["quota", "no-agreement"] = doc("why")
    channel: Literal["local", "federation"] = doc("asked on this node or by a peer")


@register("deconflict.registered")
@dataclass(frozen=True, kw_only=True)
class DeconflictRegistered(Event):
    """A token was registered in the deconfliction index with its pointer (by a unit of
    this node, or received signed from the node of the registering agency)."""

    registration_id: Id = doc("the registration")
    selector_kind: SelectorKind = doc("the kind of selector (the token hides the value)")
    holder: Party = doc("the unit the pointer names")
    origin: Party = doc("the node that registered and signed it")
    expires: Timestamp = doc("when the registration stops matching")


@register("deconflict.withdrawn")
@dataclass(frozen=True, kw_only=True)
class DeconflictWithdrawn(Event):
    """A registration was withdrawn by its node; it no longer matches."""

    registration_id: Id = doc("the registration")
    origin: Party = doc("the node that registered it and signed the withdrawal")


@register("deconflict.hit")
@dataclass(frozen=True, kw_only=True)
class DeconflictHit(Event):
    """A check met a registration: the checker was given the holder's pointer and the
    holder is told who checked. An exchange with a foreign agency when the two differ,
    under the agreement named."""

    registration_id: Id = doc("the registration met")
    role: Literal["checker", "holder"] = doc("which side this entry is logged for")
    checker: Party = doc("the unit that checked")
    checker_agency: AgencyId = doc("its agency")
    holder: Party = doc("the unit of the registration")
    holder_agency: AgencyId = doc("its agency")
    agreement_id: AgreementId | None = doc(
        "the agreement in force that binds both agencies (none within one agency)")
