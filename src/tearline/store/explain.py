"""Gathering what ``policy explain`` needs, and auditing that it was asked.

The decision is the pure :func:`tearline.policy.explain.explain`; this module reads the
whole stored record (ignoring the policy: explaining is an administrator's view), the
vetting and release facts and, on demand, other records the decision consults
(relationship ends, references), and appends a ``record.read`` of every statement in
the same transaction, naming who asked. The CLI and the API both call
:func:`explain_record`; neither holds any of this logic.
"""

from __future__ import annotations

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
    cache: dict[str, Record | None] = {entity_id: rec}

    def lookup(other: str) -> Record | None:
        if other not in cache:
            cache[other] = releases.stored_record(conn, other)
        return cache[other]

    facts = PolicyFacts(VettingFacts.of(parties.vettings(conn)), releases.release_facts(conn),
                        lookup)
    return explain(rec, subject, at, facts)
