"""Passing on: what an agency may hand to someone else of what that someone may see.

Visibility (``policy/evaluator.py``) says what a subject may see. When a node serves a
peer, or a unit exports to a file, the node's agency (or the unit's) hands the data
on: for every item originated by *another* agency that is an onward release, and an
ORCON item is released onward only while a consent of its originator for the agency
passing it on is in force (``docs/policy.md``, *Releases and onward releases*;
DESIGN.md invariant 6). This is decided **per item**: the record's own marking, and
each statement with its own marking (or the record's when it has none) and its own
originating agency. A SEMAR ORCON statement on a DEA record is SEMAR's to release,
whatever DEA may do with the rest of the record.

So the view a subject receives from agency ``A`` is its tear line narrowed to the items
``A`` may pass on (:class:`Relay`): an item is passed on when ``A`` originated it, or it
is not ORCON, or its originator's consent for ``A`` (on this record) is in force. A
record whose own marking may not be passed on, or with no statement left, or a
relationship with an end left out, is not handed on at all — exactly as the store's
compiled form (``store/relay.py``) decides; the property tests compare the two.

Whether a *referenced* entity exists for the subject is not narrowed: a reference is
shown when the subject may see the entity (visibility), whether or not ``A`` may hand
that entity itself on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tearline.errors import tr
from tearline.model.record import Record, edge_ends
from tearline.model.statement import Statement
from tearline.policy.decision import Decision
from tearline.policy.evaluator import Evaluator, Lookup, record_item, statement_item
from tearline.policy.release import Consent, ReleaseFacts
from tearline.policy.rules import Item


def passable(item: Item, by_agency: str, consent: Consent | None) -> Decision:
    """May agency ``by_agency`` hand ``item`` on to a subject that may see it?"""
    if item.origin == by_agency:
        return Decision.allow(tr("originated by {agency}", agency=by_agency))
    if not item.marking.orcon:
        return Decision.allow(tr("not ORCON: {origin}'s marking decides who may see it",
                                 origin=item.origin))
    if consent is None:
        return Decision.deny(tr(
            "ORCON of {origin}: {agency} may pass it on only with a consent of {origin} in "
            "force", origin=item.origin, agency=by_agency))
    return Decision.allow(tr("ORCON consent {consent} of {origin} for {agency}",
                             consent=consent.id, origin=item.origin, agency=by_agency))


@dataclass(frozen=True, slots=True)
class Relay:
    """The subject's view of records as agency ``by_agency`` may hand them on.

    Consents are those recorded here (``evaluator.releases``, with their withdrawals)
    and ``received``: consents an originator's node signed and this node keeps as
    documents, in force from their receipt (``Consent.at``). Received documents let an
    agency pass an item on; unlike recorded consents, they do not widen what a subject
    may see through a release.
    """

    evaluator: Evaluator
    by_agency: str
    received: ReleaseFacts = field(default_factory=ReleaseFacts)

    def decision(self, item: Item) -> Decision:
        ev = self.evaluator
        consent = (ev.releases.consent(item.entity_id, item.origin, self.by_agency, ev.at)
                   or self.received.consent(item.entity_id, item.origin, self.by_agency,
                                            ev.at))
        return passable(item, self.by_agency, consent)

    def head_passes(self, record: Record) -> bool:
        return self.decision(record_item(record)).allowed

    def passes(self, record: Record, stmt: Statement) -> bool:
        return self.decision(statement_item(record, stmt)).allowed

    def exists(self, record: Record | None, lookup: Lookup) -> bool:
        return record is not None and self.tear_line(record, lookup) is not None

    def tear_line(self, record: Record, lookup: Lookup) -> Record | None:
        """The record as handed on: its tear line for the subject without the items
        ``by_agency`` may not pass on; ``None`` if nothing of it may be handed on."""
        view = self.evaluator.tear_line(record, lookup)
        if view is None or not self.head_passes(record):
            return None
        shown = tuple(s for s in view.statements if self.passes(record, s))
        if not shown or not all(any(s.prop == end for s in shown)
                                for end in edge_ends(record.schema)):
            return None
        return replace(view, statements=shown)
