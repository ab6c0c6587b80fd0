"""Legal bases: a marking or a release cites an agreement in force that binds the parties.

A legal basis is the id of an :class:`~tearline.model.parties.Agreement` recorded on
the node. It is accepted at time ``t`` only when

* the agreement is recorded (an unknown id is refused: a basis is not free text);
* it is in force at ``t`` (``valid_from ≤ t < valid_until``; an end recorded later, by
  a new version of the agreement, ends it);
* it binds the agency that sets the marking (the originator of what is marked) or
  makes the release, and every agency the marking or release reaches beyond it:
  ``agency:X`` reaches X; ``unit:U`` reaches U's agency; ``vetted-by:X`` reaches X, the
  agency whose attestations decide who receives, and the agencies of the units X vets
  at ``t``.

Pure: the caller hands in the agreements, units and vettings (:class:`BasisFacts`).
A vetting recorded after the marking was set is not checked against its basis; the
agreement is checked when a marking is set, not at each read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tearline.errors import tr
from tearline.model.marking import Marking, Selector, SelectorKind
from tearline.model.parties import Agreement, Unit
from tearline.policy.subject import VettingFacts


@dataclass(frozen=True, slots=True)
class BasisFacts:
    """What deciding a legal basis consults: agreements by id, each unit's agency, vettings."""

    agreements: Mapping[str, Agreement]
    unit_agency: Mapping[str, str]
    vetting: VettingFacts

    @classmethod
    def of(cls, agreements: Iterable[Agreement], units: Iterable[Unit],
           vetting: VettingFacts) -> BasisFacts:
        return cls({a.id: a for a in agreements}, {u.id: u.agency for u in units}, vetting)

    def vetted_by(self, agency: str, at: datetime) -> set[str]:
        """The agencies of the units ``agency`` vets at ``at``."""
        return {
            self.unit_agency.get(v.unit, v.unit)
            for v in self.vetting.vettings
            if v.by == agency and v.active_at(at)
        }


def reached(selectors: Iterable[Selector], facts: BasisFacts,
            at: datetime) -> tuple[dict[str, str], list[str]]:
    """The agencies ``selectors`` reach, each with the selector that reaches it, and the
    problems of selectors whose agency cannot be told (a unit the node does not know)."""
    agencies: dict[str, str] = {}
    unknown: list[str] = []
    for sel in sorted(selectors):
        if sel.kind is SelectorKind.AGENCY:
            agencies.setdefault(sel.value, str(sel))
        elif sel.kind is SelectorKind.UNIT:
            agency = facts.unit_agency.get(sel.value)
            if agency is None:
                unknown.append(tr("unknown unit {unit!r} in {selector}: the node cannot "
                                  "tell which agency a legal basis must bind for it",
                                  unit=sel.value, selector=str(sel)))
            else:
                agencies.setdefault(agency, str(sel))
        else:
            agencies.setdefault(sel.value, tr("{selector} ({agency} attests who receives)",
                                              selector=str(sel), agency=sel.value))
            for agency in sorted(facts.vetted_by(sel.value, at)):
                agencies.setdefault(agency, tr("{selector} ({by} vets a unit of {agency})",
                                               selector=str(sel), by=sel.value, agency=agency))
    return agencies, unknown


def agreement_problem(basis: str, bound: str, reaching: Mapping[str, str],
                      facts: BasisFacts, at: datetime) -> str | None:
    """Why agreement ``basis`` cannot be the basis at ``at`` for agency ``bound`` sharing
    with the agencies in ``reaching`` (agency → what reaches it), or ``None``."""
    agreement = facts.agreements.get(basis)
    if agreement is None:
        return tr("legal basis {basis!r} is not an agreement recorded on this node: record "
                  "it first (`tearline party add-agreement`, POST /api/v1/parties/agreements)",
                  basis=basis)
    if agreement.valid_from is not None and at < agreement.valid_from:
        return tr("agreement {basis!r} is not in force at {at:%Y-%m-%dT%H:%MZ}: it begins "
                  "{begins:%Y-%m-%dT%H:%MZ}", basis=basis, at=at, begins=agreement.valid_from)
    if agreement.valid_until is not None and at >= agreement.valid_until:
        return tr("agreement {basis!r} is not in force at {at:%Y-%m-%dT%H:%MZ}: it ended "
                  "{ended:%Y-%m-%dT%H:%MZ}", basis=basis, at=at, ended=agreement.valid_until)
    parties = ", ".join(sorted(agreement.parties)) or tr("no party")
    if bound not in agreement.parties:
        return tr("agreement {basis!r} does not bind {bound}, the agency that cites it (its "
                  "parties: {parties})", basis=basis, bound=bound, parties=parties)
    for agency, why in sorted(reaching.items()):
        if agency not in agreement.parties:
            return tr("agreement {basis!r} does not bind {agency}, reached by {why} (its "
                      "parties: {parties})", basis=basis, agency=agency, why=why,
                      parties=parties)
    return None


def marking_problem(marking: Marking, origin: str, facts: BasisFacts,
                    at: datetime) -> str | None:
    """Why ``marking``'s legal basis is refused for agency ``origin`` at ``at``, or ``None``.

    A marking without a basis is not judged here (whether it needs one is
    :meth:`Marking.basis_problem`'s rule).
    """
    if marking.legal_basis is None:
        return None
    agencies, unknown = reached(marking.reaches_outside(origin), facts, at)
    if unknown:
        return unknown[0]
    agencies.pop(origin, None)
    return agreement_problem(marking.legal_basis, origin, agencies, facts, at)


def release_problem(basis: str, by_agency: str, to: Selector, facts: BasisFacts,
                    at: datetime) -> str | None:
    """Why ``basis`` is refused for a release by ``by_agency`` to ``to`` at ``at``, or ``None``."""
    agencies, unknown = reached([to], facts, at)
    if unknown:
        return unknown[0]
    agencies.pop(by_agency, None)
    return agreement_problem(basis, by_agency, agencies, facts, at)
