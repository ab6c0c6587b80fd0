"""The pure visibility evaluator: which statements of a record a subject may see.

A statement is visible when the rule holds for the statement (its own marking, or
the record's when it has none) *and* for the record's own marking: a portion can
narrow a record, never widen it. Releases in force widen both (``ReleasedTo``).

Existence, as ``docs/policy.md`` defines it and ``store/visibility.py`` compiles it:

* a record is **present** when it is not retracted, its marking is visible and at
  least one of its statements is visible;
* a statement is **shown** when it is visible and, if it names another entity (an
  entity-typed property), that entity is present;
* a record **exists** when it is present, has a shown statement, and — for a
  relationship — has a shown statement for each of its two ends.

The tear line of a record that exists is the record with its shown statements; a
record that does not exist gives ``None``, exactly as an id that was never created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from tearline.model.record import Record, edge_ends, entity_properties
from tearline.model.statement import Statement
from tearline.policy.decision import Decision
from tearline.policy.release import ReleaseFacts
from tearline.policy.rules import STATEMENT_VISIBLE, Context, Item
from tearline.policy.subject import Subject, VettingFacts

Lookup = Callable[[str], Record | None]


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
            return Decision.deny("record retracted")
        return STATEMENT_VISIBLE.decide(record_item(record), self.context)

    def statement_decision(self, record: Record, stmt: Statement) -> Decision:
        rec = self.record_decision(record)
        if not rec.allowed:
            return Decision.deny("record marking: " + "; ".join(rec.reasons))
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

    def present(self, record: Record | None) -> bool:
        return record is not None and bool(self.visible_statements(record))

    def shown_statements(self, record: Record, lookup: Lookup) -> list[Statement]:
        """Visible statements, without references to entities that are not present."""
        refs = entity_properties(record.schema)
        return [
            s
            for s in self.visible_statements(record)
            if s.prop not in refs or self.present(lookup(s.value))
        ]

    def exists(self, record: Record | None, lookup: Lookup) -> bool:
        if record is None:
            return False
        shown = self.shown_statements(record, lookup)
        if not shown:
            return False
        return all(any(s.prop == end for s in shown) for end in edge_ends(record.schema))

    def tear_line(self, record: Record, lookup: Lookup) -> Record | None:
        """The record as the subject may see it, or ``None`` if it does not exist for them."""
        shown = self.shown_statements(record, lookup)
        if not shown or not all(
            any(s.prop == end for s in shown) for end in edge_ends(record.schema)
        ):
            return None
        return Record(
            id=record.id,
            schema=record.schema,
            originator=record.originator,
            author=record.author,
            marking=record.marking,
            statements=tuple(shown),
            synthetic=record.synthetic,
            version=record.version,
            created_at=record.created_at,
            modified_at=record.modified_at,
        )
