"""``policy explain``: which statements of a whole stored record a subject sees, and why.

Pure: it takes the stored record (every statement, no tear line), the subject, the
time and the facts the policy consults, and asks :func:`decide` once for the record
and once per statement. The edges gather the inputs (``store/explain.py``) and
render the answer (the CLI's table, the API's JSON); neither decides anything.

Explaining shows the whole record, so only administrators may ask, and the asking is
an audited read of every statement (the edge's business).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.policy.decide import Action, PolicyFacts, decide
from tearline.policy.decision import Decision
from tearline.policy.subject import Subject


@dataclass(frozen=True, slots=True)
class ExplainedStatement:
    """One statement, its own marking (``None``: the record's) and the read decision."""

    statement_id: str
    prop: str
    value: str
    marking: Marking | None
    decision: Decision


@dataclass(frozen=True, slots=True)
class Explanation:
    """The record-level decision (does the record exist for the subject) and each statement's."""

    entity_id: str
    schema: str
    subject: Subject
    at: datetime
    marking: Marking
    record: Decision
    statements: tuple[ExplainedStatement, ...]


def explain(record: Record, subject: Subject, at: datetime, facts: PolicyFacts) -> Explanation:
    """Ask the policy about ``record`` as a whole and about each of its statements."""
    return Explanation(
        entity_id=record.id,
        schema=record.schema,
        subject=subject,
        at=at,
        marking=record.marking,
        record=decide(subject, Action.READ, record, at, facts),
        statements=tuple(
            ExplainedStatement(stmt.id, stmt.prop, stmt.value, stmt.marking,
                               decide(subject, Action.READ, (record, stmt), at, facts))
            for stmt in record.statements
        ),
    )
