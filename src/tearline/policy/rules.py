"""Dissemination rules as small composable objects, each deciding with a reason.

The visibility rule of ``docs/policy.md`` is written below as a composition of these
objects (:data:`STATEMENT_VISIBLE`). ``AllOf`` with no rules denies; ``AnyOf`` with no
rules denies. The store compiles the same rule to SQL (``store/visibility.py``); a
property-based test checks that both agree on generated cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tearline.errors import listed, tr
from tearline.model.marking import Marking, Selector, SelectorKind, Tlp
from tearline.policy.decision import Decision
from tearline.policy.release import ReleaseFacts, onward_rules
from tearline.policy.subject import Subject, VettingFacts


@dataclass(frozen=True, slots=True)
class Item:
    """What the rules look at: a marking, and who originated and authored the item.

    ``entity_id`` and ``key`` (a statement id; ``None`` for the record's own marking)
    say which releases may cover the item.
    """

    marking: Marking
    origin: str  # originating agency
    author: str  # authoring unit
    entity_id: str = ""
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    subject: Subject
    at: datetime
    vetting: VettingFacts
    releases: ReleaseFacts = ReleaseFacts()

    def matches(self, sel: Selector) -> bool:
        """The subject's unit matches ``sel`` at ``at`` (vetting consulted for vetted-by:)."""
        if sel.kind is SelectorKind.AGENCY:
            return sel.value == self.subject.agency
        if sel.kind is SelectorKind.UNIT:
            return sel.value == self.subject.unit
        return sel.value in self.vetting.vetted_by(self.subject.unit, self.at)


class Rule(Protocol):
    def decide(self, item: Item, ctx: Context) -> Decision: ...


@dataclass(frozen=True, slots=True)
class AllOf:
    rules: tuple[Rule, ...]

    def decide(self, item: Item, ctx: Context) -> Decision:
        if not self.rules:
            return Decision.deny(tr("no rule grants this (empty AllOf)"))
        reasons: list[str] = []
        for rule in self.rules:
            d = rule.decide(item, ctx)
            if not d.allowed:
                return d
            reasons.extend(d.reasons)
        return Decision.allow(*reasons)


@dataclass(frozen=True, slots=True)
class AnyOf:
    rules: tuple[Rule, ...]

    def decide(self, item: Item, ctx: Context) -> Decision:
        reasons: list[str] = []
        for rule in self.rules:
            d = rule.decide(item, ctx)
            if d.allowed:
                return d
            reasons.extend(d.reasons)
        return Decision.deny(*(reasons or [tr("no rule grants this (empty AnyOf)")]))


@dataclass(frozen=True, slots=True)
class AuthorUnit:
    def decide(self, item: Item, ctx: Context) -> Decision:
        if ctx.subject.unit == item.author:
            return Decision.allow(tr("unit {unit} authored it", unit=item.author))
        return Decision.deny(tr("authored by another unit ({unit})", unit=item.author))


@dataclass(frozen=True, slots=True)
class Expired:
    expected: bool

    def decide(self, item: Item, ctx: Context) -> Decision:
        exp = item.marking.expires_at
        expired = exp is not None and ctx.at >= exp
        if expired == self.expected:
            if expired:
                return Decision.allow(tr("marking expired at {at:%Y-%m-%dT%H:%MZ}", at=exp))
            return Decision.allow(tr("marking in force"))
        if expired:
            return Decision.deny(tr(
                "marking expired at {at:%Y-%m-%dT%H:%MZ}: releases outside {origin} have "
                "lapsed", at=exp, origin=item.origin))
        return Decision.deny(tr("marking has not expired"))


@dataclass(frozen=True, slots=True)
class LevelIn:
    levels: frozenset[Tlp]

    def decide(self, item: Item, ctx: Context) -> Decision:
        tlp = item.marking.tlp
        names = "/".join(sorted(level.value for level in self.levels))
        if tlp in self.levels:
            return Decision.allow(tr("TLP:{tlp}", tlp=tlp.value))
        return Decision.deny(tr("TLP:{tlp} is not {names}", tlp=tlp.value, names=names))


@dataclass(frozen=True, slots=True)
class OriginatorAgency:
    def decide(self, item: Item, ctx: Context) -> Decision:
        if ctx.subject.agency == item.origin:
            return Decision.allow(tr("unit of the originating agency {origin}",
                                     origin=item.origin))
        return Decision.deny(tr("not a unit of the originating agency {origin}",
                                origin=item.origin))


@dataclass(frozen=True, slots=True)
class ReleasableTo:
    """The subject's unit matches ``agency:G``, ``unit:U`` or ``vetted-by:X`` (vetted at t)."""

    def decide(self, item: Item, ctx: Context) -> Decision:
        for sel in sorted(item.marking.releasable_to):
            if ctx.matches(sel):
                if sel.kind is SelectorKind.VETTED_BY:
                    return Decision.allow(tr("releasable to units vetted by {agency}",
                                             agency=sel.value))
                if sel.kind is SelectorKind.AGENCY:
                    return Decision.allow(tr("releasable to agency {agency}", agency=sel.value))
                return Decision.allow(tr("releasable to unit {unit}", unit=sel.value))
        names = ", ".join(sorted(str(s) for s in item.marking.releasable_to))
        return Decision.deny(tr(
            "unit {unit} matches none of releasable_to ({selectors})", unit=ctx.subject.unit,
            selectors=names or tr("nobody")))


@dataclass(frozen=True, slots=True)
class ReleasedTo:
    """A release in force at t, matching the subject, covers the item (``policy/release.py``).

    The release must still be allowed by the item's current marking: never RED; an
    onward release of AMBER+STRICT only inside the releasing agency; of AMBER beyond it
    only with a legal basis; of ORCON only with a consent of the originator in force.
    """

    def decide(self, item: Item, ctx: Context) -> Decision:
        refused: list[str] = []
        for rel in ctx.releases.of_entity(item.entity_id):
            if not (rel.active_at(ctx.at) and rel.covers_statement(item.key)):
                continue
            if not ctx.matches(rel.to):
                continue
            consent = ctx.releases.consent(item.entity_id, item.origin, rel.by_agency, ctx.at)
            ok = onward_rules(item.marking, item.origin, rel.by_agency, rel.to,
                              rel.to_agency, rel.basis, consent)
            if ok.allowed:
                if rel.basis:
                    return Decision.allow(tr(
                        "released to {to} by {unit} at {at:%Y-%m-%dT%H:%MZ} under {basis}",
                        to=str(rel.to), unit=rel.by_unit, at=rel.at, basis=rel.basis))
                return Decision.allow(tr("released to {to} by {unit} at {at:%Y-%m-%dT%H:%MZ}",
                                         to=str(rel.to), unit=rel.by_unit, at=rel.at))
            refused.append(tr("release {id} no longer covers it: {reasons}", id=rel.id,
                              reasons=listed(ok.reasons)))
        return Decision.deny(*(refused or [tr("no release to unit {unit} in force",
                                              unit=ctx.subject.unit)]))


@dataclass(frozen=True, slots=True)
class NamedUnit:
    def decide(self, item: Item, ctx: Context) -> Decision:
        for sel in item.marking.releasable_to:
            if sel.kind is SelectorKind.UNIT and sel.value == ctx.subject.unit:
                return Decision.allow(tr("unit {unit} is named", unit=sel.value))
        return Decision.deny(tr("unit {unit} is not named by a unit: selector",
                                unit=ctx.subject.unit))


PUBLIC = frozenset({Tlp.CLEAR, Tlp.GREEN})
AMBERS = frozenset({Tlp.AMBER, Tlp.AMBER_STRICT})
NOT_RED = frozenset(Tlp) - {Tlp.RED}
RED = frozenset({Tlp.RED})

#: docs/policy.md, rules 1–5 and releases, for one marked item (a statement or a record).
STATEMENT_VISIBLE: Rule = AnyOf(
    (
        AuthorUnit(),
        AllOf((Expired(True), OriginatorAgency(), AnyOf((LevelIn(NOT_RED), NamedUnit())))),
        AllOf(
            (
                Expired(False),
                AnyOf(
                    (
                        LevelIn(PUBLIC),
                        AllOf((LevelIn(AMBERS), AnyOf((OriginatorAgency(), ReleasableTo())))),
                        AllOf((LevelIn(RED), NamedUnit())),
                        ReleasedTo(),
                    )
                ),
            )
        ),
    )
)
