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
            return Decision.deny("no rule grants this (empty AllOf)")
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
        return Decision.deny(*(reasons or ["no rule grants this (empty AnyOf)"]))


@dataclass(frozen=True, slots=True)
class AuthorUnit:
    def decide(self, item: Item, ctx: Context) -> Decision:
        if ctx.subject.unit == item.author:
            return Decision.allow(f"unit {item.author} authored it")
        return Decision.deny(f"authored by another unit ({item.author})")


@dataclass(frozen=True, slots=True)
class Expired:
    expected: bool

    def decide(self, item: Item, ctx: Context) -> Decision:
        exp = item.marking.expires_at
        expired = exp is not None and ctx.at >= exp
        if expired == self.expected:
            if expired:
                return Decision.allow(f"marking expired at {exp:%Y-%m-%dT%H:%MZ}")
            return Decision.allow("marking in force")
        if expired:
            return Decision.deny(
                f"marking expired at {exp:%Y-%m-%dT%H:%MZ}: releases outside "
                f"{item.origin} have lapsed"
            )
        return Decision.deny("marking has not expired")


@dataclass(frozen=True, slots=True)
class LevelIn:
    levels: frozenset[Tlp]

    def decide(self, item: Item, ctx: Context) -> Decision:
        tlp = item.marking.tlp
        names = "/".join(sorted(level.value for level in self.levels))
        if tlp in self.levels:
            return Decision.allow(f"TLP:{tlp.value}")
        return Decision.deny(f"TLP:{tlp.value} is not {names}")


@dataclass(frozen=True, slots=True)
class OriginatorAgency:
    def decide(self, item: Item, ctx: Context) -> Decision:
        if ctx.subject.agency == item.origin:
            return Decision.allow(f"unit of the originating agency {item.origin}")
        return Decision.deny(f"not a unit of the originating agency {item.origin}")


@dataclass(frozen=True, slots=True)
class ReleasableTo:
    """The subject's unit matches ``agency:G``, ``unit:U`` or ``vetted-by:X`` (vetted at t)."""

    def decide(self, item: Item, ctx: Context) -> Decision:
        for sel in sorted(item.marking.releasable_to):
            if ctx.matches(sel):
                if sel.kind is SelectorKind.VETTED_BY:
                    return Decision.allow(f"releasable to units vetted by {sel.value}")
                return Decision.allow(f"releasable to {sel.kind.value} {sel.value}")
        listed = ", ".join(sorted(str(s) for s in item.marking.releasable_to)) or "nobody"
        return Decision.deny(
            f"unit {ctx.subject.unit} matches none of releasable_to ({listed})"
        )


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
                return Decision.allow(
                    f"released to {rel.to} by {rel.by_unit} at {rel.at:%Y-%m-%dT%H:%MZ}"
                    + (f" under {rel.basis}" if rel.basis else "")
                )
            refused.append(f"release {rel.id} no longer covers it: " + "; ".join(ok.reasons))
        return Decision.deny(*(refused or [f"no release to unit {ctx.subject.unit} in force"]))


@dataclass(frozen=True, slots=True)
class NamedUnit:
    def decide(self, item: Item, ctx: Context) -> Decision:
        for sel in item.marking.releasable_to:
            if sel.kind is SelectorKind.UNIT and sel.value == ctx.subject.unit:
                return Decision.allow(f"unit {sel.value} is named")
        return Decision.deny(f"unit {ctx.subject.unit} is not named by a unit: selector")


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
