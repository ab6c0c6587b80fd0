"""Gathering what ``policy explain`` needs, and auditing that it was asked.

The decision is the pure :func:`tearline.policy.explain.explain`; this module reads the
whole stored record (ignoring the policy: explaining is an administrator's view), the
vetting and release facts and, on demand, other records the decision consults
(relationship ends, references), and appends a ``record.read`` of every statement in
the same transaction, naming who asked. The CLI and the API both call
:func:`explain_record`; neither holds any of this logic.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection

from tearline.audit.events import RecordRead, now
from tearline.errors import NotFound, tr
from tearline.model.record import Record
from tearline.policy.decide import PolicyFacts
from tearline.policy.explain import Explanation, explain
from tearline.policy.subject import Subject, VettingFacts
from tearline.store import audit_log, parties, releases


def explain_record(
    conn: Connection,
    subject: Subject,
    entity_id: str,
    at: datetime,
    asked_by: str = "system",
    path: Literal["cli", "api"] = "cli",
) -> Explanation:
    """How the policy treats every statement of ``entity_id`` for ``subject`` at ``at``.

    ``asked_by`` is the audit actor who receives the whole record (``system`` for the
    node's own command line, the administrator's subject for the API).
    """
    rec = releases.stored_record(conn, entity_id)
    if rec is None:
        raise NotFound(tr("no record {id!r}", id=entity_id))
    audit_log.append(conn, [
        RecordRead(at=now(), actor=asked_by, subject=asked_by, entity_id=rec.id,
                   version=rec.version, statement_ids=tuple(s.id for s in rec.statements),
                   path=path),
    ])
    return explain(rec, subject, at, _facts(conn, rec))


def _facts(conn: Connection, rec: Record) -> PolicyFacts:
    """What the policy consults about ``rec``: vettings, releases, other stored records."""
    cache: dict[str, Record | None] = {rec.id: rec}

    def lookup(other: str) -> Record | None:
        if other not in cache:
            cache[other] = releases.stored_record(conn, other)
        return cache[other]

    return PolicyFacts(VettingFacts.of(parties.vettings(conn)), releases.release_facts(conn),
                       lookup)


def explain_audience(conn: Connection, entity_id: str, statement_ids: Collection[str],
                     at: datetime) -> list[Explanation]:
    """For every unit of the node, how the policy treats the statements ``statement_ids``
    of ``entity_id`` (of them only, in the stored record's order) at ``at``.

    The web's "who may see this": the caller passes the statements its viewer was shown
    and originated (the viewer's read is its audit entry; nothing else is shown here, so
    nothing else is logged). The record-level decision of each explanation may rest on
    statements the viewer was not shown: callers show the statements' decisions only.
    """
    rec = releases.stored_record(conn, entity_id)
    if rec is None:
        raise NotFound(tr("no record {id!r}", id=entity_id))
    wanted = frozenset(statement_ids)
    facts = _facts(conn, rec)
    out = []
    for unit in sorted(parties.units(conn), key=lambda u: (u.agency, u.id)):
        found = explain(rec, Subject(unit.id, unit.agency), at, facts)
        out.append(replace(found, statements=tuple(
            s for s in found.statements if s.statement_id in wanted)))
    return out
