"""Changing stored records through the policy: amend with statements, retract.

Both first read the record as the acting subject sees it; a record hidden from them
raises :class:`NotFound`, exactly as a missing one. The pure rules of
``policy/editing.py`` then decide, and a denial carries its reasons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select

from tearline.audit.envelope import utc_timestamp
from tearline.audit.events import RecordRetracted
from tearline.errors import PolicyDenied, Problem, ValidationError, tr
from tearline.model.marking import Marking
from tearline.model.record import Record, build_statements
from tearline.model.statement import Provenance
from tearline.policy.editing import may_amend, may_retract
from tearline.policy.subject import Subject
from tearline.store import audit_log
from tearline.store import tables as t
from tearline.store.audit_events import actor_of
from tearline.store.store import Store
from tearline.store.writer import WriteSummary


def amend(
    store: Store,
    subject: Subject,
    provenance: Provenance,
    entity_id: str,
    properties: Mapping[str, Sequence[Any]],
    marking: Marking | None = None,
    portions: Mapping[str, Marking] | None = None,
) -> tuple[Record, WriteSummary]:
    """Add statements to a record the subject can see; returns the record as they see it."""
    at = provenance.seen_at
    current = store.read(subject, at, entity_id, path="api")
    decision = may_amend(subject, current.originator, current.marking, marking)
    if not decision:
        raise PolicyDenied(tr("you may not amend {id}", id=entity_id), decision.reasons)
    problems: list[Problem] = []
    for prop, portion in (portions or {}).items():
        denied = may_amend(subject, current.originator, current.marking, portion)
        if not denied:
            problems.extend(Problem(r, column=prop) for r in denied.reasons)
    per_prop = {p: marking for p in properties} if marking is not None else {}
    per_prop.update(portions or {})
    statements, found = build_statements(
        entity_id, current.schema, properties, provenance, per_prop, keyer=store.keyer
    )
    # The record already has its required properties; only the added values are checked.
    problems.extend(p for p in found if "needs a value" not in p.message)
    if not statements and not problems:
        problems.append(Problem(tr("no property values to add")))
    if problems:
        raise ValidationError(tr(
            "invalid statements for {schema} {entity_id}",
            schema=current.schema, entity_id=entity_id), problems)
    update = replace(current, statements=tuple(statements), modified_at=at)
    summary = store.write([update], by=str(subject))
    return store.read(subject, at, entity_id, path="api"), summary


def retract(store: Store, subject: Subject, at: datetime, entity_id: str) -> Record:
    """Retract a record and all its statements, for everyone, from ``at`` on."""
    current = store.read(subject, at, entity_id, path="api")
    decision = may_retract(subject, current.originator)
    if not decision:
        raise PolicyDenied(tr("you may not retract {id}", id=entity_id), decision.reasons)
    stamp = t.ts(at)
    r, s = t.records, t.statements
    with store.transaction() as conn:
        version = conn.execute(select(r.c.version).where(r.c.id == entity_id)).scalar_one() + 1
        withdrawn = tuple(conn.execute(
            select(s.c.id).where(s.c.entity_id == entity_id, s.c.retracted_at.is_(None))
            .order_by(s.c.id)
        ).scalars())
        conn.execute(
            r.update().where(r.c.id == entity_id, r.c.retracted_at.is_(None))
            .values(retracted_at=stamp, modified_at=stamp, version=version)
        )
        conn.execute(
            s.update().where(s.c.entity_id == entity_id, s.c.retracted_at.is_(None))
            .values(retracted_at=stamp)
        )
        audit_log.append(conn, [RecordRetracted(
            at=utc_timestamp(at), actor=actor_of(subject.analyst or subject.unit),
            entity_id=entity_id, version=version, statement_ids=withdrawn,
        )])
    return replace(current, retracted=True, modified_at=at, version=version)
