"""Two-person approval of releases to foreign agencies, per agreement.

An agreement may require that a release citing it, to a party of another country, wait
for a second officer of the releasing agency (``agreement_controls``, append-only: the
latest row per agreement counts). The first officer's request is checked as the
release itself would be — the record as they see it, the onward-release rules, the
legal basis — and kept (``release_requests``, ``release.requested``); a second officer
of the same agency, another person, approves it (``release_approvals``,
``release.approved``) and the release is made then, as the requester's, in the same
transaction (``release.created``) — or refuses it with a reason (``release_refusals``,
``release.refused``): nothing is released and the request is closed. A direct release
under such an agreement is refused (:func:`tearline.store.releases.release`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from tearline.audit.events import AuditQueried, now
from tearline.audit.oversight_events import ReleaseApproved, ReleaseRefused, ReleaseRequested
from tearline.errors import Conflict, InputError, NotFound, PolicyDenied, tr
from tearline.model.marking import Selector
from tearline.model.text import text_problem
from tearline.policy.subject import Subject
from tearline.store import audit_log, parties
from tearline.store import oversight_tables as ot
from tearline.store.tables import ts


@dataclass(frozen=True, slots=True)
class Request:
    id: str
    entity_id: str
    recipient: str
    legal_basis: str
    agency: str
    unit: str
    requested_by: str
    requested_at: str
    approved_by: str | None = None
    approved_at: str | None = None
    release_id: str | None = None
    refused_by: str | None = None
    refused_at: str | None = None
    reason: str | None = None

    @property
    def state(self) -> str:
        return ("approved" if self.approved_by else "refused" if self.refused_by
                else "pending")


def set_required(conn: Connection, agreement_id: str, required: bool, by: str,
                 at: datetime) -> None:
    """Make an agreement require (or no longer require) a second officer."""
    if agreement_id not in {a.id for a in parties.agreements(conn)}:
        raise NotFound(tr(
            "no agreement {agreement_id!r}; see `tearline party list`", agreement_id=agreement_id))
    conn.execute(ot.agreement_controls.insert().values(
        agreement_id=agreement_id, two_person=required, at=ts(at), by=by))


def required(conn: Connection, agreement_id: str | None) -> bool:
    if agreement_id is None:
        return False
    c = ot.agreement_controls.c
    last = conn.execute(select(c.two_person).where(c.agreement_id == agreement_id)
                        .order_by(c.seq.desc()).limit(1)).scalar_one_or_none()
    return bool(last)


def needs_second(conn: Connection, agency: str, to_agency: str | None,
                 basis: str | None) -> bool:
    """Whether a release by ``agency`` to ``to_agency`` under ``basis`` waits for a second
    officer: the agreement requires it and the recipient is of another country (a
    ``vetted-by:`` group counts as foreign: it reaches other agencies' units)."""
    if not required(conn, basis):
        return False
    countries = {a.id: a.country for a in parties.agencies(conn)}
    return to_agency is None or countries.get(to_agency) != countries.get(agency)


def _person(subject: Subject) -> str:
    if subject.analyst is None:
        raise InputError(tr(
            "a release under two-person approval is requested and approved by officers: act as "
            "name@unit"))
    return subject.analyst


def request(conn: Connection, subject: Subject, entity_id: str, to: Selector, basis: str,
            at: datetime) -> Request:
    """Keep a release waiting for a second officer, once it is checked as a release."""
    from tearline.store import releases

    who = _person(subject)
    releases.release(conn, subject, entity_id, to, basis, at, who, dry_run=True)
    if not required(conn, basis):
        raise InputError(tr(
            "agreement {basis} does not require a second officer: release it directly (`tearline "
            "release`)", basis=basis))
    version = releases.visible_record(conn, subject, at, entity_id).version
    made = Request("rr-" + uuid.uuid4().hex[:24], entity_id, str(to), basis, subject.agency,
                   subject.unit, who, ts(at))
    conn.execute(ot.release_requests.insert().values(
        request_id=made.id, entity_id=entity_id, recipient=made.recipient, legal_basis=basis,
        agency=subject.agency, unit=subject.unit, requested_by=who,
        requested_at=made.requested_at))
    audit_log.append(conn, [ReleaseRequested(
        at=now(), actor=f"analyst:{who}", request_id=made.id, entity_id=entity_id,
        version=version, recipient=made.recipient, legal_basis=basis, agency=subject.agency)])
    return made


def requests(conn: Connection, agency: str, request_id: str | None = None) -> list[Request]:
    """The agency's requests, oldest first, with their approvals."""
    r, a, f = ot.release_requests.c, ot.release_approvals.c, ot.release_refusals.c
    query = (select(r.request_id, r.entity_id, r.recipient, r.legal_basis, r.agency, r.unit,
                    r.requested_by, r.requested_at, a.approved_by, a.approved_at, a.release_id,
                    f.refused_by, f.refused_at, f.reason)
             .select_from(ot.release_requests.outerjoin(
                 ot.release_approvals, a.request_id == r.request_id).outerjoin(
                 ot.release_refusals, f.request_id == r.request_id))
             .where(r.agency == agency))
    if request_id is not None:
        query = query.where(r.request_id == request_id)
    return [Request(*row) for row in conn.execute(query.order_by(r.requested_at,
                                                                 r.request_id))]


def listed(conn: Connection, subject: Subject, at: datetime) -> list[Request]:
    """The agency's requests about records that exist for ``subject`` (an officer of
    another unit is not shown the id of a record it may not see); the asking is logged."""
    from tearline.store import reader
    from tearline.store.visibility import Visibility

    found = requests(conn, subject.agency)
    seen = {r.id for r in reader.read_records(conn, Visibility(subject, at),
                                               sorted({q.entity_id for q in found}))}
    shown = [q for q in found if q.entity_id in seen]
    audit_log.append(conn, [AuditQueried(at=now(), actor=str(subject), subject=str(subject),
                                         entity_id=None, result_count=len(shown))])
    return shown


def _open(conn: Connection, officer: Subject, request_id: str, at: datetime,
          act: str) -> tuple[str, Request]:
    """The pending request a second officer decides, and the officer's name. A request of
    another agency, or about a record that does not exist for the officer, answers as a
    missing one; a decided one, or the officer's own, is refused."""
    from tearline.store import releases

    who = _person(officer)
    found = requests(conn, officer.agency, request_id)
    if found:
        try:
            releases.visible_record(conn, officer, at, found[0].entity_id)
        except NotFound:
            found = []
    if not found:
        raise NotFound(tr("no release request {request_id!r}", request_id=request_id))
    (req,) = found
    if req.approved_by is not None:
        raise Conflict(tr(
            "release request {request_id} was approved already ({release_id})",
            request_id=request_id, release_id=req.release_id))
    if req.refused_by is not None:
        raise Conflict(tr("release request {request_id} was refused already (by {who})",
                          request_id=request_id, who=req.refused_by))
    if req.requested_by == who and act == "approve":
        raise PolicyDenied(tr(
            "{who} requested this release; a second officer must approve it", who=who),
                           [tr("two-person approval: the approver is another officer")])
    if req.requested_by == who:
        raise PolicyDenied(tr(
            "{who} requested this release; a second officer must refuse it", who=who),
                           [tr("two-person approval: the officer who refuses is another")])
    return who, req


def refuse(conn: Connection, officer: Subject, request_id: str, reason: str,
           at: datetime) -> None:
    """The second officer refuses: nothing is released and the request is closed. The
    reason (required, at most 500 characters) is kept for the agency's officers."""
    reason = reason.strip()
    problem = text_problem(reason)
    if problem is not None:
        raise InputError(tr("the reason is refused: {problem}", problem=problem))
    if not reason or len(reason) > 500:
        raise InputError(tr("say why the release is refused (at most 500 characters)"))
    who, req = _open(conn, officer, request_id, at, "refuse")
    conn.execute(ot.release_refusals.insert().values(
        request_id=request_id, refused_by=who, refused_at=ts(at), reason=reason))
    audit_log.append(conn, [ReleaseRefused(
        at=now(), actor=f"analyst:{who}", request_id=request_id, entity_id=req.entity_id,
        requested_by=f"analyst:{req.requested_by}")])


def approve(conn: Connection, approver: Subject, request_id: str, at: datetime) -> str:
    """The second officer approves: the release is made; returns its id (see
    :func:`_open` for who may)."""
    from tearline.store import releases

    who, req = _open(conn, approver, request_id, at, "approve")
    units = {u.id: u.agency for u in parties.units(conn)}
    requester = Subject(unit=req.unit, agency=units.get(req.unit, req.agency),
                        analyst=req.requested_by)
    result = releases.release(conn, requester, req.entity_id, Selector.parse(req.recipient),
                              req.legal_basis, at, who, second_officer=who)
    conn.execute(ot.release_approvals.insert().values(
        request_id=request_id, approved_by=who, approved_at=ts(at),
        release_id=result.release.id))
    audit_log.append(conn, [ReleaseApproved(
        at=now(), actor=f"analyst:{who}", request_id=request_id, entity_id=req.entity_id,
        requested_by=f"analyst:{req.requested_by}", release_id=result.release.id)])
    return result.release.id
