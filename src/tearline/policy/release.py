"""Releases, onward releases and ORCON consents: pure values and the rules that govern them.

A release makes a record visible to more parties without altering the originator's
marking. It is stored as its own append-only history: who released (unit and agency),
when, to whom (one selector), on what legal basis, which statements it covers (those
the releasing unit could see when it released them) and, for ORCON items, which
consent of the originating agency it relies on. A later revocation ends it; nothing
is ever updated in place.

Whether a release still covers an item is decided at read time against the item's
current marking (:func:`coverage`): a marking that expired, turned RED, or became
AMBER+STRICT after an onward release to another agency is no longer covered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from tearline.errors import tr
from tearline.model.marking import Marking, Selector, SelectorKind, Tlp
from tearline.policy.decision import Decision


@dataclass(frozen=True, slots=True)
class Consent:
    """Agency ``by_agency`` (the originator) lets agency ``to_agency`` release an entity onward."""

    id: str
    entity_id: str
    by_agency: str
    to_agency: str
    at: datetime
    withdrawn_at: datetime | None = None

    def in_force(self, at: datetime) -> bool:
        return self.at <= at and (self.withdrawn_at is None or at < self.withdrawn_at)


@dataclass(frozen=True, slots=True)
class Release:
    """One release of a record (its head and the statements in ``items``) to ``to``."""

    id: str
    entity_id: str
    by_unit: str
    by_agency: str
    to: Selector
    #: The agency whose units the selector reaches (``None`` for ``vetted-by:``).
    to_agency: str | None
    basis: str | None
    at: datetime
    items: frozenset[str] = field(default_factory=frozenset)
    revoked_at: datetime | None = None

    def active_at(self, at: datetime) -> bool:
        """From ``at`` (inclusive) until a revocation (exclusive)."""
        return self.at <= at and (self.revoked_at is None or at < self.revoked_at)

    def covers_statement(self, statement_id: str | None) -> bool:
        return statement_id is None or statement_id in self.items


@dataclass(frozen=True, slots=True)
class ReleaseFacts:
    """The releases and consents the policy may consult (all of them, with history)."""

    releases: tuple[Release, ...] = ()
    consents: tuple[Consent, ...] = ()

    @classmethod
    def of(cls, releases: Iterable[Release], consents: Iterable[Consent] = ()) -> ReleaseFacts:
        return cls(tuple(releases), tuple(consents))

    def of_entity(self, entity_id: str) -> list[Release]:
        return [r for r in self.releases if r.entity_id == entity_id]

    def consent(self, entity_id: str, by_agency: str, to_agency: str,
                at: datetime) -> Consent | None:
        for c in self.consents:
            if (c.entity_id, c.by_agency, c.to_agency) == (entity_id, by_agency, to_agency) and (
                c.in_force(at)
            ):
                return c
        return None


def onward_rules(
    marking: Marking,
    origin: str,
    by_agency: str,
    to: Selector,
    to_agency: str | None,
    basis: str | None,
    consent: Consent | None,
) -> Decision:
    """May agency ``by_agency`` release an item (``marking``, from ``origin``) to ``to``?

    The originator's own release needs a legal basis beyond its agency. An onward
    release (by a recipient) is never allowed for RED; for AMBER+STRICT only to units
    of the recipient's own agency; for AMBER to its own agency, or to other agencies
    with a legal basis; and for ORCON only with a consent of the originating agency.
    """
    tlp = marking.tlp
    if tlp is Tlp.RED:
        return Decision.deny(
            tr("TLP:RED is never released: only the units its marking names may see it")
        )
    inside = to_agency is not None and to_agency == by_agency
    if by_agency == origin:
        if not inside and basis is None:
            return Decision.deny(tr("a release beyond {origin} needs a legal basis",
                                    origin=origin))
        return Decision.allow(tr("release by the originating agency {origin} to {to}",
                                 origin=origin, to=str(to)))
    if tlp is Tlp.AMBER_STRICT and not inside:
        return Decision.deny(tr(
            "TLP:AMBER+STRICT may be released onward only to units of {agency}, not to {to}",
            agency=by_agency, to=str(to)))
    if not inside and basis is None:
        return Decision.deny(tr("an onward release beyond {agency} needs a legal basis",
                                agency=by_agency))
    if marking.orcon and consent is None:
        return Decision.deny(tr(
            "ORCON: onward release needs a recorded consent of the originating agency "
            "{origin}", origin=origin))
    reasons = [tr("onward release by {agency} to {to} under TLP:{tlp}", agency=by_agency,
                  to=str(to), tlp=tlp.value)]
    if marking.orcon:
        reasons.append(tr("ORCON consent {consent} of {origin}",
                          consent=consent.id if consent else "", origin=origin))
    return Decision.allow(*reasons)


def to_agency_of(selector: Selector, unit_agency: dict[str, str]) -> str | None:
    """The agency whose units ``selector`` reaches; ``None`` when it may reach several."""
    if selector.kind is SelectorKind.AGENCY:
        return selector.value
    if selector.kind is SelectorKind.UNIT:
        return unit_agency.get(selector.value)
    return None
