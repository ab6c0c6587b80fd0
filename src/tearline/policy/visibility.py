"""The pure visibility evaluator: which statements of a record a subject may see.

A statement is visible when the rule holds for the statement (its own marking, or
the record's when it has none) *and* for the record's own marking: a portion can
narrow a record, never widen it. A record with no visible statement does not exist
for the subject. A relationship is visible only if both of its ends are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tearline.model.record import Record
from tearline.model.statement import Statement
from tearline.policy.decision import Decision
from tearline.policy.rules import STATEMENT_VISIBLE, Context, Item
from tearline.policy.subject import Subject, VettingFacts


def record_item(record: Record) -> Item:
    return Item(record.marking, record.originator, record.author)


def statement_item(record: Record, stmt: Statement) -> Item:
    return Item(stmt.marking or record.marking, stmt.origin, stmt.author)


@dataclass(frozen=True, slots=True)
class Evaluator:
    subject: Subject
    at: datetime
    vetting: VettingFacts

    @property
    def context(self) -> Context:
        return Context(self.subject, self.at, self.vetting)

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
        if not self.record_decision(record).allowed:
            return []
        ctx = self.context
        return [
            s
            for s in record.statements
            if STATEMENT_VISIBLE.decide(statement_item(record, s), ctx).allowed
        ]

    def tear_line(
        self,
        record: Record,
        lookup: Callable[[str], Record | None],
        ends: tuple[str, ...],
        references: frozenset[str],
    ) -> Record | None:
        """The record as the subject may see it, or ``None`` if it does not exist for them.

        ``lookup`` finds other records (for relationship ends and references),
        ``ends`` are the relationship's end properties, ``references`` every property
        that names another entity: values naming an entity the subject cannot see are
        dropped, and a relationship with an end the subject cannot see is hidden.
        """
        visible = self.visible_statements(record)
        if not visible:
            return None
        kept: list[Statement] = []
        for stmt in visible:
            if stmt.prop in references:
                target = lookup(stmt.value)
                if target is None or not self.visible_statements(target):
                    continue
            kept.append(stmt)
        for end in ends:
            if not any(s.prop == end for s in kept):
                return None
        if not kept:
            return None
        return Record(
            id=record.id,
            schema=record.schema,
            originator=record.originator,
            author=record.author,
            marking=record.marking,
            statements=tuple(kept),
            synthetic=record.synthetic,
            version=record.version,
            created_at=record.created_at,
            modified_at=record.modified_at,
        )
