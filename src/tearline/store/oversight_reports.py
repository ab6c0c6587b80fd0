"""Drafts with their terms, a report signed off over a checkpoint, and its verification.

The three steps of ``tearline oversight``: the drafts of an agency not yet covered by a
signed report, each with its due date and status; signing — a checkpoint of the log
signed with the node's key at its current size, every exchange of the range since the
last report listed, the report kept and its digest logged; and verifying a report
file against the log (:mod:`tearline.oversight.completeness`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection

from tearline.audit.checkpoint import verify_note
from tearline.audit.events import AuditQueried, now
from tearline.errors import IntegrityError, NotFound, ProofError, tr
from tearline.keys import NodeKey
from tearline.model.marking import Marking
from tearline.oversight import report as rp
from tearline.oversight.completeness import differences
from tearline.oversight.drafts import Draft, draft
from tearline.oversight.terms import Term, term_for
from tearline.store import audit_checkpoints, audit_log
from tearline.store import oversight as ov


def marking_of(agency_id: str) -> Marking:
    """A report's marking: TLP:AMBER, releasable to its own agency, caveat OVERSIGHT (it
    goes to the oversight bodies through the agency, never to a partner)."""
    return Marking.build("AMBER", [f"agency:{agency_id}"], caveats=["OVERSIGHT"])


def _drafts(conn: Connection, agency_id: str, first: int, size: int,
            terms: dict[str, Term], node_agency: str | None) -> list[Draft]:
    jurisdiction = ov.agency(conn, agency_id)
    term = term_for(terms, jurisdiction)
    written = ov.texts(conn, agency_id)
    return [draft(x, term, jurisdiction, ov.draft_texts(conn, agency_id, x, written))
            for x in ov.exchanges_in(conn, agency_id, first, size, node_agency)]


def drafts(conn: Connection, agency_id: str, terms: dict[str, Term],
           node_agency: str | None = None) -> list[Draft]:
    """The agency's drafts not yet in a signed report, oldest first (``node_agency``: the
    agency of this node, whose exchanges the node's own are)."""
    return _drafts(conn, agency_id, ov.covered_to(conn, agency_id), audit_log.size(conn),
                   terms, node_agency)


def find(conn: Connection, agency_id: str, exchange_id: str, terms: dict[str, Term],
         node_agency: str | None = None) -> Draft:
    for d in drafts(conn, agency_id, terms, node_agency):
        if d.exchange.id == exchange_id:
            return d
    raise NotFound(tr(
        "no unsigned draft {exchange_id!r} of {agency_id}",
        exchange_id=exchange_id, agency_id=agency_id))


@dataclass(frozen=True, slots=True)
class DueItem:
    draft: Draft
    status: str


def due(conn: Connection, agency_id: str, today: date, terms: dict[str, Term],
        everything: bool = False, asker: str | None = None,
        node_agency: str | None = None) -> list[DueItem]:
    """Drafts due today or overdue (``everything``: pending ones too). The drafts are read
    from the log: ``asker`` (an officer, or the node's operator) is logged as asking."""
    out = [DueItem(d, d.status(today)) for d in drafts(conn, agency_id, terms, node_agency)]
    shown = [i for i in out if everything or i.status != "pending"]
    if asker is not None:
        audit_log.append(conn, [AuditQueried(at=now(), actor=asker, subject=asker,
                                             entity_id=None, result_count=len(shown))])
    return shown


def sign(conn: Connection, agency_id: str, officer: str, key: NodeKey, language: str,
         terms: dict[str, Term], node_agency: str | None = None
         ) -> tuple[dict[str, Any], str]:
    """Sign off every unsigned draft of the agency: a checkpoint at the log's current
    size, the report over the range since the last one; returns it and its digest."""
    first, size = ov.covered_to(conn, agency_id), audit_log.size(conn)
    note = audit_checkpoints.sign(conn, key.name, key.private_key, size)
    _, root = audit_log.root(conn, size)
    coverage = rp.Coverage(first, size, root.hex(), note)
    listed = _drafts(conn, agency_id, first, size, terms, node_agency)
    document = rp.build(agency_id, ov.agency(conn, agency_id), language,
                        marking_of(agency_id).to_dict(), coverage, officer, now(), listed)
    digest = rp.digest(document)
    ov.keep_report(conn, document, digest)
    return document, digest


def verify(conn: Connection, document: object, name: str, public_key: Ed25519PublicKey,
           terms: dict[str, Term], node_agency: str | None = None) -> dict[str, Any]:
    """Check a report against the log: its checkpoint is this node's and matches the log,
    its digest is the one logged at signing, and it lists every exchange of its range as
    the log has it. Raises :class:`IntegrityError` naming every difference."""
    doc = rp.parse(document)
    first, size = doc["log"]["first"], doc["log"]["size"]
    problems: list[str] = []
    try:
        checkpoint = verify_note(doc["log"]["checkpoint"], name, public_key)
    except ProofError as exc:
        raise IntegrityError(tr(
            "the report's checkpoint is not this node's: {message}", message=exc.message)
                             ) from exc
    if checkpoint.size != size:
        problems.append(f"the checkpoint is of size {checkpoint.size}, the range ends at {size}")
    elif size > audit_log.size(conn) or audit_log.root(conn, size)[1] != checkpoint.root:
        problems.append(f"the log at size {size} does not have the checkpoint's root")
    logged = ov.signed_digest(conn, str(doc.get("id")), size)
    if logged is None:
        problems.append(f"the log has no signing of report {doc.get('id')!r}")
    elif logged != rp.digest(doc):
        problems.append("the report differs from the one signed (its digest is not the "
                        "logged one)")
    if size <= audit_log.size(conn):  # the range exists: whatever else failed, compare
        expected = _drafts(conn, str(doc["agency"]), first, size, terms, node_agency)
        problems += differences(doc["exchanges"], expected)
    if problems:
        raise IntegrityError("oversight report does not verify: " + "; ".join(problems))
    return {"report": doc["id"], "agency": doc["agency"], "first": first, "size": size,
            "exchanges": len(doc["exchanges"]), "complete": True}
