"""Signing this node's index documents and accepting a peer's, refusing forgeries.

A peer's document is stored only if (1) its node's key signed exactly it, (2) it names
that peer as its node, (3) a registration, or a notice's checker, names the peer's own
agency and one of its units (a node speaks for its agency only), (4) a withdrawal ends a
registration of the same node, and (5) a notice (or each notice of a batch) is
addressed to this node's agency about one of this node's registrations.
Anything else is refused and the refusal logged (``federation.refused``): a forged
registration never reaches the index.

Which agencies may deconflict with which is set by the agreements in the store: two
agencies exchange deconfliction answers only under an agreement in force that binds
both (:func:`agreement_between`); within one agency no agreement is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from tearline.audit.deconflict_events import (
    DeconflictHit,
    DeconflictRegistered,
    DeconflictWithdrawn,
)
from tearline.audit.envelope import Event
from tearline.audit.events import FederationRefused
from tearline.deconflict import documents as docs
from tearline.errors import IntegrityError, NotFound, ValidationError
from tearline.federation import deconflict_entries as logs
from tearline.federation.signing import sign_document, verify_document
from tearline.keys import NodeKey
from tearline.model.parties import Agreement
from tearline.store import Connection, Peer, audit_log, deconflict_index, parties, ts

Reason = Literal["third-agency", "overwrite", "unverified", "malformed"]


def agreement_between(conn: Connection, first: str, second: str, at: datetime) -> str | None:
    """The id of an agreement in force at ``at`` binding both agencies ("" for one agency);
    None when they may not deconflict."""
    return bound_by(parties.agreements(conn), first, second, at)


def bound_by(agreements: Iterable[Agreement], first: str, second: str, at: datetime
             ) -> str | None:
    """:func:`agreement_between` over ``agreements`` already read."""
    if first == second:
        return ""
    bound = sorted(a.id for a in agreements
                   if a.in_force(at) and {first, second} <= set(a.parties))
    return bound[0] if bound else None


def sign(key: NodeKey, document: docs.Document) -> dict[str, Any]:
    return sign_document(key, document.to_document())


def logged(document: docs.Document, actor: str, at: datetime) -> list[Event]:
    """The audit entries of storing ``document`` (``actor``: who made or sent it)."""
    stamp = ts(at)
    if isinstance(document, docs.Registration | docs.Batch):
        one = (document,) if isinstance(document, docs.Registration) else document.registrations
        return [DeconflictRegistered(
            at=stamp, actor=actor, registration_id=r.id,
            selector_kind=r.kind,  # type: ignore[arg-type]
            holder=f"unit:{r.unit}", origin=f"node:{r.node}", expires=r.expires)
            for r in one]
    if isinstance(document, docs.Withdrawal):
        return [DeconflictWithdrawn(at=stamp, actor=actor,
                                    registration_id=document.registration_id,
                                    origin=f"node:{document.node}")]
    return []


def _refuse(conn: Connection, peer: Peer, at: datetime, reason: Reason,
            object_id: str | None, originator: str | None) -> None:
    audit_log.append(conn, [FederationRefused(
        at=ts(at), actor="system", peer=f"node:{peer.name}", collection=None,
        object_id=object_id, originator=originator, reason=reason)])


def registration_ids(document: docs.Document) -> tuple[str, ...]:
    """The ids of the registrations a document makes (none for a withdrawal or notice)."""
    if isinstance(document, docs.Registration):
        return (document.id,)
    if isinstance(document, docs.Batch):
        return tuple(i for i, _, _ in document.entries)
    return ()


def admit(conn: Connection, peer: Peer, own_agency: str, signed: object,
          at: datetime, claimed: set[str] | None = None) -> docs.Document | None:
    """The document pulled from ``peer`` if it may stand; else None, the refusal logged.
    ``claimed``: registration ids admitted earlier in the same page."""
    try:
        unsigned = verify_document(peer.verifier_key, signed)
    except IntegrityError:
        ident = signed.get("id") if isinstance(signed, dict) else None
        _refuse(conn, peer, at, "unverified", ident if isinstance(ident, str) else None, None)
        return None
    try:
        document = docs.parse(unsigned)
    except ValidationError:
        _refuse(conn, peer, at, "malformed", None, None)
        return None
    if document.node != peer.name:
        _refuse(conn, peer, at, "third-agency", document.id, None)
        return None
    # a node speaks for its own agency only: for the registering unit's, and for a
    # notice's checker, whom the holder's unit will call (or a partner could send our
    # units to another agency); parsing holds each unit to its agency
    speaks_for = (document.agency if isinstance(document, docs.Registration | docs.Batch)
                  else document.checker_agency
                  if isinstance(document, docs.Notice | docs.NoticeBatch) else peer.agency)
    if speaks_for != peer.agency:
        _refuse(conn, peer, at, "third-agency", document.id, speaks_for)
        return None
    # a document id that another node's document already holds: ids are one namespace
    # for every node, and a partner that pulls a third node's feed learns its ids, so it
    # could sign one first and have the third node's own document skipped as known,
    # without a trace; it is refused and logged instead (the index keeps one document
    # per id, so the first one stays)
    known = deconflict_index.document_origins(conn, [document.id]).get(document.id)
    if known is not None and known != peer.name:
        _refuse(conn, peer, at, "overwrite", document.id, None)
        return None
    made = registration_ids(document)
    if made and known is None:
        taken = deconflict_index.registrations_known(conn, made) | (set(made) & (claimed or set()))
        if taken:  # an id another document already made: never overwritten
            _refuse(conn, peer, at, "overwrite", document.id, None)
            return None
        if claimed is not None:
            claimed.update(made)
    if isinstance(document, docs.Withdrawal | docs.Notice):
        try:
            target = deconflict_index.registration(conn, document.registration_id)
        except NotFound:
            _refuse(conn, peer, at, "overwrite", document.id, None)
            return None
        owner_ok = (target.registration.node == peer.name if isinstance(document, docs.Withdrawal)
                    else document.holder_agency == own_agency == target.registration.agency)
        if not owner_ok:
            _refuse(conn, peer, at, "overwrite", document.id, target.registration.agency)
            return None
        if isinstance(document, docs.Withdrawal) and target.withdrawn_at is not None:
            return None  # withdrawn already: a second withdrawal changes nothing
    if isinstance(document, docs.NoticeBatch):
        wanted = [r for _, r in document.entries]
        found = deconflict_index.registrations(conn, wanted)
        strays = [r for r in wanted if r not in found or found[r].agency != own_agency]
        if document.holder_agency != own_agency or strays:
            _refuse(conn, peer, at, "overwrite", document.id,
                    found[strays[0]].agency if strays and strays[0] in found else None)
            return None
    return document


def accept_page(conn: Connection, peer: Peer, own_agency: str, page: list[object],
                at: datetime) -> list[docs.Document]:
    """Store the documents of a pulled page that may stand (one write for all), log each
    new one; returns the new documents."""
    admitted = []
    claimed: set[str] = set()
    for signed in page:
        document = admit(conn, peer, own_agency, signed, at, claimed)
        if document is not None:
            assert isinstance(signed, dict)
            admitted.append((document, signed))
    stored = deconflict_index.store_documents(conn, admitted, peer.name, at)
    entries = logs.Entries()
    for document in stored:
        if isinstance(document, docs.Batch):
            logs.registered(entries, document, f"node:{peer.name}", ts(at))
            continue
        for event in logged(document, f"node:{peer.name}", at):
            entries.event(event)
        if isinstance(document, docs.Notice | docs.NoticeBatch):
            told = (document,) if isinstance(document, docs.Notice) else document.notices
            holders = deconflict_index.registrations(conn, [n.registration_id for n in told])
            for notice in told:
                holder = holders[notice.registration_id]
                entries.event(DeconflictHit(
                    at=ts(at), actor=f"unit:{holder.unit}", registration_id=holder.id,
                    role="holder", checker=f"unit:{notice.checker_unit}",
                    checker_agency=notice.checker_agency, holder=f"unit:{holder.unit}",
                    holder_agency=holder.agency, agreement_id=notice.agreement_id or None))
    if entries.bodies:
        entries.append_to(conn)
    return stored
