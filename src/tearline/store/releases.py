"""Releases, recalls and ORCON consents, stored as append-only history.

Every operation first reads the record as the acting subject sees it: a record that
does not exist for them raises :class:`NotFound` with the same message as an id that
was never created. The pure rules (``policy/release.py``, ``policy/decide.py``) then
decide; a denial raises :class:`PolicyDenied` with the rule's reasons. A release never
alters the originator's marking: it is a row of its own, with the statements it covers.
Each release, recall and consent appends its audit entry in the same transaction, after
its rows, so that a refused action (which raises before) leaves no entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from tearline.errors import (
    LegalBasisError,
    NotFound,
    PolicyDenied,
    Problem,
    Text,
    ValidationError,
    listed,
    tr,
)
from tearline.model.marking import Marking, Selector, SelectorKind
from tearline.model.record import Record
from tearline.policy.decide import Action, decide
from tearline.policy.legal_basis import release_problem
from tearline.policy.release import Consent, Release, ReleaseFacts, onward_rules, to_agency_of
from tearline.policy.subject import Subject
from tearline.store import parties, read_rows, reader, release_approvals, release_events
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.legal_basis import basis_facts
from tearline.store.visibility import Visibility


def denied(message: Text, reasons: Iterable[str]) -> PolicyDenied:
    """A denial whose message carries the policy's reasons. The message and the reasons
    are marked (:func:`tr`), so the whole denial — the reasons nested in it included —
    is said in the reader's language at the edge (:func:`tearline.i18n.messages.say`)."""
    why = tuple(reasons)
    if not why:
        return PolicyDenied(message, why)
    return PolicyDenied(tr("{message}: {reasons}", message=message, reasons=listed(why)), why)


@dataclass(frozen=True, slots=True)
class ReleaseResult:
    release: Release
    #: Statements left out, each with the reason.
    skipped: tuple[tuple[str, str], ...]


def visible_record(conn: Connection, subject: Subject, at: datetime, entity_id: str) -> Record:
    """The record as ``subject`` sees it; :class:`NotFound` (as for a missing id) otherwise."""
    rec = reader.read_record(conn, Visibility(subject, at), entity_id)
    if rec is None:
        raise NotFound(tr("no record {id!r}", id=entity_id))
    return rec


def releases(conn: Connection, entity_ids: Iterable[str] | None = None) -> list[Release]:
    rl, ri, rv = rt.releases, rt.release_items, rt.release_revocations
    query = select(rl, rv.c.revoked_at).outerjoin(rv, rv.c.release_id == rl.c.id)
    items_q = select(ri.c.release_id, ri.c.statement_id)
    if entity_ids is not None:
        wanted = sorted(set(entity_ids))
        query = query.where(rl.c.entity_id.in_(wanted))
        items_q = items_q.join(rl, rl.c.id == ri.c.release_id).where(rl.c.entity_id.in_(wanted))
    items: dict[str, set[str]] = {}
    for release_id, statement_id in conn.execute(items_q):
        items.setdefault(release_id, set()).add(statement_id)
    return [
        Release(
            id=row.id,
            entity_id=row.entity_id,
            by_unit=row.by_unit,
            by_agency=row.by_agency,
            to=Selector(SelectorKind(row.to_kind), row.to_value),
            to_agency=row.to_agency,
            basis=row.basis,
            at=t.from_ts(row.released_at),
            items=frozenset(items.get(row.id, ())),
            revoked_at=t.from_ts(row.revoked_at) if row.revoked_at else None,
        )
        for row in conn.execute(query.order_by(rl.c.released_at, rl.c.id))
    ]


def consents(conn: Connection, entity_ids: Iterable[str] | None = None) -> list[Consent]:
    c, w = rt.consents, rt.consent_withdrawals
    query = select(c, w.c.withdrawn_at).outerjoin(w, w.c.consent_id == c.c.id)
    if entity_ids is not None:
        query = query.where(c.c.entity_id.in_(sorted(set(entity_ids))))
    return [
        Consent(row.id, row.entity_id, row.by_agency, row.to_agency, t.from_ts(row.granted_at),
                t.from_ts(row.withdrawn_at) if row.withdrawn_at else None)
        for row in conn.execute(query.order_by(c.c.granted_at, c.c.id))
    ]


def release_facts(conn: Connection, entity_ids: Iterable[str] | None = None) -> ReleaseFacts:
    ids = None if entity_ids is None else list(entity_ids)
    return ReleaseFacts.of(releases(conn, ids), consents(conn, ids))


def target_agency(conn: Connection, to: Selector) -> str | None:
    """The agency a release to ``to`` reaches (None for a ``vetted-by:`` group); an
    unknown unit or agency is refused."""
    units = {u.id: u.agency for u in parties.units(conn)}
    agencies = {a.id for a in parties.agencies(conn)}
    if to.kind is SelectorKind.UNIT and to.value not in units:
        raise ValidationError(tr(
            "unknown unit {value!r}; see `tearline party list`", value=to.value))
    if to.kind is not SelectorKind.UNIT and to.value not in agencies:
        raise ValidationError(tr(
            "unknown agency {value!r}; see `tearline party list`", value=to.value))
    return to_agency_of(to, units)


def check_basis(conn: Connection, basis: str | None, by_agency: str, to: Selector,
                at: datetime) -> None:
    """A release's basis must be an agreement in force at ``at`` that binds ``by_agency``
    and whom ``to`` reaches: the rule of a marking's legal basis (``policy/legal_basis.py``)."""
    if basis is not None:
        why = release_problem(basis, by_agency, to, basis_facts(conn), at)
        if why is not None:
            raise LegalBasisError(tr("legal basis refused"), [Problem(why, column="basis")])


def release(conn: Connection, subject: Subject, entity_id: str, to: Selector,
            basis: str | None, at: datetime, recorded_by: str, *,
            second_officer: str | None = None, dry_run: bool = False) -> ReleaseResult:
    """Release (or release onward) what ``subject`` sees of a record to ``to``.

    Under an agreement that requires two-person approval, a release to a foreign party
    is made only on a second officer's approval (``second_officer``,
    ``store/release_approvals.py``); ``dry_run`` checks everything and stores nothing."""
    rec = visible_record(conn, subject, at, entity_id)
    to_agency = target_agency(conn, to)
    facts = release_facts(conn, [entity_id])

    def allowed(marking: Marking, origin: str) -> tuple[bool, tuple[str, ...]]:
        consent = facts.consent(entity_id, origin, subject.agency, at)
        d = onward_rules(marking, origin, subject.agency, to, to_agency, basis, consent)
        return d.allowed, d.reasons

    ok, reasons = allowed(rec.marking, rec.originator)
    if not ok:
        raise denied(tr("you may not release {id} to {to}", id=entity_id, to=str(to)), reasons)
    check_basis(conn, basis, subject.agency, to, at)
    items: list[str] = []
    skipped: list[tuple[str, str]] = []
    for stmt in rec.statements:
        ok, reasons = allowed(stmt.marking or rec.marking, stmt.origin)
        if ok:
            items.append(stmt.id)
        else:
            skipped.append((stmt.id, listed(reasons)))
    if not items:
        raise denied(tr("no statement of {id} may be released to {to}", id=entity_id,
                        to=str(to)), [r for _, r in skipped])
    if (second_officer is None and not dry_run
            and release_approvals.needs_second(conn, subject.agency, to_agency, basis)):
        raise denied(tr("a release of {id} to {to} under {basis} waits for a second officer",
                        id=entity_id, to=str(to), basis=basis),
                     [tr("agreement {basis} requires two-person approval: `tearline approval "
                         "request`, then a second officer's `tearline approval approve`",
                         basis=basis)])
    if dry_run:
        return ReleaseResult(Release("", entity_id, subject.unit, subject.agency, to,
                                     to_agency, basis, at, frozenset(items)), tuple(skipped))
    new_id = "rel-" + uuid.uuid4().hex[:24]
    old = [r for r in facts.releases if r.by_agency == subject.agency and r.to == to
           and r.active_at(at)]
    for prior in old:
        conn.execute(rt.release_revocations.insert().values(
            release_id=prior.id, revoked_at=t.ts(at), recorded_by=recorded_by,
            reason=f"superseded by {new_id}"))
    conn.execute(rt.releases.insert().values(
        id=new_id, entity_id=entity_id, by_unit=subject.unit, by_agency=subject.agency,
        to_kind=to.kind.value, to_value=to.value, to_agency=to_agency, basis=basis,
        released_at=t.ts(at), recorded_by=recorded_by,
        supersedes=old[-1].id if old else None))
    conn.execute(rt.release_items.insert(),
                 [{"release_id": new_id, "statement_id": i} for i in sorted(items)])
    made = Release(new_id, entity_id, subject.unit, subject.agency, to, to_agency, basis, at,
                   frozenset(items))
    onward = subject.agency != rec.originator
    consent = facts.consent(entity_id, rec.originator, subject.agency, at) if onward else None
    release_events.release(conn, subject, made, rec.version, onward,
                           consent.id if consent else None, old[-1].id if old else None)
    return ReleaseResult(made, tuple(skipped))


def recall(conn: Connection, subject: Subject, entity_id: str, at: datetime,
           recorded_by: str, release_id: str | None = None) -> list[str]:
    """Revoke releases of a record in force at ``at``: all of them (the originator's
    units), or one (its releasing agency's units, or the originator's)."""
    rec = visible_record(conn, subject, at, entity_id)
    active = [r for r in releases(conn, [entity_id]) if r.active_at(at)]
    if release_id is not None:
        active = [r for r in active if r.id == release_id]
        if not active:
            raise NotFound(tr("no release {release!r} of {id!r} in force", release=release_id,
                          id=entity_id))
        if active[0].by_agency != subject.agency:
            d = decide(subject, Action.RECALL, rec, at)
            if not d:
                raise denied(tr("you may not revoke release {id}", id=release_id), d.reasons)
    else:
        d = decide(subject, Action.RECALL, rec, at)
        if not d:
            raise denied(tr("you may not recall {id}", id=entity_id), d.reasons)
    for r in active:
        conn.execute(rt.release_revocations.insert().values(
            release_id=r.id, revoked_at=t.ts(at), recorded_by=recorded_by, reason="recalled"))
    release_events.recall(conn, subject, entity_id, rec.version, active)
    return [r.id for r in active]


def grant_consent(conn: Connection, subject: Subject, entity_id: str, to_agency: str,
                  at: datetime, recorded_by: str) -> Consent:
    """The originating agency lets ``to_agency`` release its ORCON items of a record onward."""
    rec = visible_record(conn, subject, at, entity_id)
    origins = {rec.originator} | {s.origin for s in rec.statements}
    if subject.agency not in origins:
        raise denied(tr("you may not consent for {id}", id=entity_id),
                     [tr("only an originating agency ({agencies}) consents to onward release "
                         "of its items", agencies=", ".join(sorted(origins)))])
    if to_agency not in {a.id for a in parties.agencies(conn)}:
        raise ValidationError(tr(
            "unknown agency {to_agency!r}; see `tearline party list`", to_agency=to_agency))
    if to_agency == subject.agency:
        raise ValidationError(tr("an agency does not need its own consent"))
    consent = Consent("con-" + uuid.uuid4().hex[:24], entity_id, subject.agency, to_agency, at)
    conn.execute(rt.consents.insert().values(
        id=consent.id, entity_id=entity_id, by_agency=subject.agency, to_agency=to_agency,
        granted_at=t.ts(at), recorded_by=recorded_by))
    release_events.consent(conn, subject, consent, "granted")
    return consent


def withdraw_consent(conn: Connection, subject: Subject, consent_id: str, at: datetime,
                     recorded_by: str) -> None:
    """End a consent from ``at``: onward releases relying on it stop covering ORCON items."""
    found = [c for c in consents(conn) if c.id == consent_id and c.by_agency == subject.agency]
    if not found or not found[0].in_force(at):
        raise NotFound(tr("no consent {consent!r} of {agency} in force", consent=consent_id,
                          agency=subject.agency))
    conn.execute(rt.consent_withdrawals.insert().values(
        consent_id=consent_id, withdrawn_at=t.ts(at), recorded_by=recorded_by))
    release_events.consent(conn, subject, found[0], "withdrawn")


def stored_record(conn: Connection, entity_id: str) -> Record | None:
    """The whole stored record, every statement, ignoring the policy.

    For administrators explaining the policy (``tearline policy explain``); never for
    answering a subject.
    """
    r, s = t.records, t.statements
    head = conn.execute(select(r).where(r.c.id == entity_id)).first()
    if head is None:
        return None
    markings = read_rows.MarkingCache()
    rows = conn.execute(
        select(s).where(s.c.entity_id == entity_id, s.c.retracted_at.is_(None))
        .order_by(s.c.prop, s.c.value, s.c.id)
    ).all()
    statements = tuple(
        read_rows.statement_from_row(row, markings.get(conn, row.marking_id)
                                     if row.marking_id else None)
        for row in rows
    )
    return Record(
        id=head.id, schema=head.schema, originator=head.originator, author=head.author,
        marking=markings.get(conn, head.marking_id), statements=statements,
        synthetic=bool(head.synthetic), version=head.version,
        created_at=t.from_ts(head.created_at), modified_at=t.from_ts(head.modified_at),
        retracted=head.retracted_at is not None,
    )
