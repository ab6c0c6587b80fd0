"""``decide(subject, action, item, at)``: one entry point for every policy question.

Actions:

* ``read`` — the statement is visible (``docs/policy.md`` rules 1–5 and releases), or
  the record exists for the subject (present, with a shown statement and both ends
  of a relationship);
* ``export`` — read, TLP:RED leaves the node only with its originating agency, and an
  ORCON item of another agency only with its originator's consent for the exporting
  agency (``policy/relay.py``);
* ``release-onward`` — read, then the release rules of ``policy/release.py`` for the
  target selector (``to``), its agency and the legal basis;
* ``edit`` — change the item or its marking: only units of the originating agency that
  can read it;
* ``recall`` — revoke releases of the item: only units of the originating agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tearline.errors import listed, tr
from tearline.model.marking import Selector
from tearline.model.record import Record, edge_ends
from tearline.model.statement import Statement
from tearline.policy.decision import Decision
from tearline.policy.evaluator import Evaluator, record_item, statement_item
from tearline.policy.relay import passable
from tearline.policy.release import ReleaseFacts, onward_rules
from tearline.policy.rules import Item
from tearline.policy.subject import Subject, VettingFacts


class Action(StrEnum):
    READ = "read"
    EXPORT = "export"
    RELEASE_ONWARD = "release-onward"
    EDIT = "edit"
    RECALL = "recall"


def _nothing(_: str) -> Record | None:
    return None


@dataclass(frozen=True, slots=True)
class PolicyFacts:
    """What decisions consult besides the item: vettings, releases, consents, other records."""

    vetting: VettingFacts = field(default_factory=VettingFacts)
    releases: ReleaseFacts = field(default_factory=ReleaseFacts)
    #: Finds other records (relationship ends, references); by default none exist.
    lookup: Callable[[str], Record | None] = _nothing


@dataclass(frozen=True, slots=True)
class Target:
    """Whom a release would reach: a selector, its agency (if one), the legal basis."""

    to: Selector
    to_agency: str | None
    basis: str | None = None


Subjectable = Record | tuple[Record, Statement]


def _read(ev: Evaluator, item: Subjectable, lookup: Callable[[str], Record | None]) -> Decision:
    if isinstance(item, tuple):
        record, stmt = item
        return ev.statement_decision(record, stmt)
    rec = ev.record_decision(item)
    if not rec.allowed:
        return Decision.deny(tr("record marking: {reasons}", reasons=listed(rec.reasons)))
    visible = ev.visible_statements(item)
    if not visible:
        return Decision.deny(tr("no statement of the record is visible: it does not exist"))
    for end in edge_ends(item.schema):
        if not any(s.prop == end for s in visible):
            return Decision.deny(tr("relationship end {end!r} is not visible", end=end))
        if not all(ev.exists(lookup(s.value), lookup) for s in visible if s.prop == end):
            return Decision.deny(tr("relationship end {end!r} is not visible: it names a "
                                    "record that does not exist for the subject", end=end))
    if not ev.exists(item, lookup):
        return Decision.deny(tr("every visible statement is a reference, and one names a "
                                "record that does not exist for the subject"))
    shown = ev.shown_statements(item, lookup)
    return Decision.allow(*rec.reasons, tr("{shown} of {total} statements", shown=len(shown),
                                                    total=len(item.statements)))


def _item(item: Subjectable) -> Item:
    if isinstance(item, tuple):
        return statement_item(*item)
    return record_item(item)


def decide(
    subject: Subject,
    action: Action | str,
    item: Subjectable,
    at: datetime,
    facts: PolicyFacts | None = None,
    target: Target | None = None,
) -> Decision:
    """May ``subject`` do ``action`` on ``item`` (a record, or a record and one statement)?"""
    facts = facts or PolicyFacts()
    act = Action(action)
    ev = Evaluator(subject, at, facts.vetting, facts.releases)
    read = _read(ev, item, facts.lookup)
    marked = _item(item)
    if act is Action.READ:
        return read
    if act is Action.RECALL:
        if subject.agency == marked.origin:
            return Decision.allow(tr("unit of the originating agency {origin}",
                                     origin=marked.origin))
        return Decision.deny(tr("only units of the originating agency {origin} may recall",
                                origin=marked.origin))
    if not read.allowed:
        return Decision.deny(tr("not readable: {reasons}", reasons=listed(read.reasons)))
    if act is Action.EXPORT:
        if marked.marking.tlp.value == "RED" and subject.agency != marked.origin:
            return Decision.deny(tr("TLP:RED leaves the node only with its originating agency"))
        consent = facts.releases.consent(marked.entity_id, marked.origin, subject.agency, at)
        handed_on = passable(marked, subject.agency, consent)
        if not handed_on.allowed:
            return handed_on
        return Decision.allow(*read.reasons)
    if act is Action.EDIT:
        if subject.agency != marked.origin:
            return Decision.deny(tr(
                "only units of the originating agency {origin} may change it",
                origin=marked.origin))
        return Decision.allow(tr("unit of the originating agency {origin}",
                                 origin=marked.origin))
    if target is None:
        return Decision.deny(tr("say to whom: a release needs a target selector"))
    consent = facts.releases.consent(marked.entity_id, marked.origin, subject.agency, at)
    return onward_rules(marked.marking, marked.origin, subject.agency, target.to,
                        target.to_agency, target.basis, consent)
