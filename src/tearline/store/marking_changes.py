"""Changing a marking: only the originating agency's units, history kept append-only.

A new marking's legal basis must be an agreement in force that binds the parties
(``store/legal_basis.py``).

The current marking stays where every query reads it (``records.marking_id``,
``statements.marking_id``); each change also appends a row to ``marking_changes``
with the old and the new marking, in the same transaction. The history answers
"who changed what, when"; reads never consult it, only the current column. Each
change is also a ``marking.changed`` audit entry (one per previous marking), appended
in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from tearline.audit.events import MarkingChanged, now
from tearline.errors import MarkingError, ValidationError, tr
from tearline.model.marking import Marking
from tearline.policy.decide import Action, decide
from tearline.policy.subject import Subject
from tearline.store import audit_log
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.legal_basis import check_markings
from tearline.store.releases import denied, visible_record
from tearline.store.writer import store_markings


@dataclass(frozen=True, slots=True)
class MarkingChange:
    entity_id: str
    statement_id: str | None
    old: str | None
    new: str | None
    at: datetime
    by: str


def set_marking(conn: Connection, subject: Subject, entity_id: str, prop: str | None,
                marking: Marking, at: datetime) -> list[MarkingChange]:
    """Mark a record (``prop`` None) or its statements of ``prop`` from the subject's agency."""
    rec = visible_record(conn, subject, at, entity_id)
    changes: list[MarkingChange] = []
    if prop is None:
        d = decide(subject, Action.EDIT, rec, at)
        if not d:
            raise denied(tr("you may not change the marking of {id}", id=entity_id),
                         d.reasons)
        marking.check_for_originator(rec.originator)
        check_markings(conn, [(marking, "legal_basis")], rec.originator, at)
        store_markings(conn, [marking])
        old = conn.execute(
            select(t.records.c.marking_id).where(t.records.c.id == entity_id)
        ).scalar_one()
        conn.execute(t.records.update().where(t.records.c.id == entity_id)
                     .values(marking_id=marking.id))
        changes.append(MarkingChange(entity_id, None, old, marking.id, at, str(subject)))
    else:
        targets = [s for s in rec.statements if s.prop == prop]
        if not targets:
            raise ValidationError(tr(
                "{entity_id} has no value of {prop!r} visible to you",
                entity_id=entity_id, prop=prop))
        mine = [s for s in targets if decide(subject, Action.EDIT, (rec, s), at)]
        if not mine:
            origins = ", ".join(sorted({s.origin for s in targets}))
            raise denied(
                tr("you may not change the marking of {id} {prop}", id=entity_id, prop=prop),
                [tr("only units of the originating agency ({origins}) may", origins=origins)],
            )
        if not marking.is_narrower_or_equal(rec.marking):
            raise MarkingError(
                tr(
                    "TLP:{value} is wider than the record's TLP:{value2}: a portion may only "
                    "narrow its record", value=marking.tlp.value, value2=rec.marking.tlp.value)
            )
        marking.check_for_originator(subject.agency)
        check_markings(conn, [(marking, "legal_basis")], subject.agency, at)
        store_markings(conn, [marking])
        for stmt in mine:
            old = stmt.marking.id if stmt.marking else None
            conn.execute(t.statements.update().where(t.statements.c.id == stmt.id)
                         .values(marking_id=marking.id))
            changes.append(MarkingChange(entity_id, stmt.id, old, marking.id, at, str(subject)))
    if changes:
        conn.execute(rt.marking_changes.insert(), [
            {"entity_id": c.entity_id, "statement_id": c.statement_id,
             "old_marking_id": c.old, "new_marking_id": c.new,
             "changed_at": t.ts(c.at), "changed_by": c.by} for c in changes])
        by_old: dict[str | None, list[MarkingChange]] = {}
        for c in changes:
            by_old.setdefault(c.old, []).append(c)
        audit_log.append(conn, [
            MarkingChanged(at=now(), actor=str(subject), entity_id=entity_id,
                           statement_ids=tuple(c.statement_id for c in group if c.statement_id),
                           marking_id=marking.id, previous_marking_id=old)
            for old, group in by_old.items()])
    return changes


def marking_history(conn: Connection, entity_id: str) -> list[MarkingChange]:
    mc = rt.marking_changes
    rows = conn.execute(select(mc).where(mc.c.entity_id == entity_id).order_by(mc.c.seq))
    return [MarkingChange(r.entity_id, r.statement_id, r.old_marking_id, r.new_marking_id,
                          t.from_ts(r.changed_at), r.changed_by) for r in rows]
