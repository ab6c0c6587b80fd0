"""The pure visibility evaluator: which statements of a record a subject may see.

A statement is visible when the rule holds for the statement (its own marking, or
the record's when it has none) *and* for the record's own marking: a portion can
narrow a record, never widen it. Releases in force widen both (``ReleasedTo``).

Existence, as ``docs/policy.md`` defines it and ``store/existence.py`` compiles it:

* a record **stands** when it is not retracted, its marking is visible, at least one
  of its statements is visible, and — for a relationship — a visible statement names
  each of its two ends;
* a record **rests on** the records named by its visible end statements (a
  relationship), or by all its visible statements when every one of them is a
  reference (a record with no visible value of its own); other records rest on none;
* a record **exists** when it stands and so does every record it rests on, directly or
  through others, at any depth (a cycle of records that all stand exists);
* a statement is **shown** when it is visible and, if it names another entity (an
  entity-typed property), that entity exists.

The tear line of a record that exists is the record with its shown statements, and
with a version and times computed from them alone (:func:`viewed`); a record that does
not exist gives ``None``, exactly as an id that was never created.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from tearline.errors import listed, tr
from tearline.model.record import Record, edge_ends, entity_properties
from tearline.model.statement import Statement
from tearline.policy.decision import Decision
from tearline.policy.recipients import as_recipient
from tearline.policy.release import ReleaseFacts
from tearline.policy.rules import STATEMENT_VISIBLE, Context, Item
from tearline.policy.subject import Subject, VettingFacts

Lookup = Callable[[str], Record | None]
#: When the current marking of an item was set: the record's own (key ``None``) or a
#: statement's (its id), for the items that were ever re-marked.
Remarked = Mapping[str | None, datetime]


def viewed(record: Record, shown: Sequence[Statement], remarked: Remarked | None = None
           ) -> Record:
    """``record`` with the statements ``shown`` to a subject, and its version and times
    computed over that view only (``docs/policy.md``, "Versions and times"):

    * ``created_at``: the earliest first-seen of a shown statement;
    * ``modified_at``: the latest first- or last-seen of a shown statement, or time at
      which the current marking of the record or of a shown statement was set;
    * ``version``: how many distinct first-seen instants the shown statements have — the
      writes that brought what the subject sees (a write's statements share one).

    Nothing hidden from the subject enters: a portion added, re-marked or seen again
    where the subject cannot see it changes none of the three. As the view grows (a
    statement added, released or re-marked into it) none of them moves back.
    """
    changes = remarked or {}
    moments = [m for s in shown for m in (s.first_seen, s.last_seen)]
    moments += [changes[k] for k in (None, *(s.id for s in shown)) if k in changes]
    return Record(id=record.id, schema=record.schema, originator=record.originator,
                  author=record.author, marking=record.marking, statements=tuple(shown),
                  synthetic=record.synthetic,
                  version=max(1, len({s.first_seen for s in shown})),
                  created_at=min((s.first_seen for s in shown), default=record.created_at),
                  modified_at=max(moments, default=record.modified_at))


def record_item(record: Record) -> Item:
    return Item(record.marking, record.originator, record.author, record.id, None)


def statement_item(record: Record, stmt: Statement) -> Item:
    return Item(stmt.marking or record.marking, stmt.origin, stmt.author, record.id, stmt.id)


@dataclass(frozen=True, slots=True)
class Evaluator:
    subject: Subject
    at: datetime
    vetting: VettingFacts
    releases: ReleaseFacts = field(default_factory=ReleaseFacts)

    @property
    def context(self) -> Context:
        return Context(self.subject, self.at, self.vetting, self.releases)

    def record_decision(self, record: Record) -> Decision:
        if record.retracted:
            return Decision.deny(tr("record retracted"))
        return STATEMENT_VISIBLE.decide(record_item(record), self.context)

    def statement_decision(self, record: Record, stmt: Statement) -> Decision:
        rec = self.record_decision(record)
        if not rec.allowed:
            return Decision.deny(tr("record marking: {reasons}", reasons=listed(rec.reasons)))
        return STATEMENT_VISIBLE.decide(statement_item(record, stmt), self.context)

    def visible_statements(self, record: Record) -> list[Statement]:
        """Statements whose marking (and the record's) the subject may see."""
        if not self.record_decision(record).allowed:
            return []
        ctx = self.context
        return [
            s
            for s in record.statements
            if STATEMENT_VISIBLE.decide(statement_item(record, s), ctx).allowed
        ]

    def stands(self, record: Record | None) -> bool:
        """Visible, with a visible statement, and a visible statement for each end."""
        if record is None:
            return False
        visible = self.visible_statements(record)
        return bool(visible) and all(any(s.prop == end for s in visible)
                                     for end in edge_ends(record.schema))

    def rests_on(self, record: Record) -> list[str]:
        """The ids of the records whose existence ``record``'s existence requires."""
        visible = self.visible_statements(record)
        ends = edge_ends(record.schema)
        if ends:
            return [s.value for s in visible if s.prop in ends]
        refs = entity_properties(record.schema)
        if all(s.prop in refs for s in visible):
            return [s.value for s in visible]
        return []

    def exists(self, record: Record | None, lookup: Lookup) -> bool:
        """The record stands, and so does every record it rests on, at every depth."""
        if record is None or not self.stands(record):
            return False
        seen, todo = {record.id}, self.rests_on(record)
        while todo:
            other_id = todo.pop()
            if other_id in seen:
                continue
            seen.add(other_id)
            other = lookup(other_id)
            if other is None or not self.stands(other):
                return False
            todo.extend(self.rests_on(other))
        return True

    def shown_statements(self, record: Record, lookup: Lookup) -> list[Statement]:
        """Visible statements, without references to entities that do not exist."""
        refs = entity_properties(record.schema)
        return [
            s
            for s in self.visible_statements(record)
            if s.prop not in refs or self.exists(lookup(s.value), lookup)
        ]

    def tear_line(self, record: Record, lookup: Lookup, remarked: Remarked | None = None
                  ) -> Record | None:
        """The record as the subject may see it, or ``None`` if it does not exist for them.

        ``remarked``: when the current markings were set (see :func:`viewed`). A RED
        marking names, for a viewer of another agency, only the viewer's own unit
        (:func:`tearline.policy.recipients.as_recipient`), as the store's reads show it.
        """
        if not self.exists(record, lookup):
            return None
        return as_recipient(viewed(record, self.shown_statements(record, lookup), remarked),
                            self.subject)
