"""Consent requests: a unit asks an originator for consent to release its ORCON items onward.

A unit that sees a record holding ORCON items of another agency may not pass them on
without that agency's consent (``policy/release.py``, invariant 6). It asks here: the
request names the record, the items it needs consent for (those it sees, of the agency
asked, not yet covered by a consent in force for its own agency), the onward release it
means (``to``) and why; it is addressed to the originating agency's unit that wrote those
items (the record's author, or the items' author for another agency's portion). That
unit answers: *grant* gives the consent exactly as ``tearline consent`` does
(:func:`releases.grant_consent`, ``consent.recorded``), *refuse* closes the request with
a reason. Tables ``consent_requests``, ``consent_request_items``, ``consent_answers``
(migration 0038), append-only; audit kinds ``consent.requested`` and ``consent.answered``.

A request is itself information: only the asking unit and the unit addressed see it,
and only while its record exists for them. A request about a record the asker may not
see is refused as one about an id that never existed (``releases.visible_record``);
an answer to a request not addressed to the answering unit as one that does not exist.
Requests do not travel between nodes: the unit addressed must be on this node.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from sqlalchemy import Column, ColumnElement, Connection, ForeignKey, Index, String, Table, select

from tearline.audit.consent_events import ConsentAnswered, ConsentRequested
from tearline.audit.events import AuditQueried, now
from tearline.errors import Conflict, InputError, NotFound, tr
from tearline.model.marking import Selector
from tearline.model.record import Record
from tearline.model.statement import Statement
from tearline.model.text import text_problem
from tearline.policy.subject import Subject
from tearline.store import audit_log, parties, reader, releases
from tearline.store.sync_tables import sync_received
from tearline.store.tables import TS, from_ts, metadata, ts
from tearline.store.visibility import Visibility

consent_requests = Table(
    "consent_requests",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("entity_id", String(128), nullable=False),
    Column("origin_agency", String(128), nullable=False),  # the agency asked
    Column("to_unit", String(128), nullable=False),  # its unit the request is addressed to
    Column("asker_unit", String(128), nullable=False),
    Column("asker_agency", String(128), nullable=False),
    Column("asked_by", String(200), nullable=False),
    Column("recipient", String(200), nullable=False),  # the onward release meant
    Column("reason", String(500), nullable=False),
    Column("asked_at", TS, nullable=False),
    Index("ix_consent_requests_to_unit", "to_unit"),
    Index("ix_consent_requests_asker_unit", "asker_unit"),
)

#: The items a request asks consent for: those the asker saw when it asked.
consent_request_items = Table(
    "consent_request_items",
    metadata,
    Column("request_id", String(64), ForeignKey("consent_requests.id"), primary_key=True),
    Column("statement_id", String(48), primary_key=True),
)

consent_answers = Table(
    "consent_answers",
    metadata,
    Column("request_id", String(64), ForeignKey("consent_requests.id"), primary_key=True),
    Column("answer", String(8), nullable=False),  # granted | refused
    Column("consent_id", String(64)),  # the consent given, when granted
    Column("reason", String(500)),  # why, when refused
    Column("answered_by", String(200), nullable=False),
    Column("answered_at", TS, nullable=False),
)

MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class ConsentRequest:
    id: str
    entity_id: str
    origin_agency: str
    to_unit: str
    asker_unit: str
    asker_agency: str
    asked_by: str
    recipient: str
    reason: str
    asked_at: str
    statement_ids: tuple[str, ...] = ()
    #: The properties of the items, as the viewer sees them now.
    props: tuple[str, ...] = ()
    answer: str | None = None
    consent_id: str | None = None
    answer_reason: str | None = None
    answered_by: str | None = None
    answered_at: str | None = None

    @property
    def state(self) -> str:
        return self.answer or "pending"

    @property
    def asked(self) -> datetime:
        return from_ts(self.asked_at)

    @property
    def answered(self) -> datetime | None:
        return from_ts(self.answered_at) if self.answered_at else None


def _reason(text: str, refusing: bool = False) -> str:
    text = text.strip()
    problem = text_problem(text)
    if problem is not None:
        raise InputError(tr("the reason is refused: {problem}", problem=problem))
    if (not text or len(text) > MAX_REASON) and refusing:
        raise InputError(tr("say why you refuse (at most 500 characters)"))
    if not text or len(text) > MAX_REASON:
        raise InputError(tr("say why you ask (at most 500 characters)"))
    return text


def needing(rec: Record, agency: str, conn: Connection, at: datetime) -> list[Statement]:
    """The items of ``rec`` (as ``agency``'s unit sees it) that ``agency`` may not release
    onward for want of a consent: ORCON, of another agency, no consent in force."""
    facts = releases.release_facts(conn, [rec.id])
    return [s for s in rec.statements
            if (s.marking or rec.marking).orcon and s.origin != agency
            and facts.consent(rec.id, s.origin, agency, at) is None]


def ask(conn: Connection, subject: Subject, entity_id: str, to: Selector, reason: str,
        at: datetime, *, origin: str | None = None,
        props: Sequence[str] = ()) -> ConsentRequest:
    """Ask the originating unit for consent to release the record's ORCON items onward to
    ``to`` (only the items of ``props``, when given; of the agency ``origin``, when the
    record holds ORCON items of several)."""
    why = _reason(reason)
    rec = releases.visible_record(conn, subject, at, entity_id)
    items = [s for s in needing(rec, subject.agency, conn, at) if not props or s.prop in props]
    if not items:
        raise InputError(tr(
            "nothing of {id} that you see waits for an originator's consent to your agency",
            id=entity_id))
    origins = sorted({s.origin for s in items})
    if origin is None and len(origins) > 1:
        raise InputError(tr(
            "the ORCON items of {id} come from several agencies ({agencies}): say which one "
            "you ask", id=entity_id, agencies=", ".join(origins)))
    asked = origin or origins[0]
    items = [s for s in items if s.origin == asked]
    if not items:
        raise InputError(tr("no ORCON item of {id} that you see comes from {agency}",
                            id=entity_id, agency=asked))
    to_unit = rec.author if rec.originator == asked else min(s.author for s in items)
    if ({u.id: u.agency for u in parties.units(conn)}.get(to_unit) != asked
            or (rec.originator == asked and _pulled(conn, entity_id))):
        raise InputError(tr(
            "the originating unit {unit} is not on this node: a consent request goes to a "
            "unit of this node; ask the operator of its node", unit=to_unit))
    pending = [r for r in _rows(conn, consent_requests.c.asker_unit == subject.unit)
               if r.entity_id == entity_id and r.origin_agency == asked and r.answer is None]
    if pending:
        raise Conflict(tr("your request {request_id} about {id} waits for its answer already",
                          request_id=pending[0].id, id=entity_id))
    made = ConsentRequest("cr-" + uuid.uuid4().hex[:24], entity_id, asked, to_unit,
                          subject.unit, subject.agency, str(subject), str(to), why, ts(at),
                          tuple(sorted(s.id for s in items)),
                          tuple(sorted({s.prop for s in items})))
    conn.execute(consent_requests.insert().values(
        id=made.id, entity_id=entity_id, origin_agency=asked, to_unit=to_unit,
        asker_unit=subject.unit, asker_agency=subject.agency, asked_by=made.asked_by,
        recipient=made.recipient, reason=why, asked_at=made.asked_at))
    conn.execute(consent_request_items.insert(),
                 [{"request_id": made.id, "statement_id": i} for i in made.statement_ids])
    audit_log.append(conn, [ConsentRequested(
        at=now(), actor=str(subject), request_id=made.id, entity_id=entity_id,
        statement_ids=made.statement_ids, originator=asked, to_unit=f"unit:{to_unit}",
        recipient=made.recipient)])
    return made


def _pulled(conn: Connection, entity_id: str) -> bool:
    """Whether the record came from a peer node (its originating unit is there)."""
    c = sync_received.c
    return conn.execute(select(c.object_id).where(
        c.entity_id == entity_id, c.outcome == "stored").limit(1)).first() is not None


def _rows(conn: Connection, where: ColumnElement[bool]) -> list[ConsentRequest]:
    r, a, i = consent_requests.c, consent_answers.c, consent_request_items.c
    rows = conn.execute(
        select(r.id, r.entity_id, r.origin_agency, r.to_unit, r.asker_unit, r.asker_agency,
               r.asked_by, r.recipient, r.reason, r.asked_at, a.answer, a.consent_id,
               a.reason, a.answered_by, a.answered_at)
        .select_from(consent_requests.outerjoin(consent_answers, a.request_id == r.id))
        .where(where).order_by(r.asked_at, r.id)).all()
    ids = [row[0] for row in rows]
    items: dict[str, list[str]] = {}
    for k in range(0, len(ids), 500):
        for rid, sid in conn.execute(select(i.request_id, i.statement_id)
                                     .where(i.request_id.in_(ids[k:k + 500]))
                                     .order_by(i.request_id, i.statement_id)):
            items.setdefault(rid, []).append(sid)
    return [ConsentRequest(*row[:10], statement_ids=tuple(items.get(row[0], ())),
                           answer=row[10], consent_id=row[11], answer_reason=row[12],
                           answered_by=row[13], answered_at=row[14]) for row in rows]


def _seen(conn: Connection, subject: Subject, at: datetime,
          found: list[ConsentRequest]) -> list[ConsentRequest]:
    """The requests whose record exists for ``subject``, their items cut to those it sees
    now (with their properties)."""
    recs = {rec.id: rec for rec in reader.read_records(
        conn, Visibility(subject, at), sorted({q.entity_id for q in found}))}
    out = []
    for q in found:
        rec = recs.get(q.entity_id)
        if rec is None:
            continue
        props = {s.id: s.prop for s in rec.statements}
        kept = tuple(s for s in q.statement_ids if s in props)
        out.append(replace(q, statement_ids=kept, props=tuple(sorted({props[s] for s in kept}))))
    return out


Direction = Literal["sent", "received"]


def _unit_level(q: ConsentRequest, answered: bool) -> ConsentRequest:
    """The other side's person named at unit level (as the audit log names another unit's
    actor): the asker sees who answered as the unit addressed, the unit addressed sees
    who asked as the asking unit."""
    if answered:
        return replace(q, answered_by=f"unit:{q.to_unit}" if q.answered_by else None)
    return replace(q, asked_by=f"unit:{q.asker_unit}")


def listed(conn: Connection, subject: Subject,
           at: datetime) -> list[tuple[Direction, ConsentRequest]]:
    """The requests ``subject``'s unit sent and those addressed to it, oldest first, about
    records that exist for it; the asking is logged."""
    c = consent_requests.c
    found = _seen(conn, subject, at, _rows(conn, (c.asker_unit == subject.unit)
                                           | (c.to_unit == subject.unit)))
    shown: list[tuple[Direction, ConsentRequest]] = [
        ("sent", _unit_level(q, answered=True)) if q.asker_unit == subject.unit
        else ("received", _unit_level(q, answered=False)) for q in found]
    audit_log.append(conn, [AuditQueried(at=now(), actor=str(subject), subject=str(subject),
                                         entity_id=None, result_count=len(shown))])
    return shown


def answer(conn: Connection, subject: Subject, request_id: str, grant: bool, reason: str,
           at: datetime) -> ConsentRequest:
    """The unit addressed grants (the consent is given as by ``tearline consent``) or
    refuses (with a reason, kept for the asking unit) a pending request."""
    why = "" if grant else _reason(reason, refusing=True)
    found = [q for q in _rows(conn, consent_requests.c.id == request_id)
             if q.to_unit == subject.unit]
    if found and not _seen(conn, subject, at, found):
        found = []
    if not found:
        raise NotFound(tr("no consent request {request_id!r}", request_id=request_id))
    (req,) = found
    if req.answer is not None:
        raise Conflict(tr("consent request {request_id} was answered already ({answer})",
                          request_id=request_id, answer=req.answer))
    consent_id = None
    if grant:
        consent_id = releases.grant_consent(conn, subject, req.entity_id, req.asker_agency,
                                            at, str(subject)).id
    decided: Literal["granted", "refused"] = "granted" if grant else "refused"
    conn.execute(consent_answers.insert().values(
        request_id=request_id, answer=decided, consent_id=consent_id, reason=why or None,
        answered_by=str(subject), answered_at=ts(at)))
    audit_log.append(conn, [ConsentAnswered(
        at=now(), actor=str(subject), request_id=request_id, entity_id=req.entity_id,
        answer=decided, consent_id=consent_id, asked_by=f"unit:{req.asker_unit}")])
    return replace(req, answer=decided, consent_id=consent_id, answer_reason=why or None,
                   answered_by=str(subject), answered_at=ts(at))
