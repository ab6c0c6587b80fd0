"""The events the store writes into the audit log, built from what an action did.

Each function appends inside the caller's transaction (see :mod:`audit_log`), so
the action and its entries commit together or not at all. A read is logged as one
``record.read`` event per record version shown, with the statement ids that
survived the tear line: "who saw this record" is then one indexed lookup, and a
search returning 100 records is one ``search.query`` plus 100 ``record.read``
entries, appended as one batch. The events of releases, recalls and consents are
``store/release_events.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal, get_args

from sqlalchemy import Connection

from tearline.audit.commitments import commit_in_entry
from tearline.audit.envelope import Event
from tearline.audit.events import (
    AggregateRead,
    AgreementRecorded,
    KeyChanged,
    PartyChanged,
    RecordCreated,
    RecordRead,
    RecordUpdated,
    SearchQuery,
    VettingChanged,
    now,
)
from tearline.model.parties import Agreement
from tearline.model.record import Record
from tearline.policy.subject import Subject
from tearline.store import audit_log

_DOTTED = re.compile(r"[a-z][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*")
_ANALYST = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}@[a-z][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*")


def actor_of(name: str | None) -> str:
    """The audit subject for a unit id or ``name@unit``; ``system`` when there is none."""
    if name and _ANALYST.fullmatch(name):
        return f"analyst:{name}"
    if name and _DOTTED.fullmatch(name):
        return f"unit:{name}"
    return "system"


ReadPath = Literal["show", "search", "list", "export", "federation", "api", "report", "cli",
                   "web"]
_READ_PATHS = frozenset(get_args(ReadPath))


def read_events(
    subject: Subject, versions: Iterable[tuple[str, int, Sequence[str]]], path: ReadPath
) -> list[Event]:
    """``subject`` was shown these (record id, version, statement ids), by ``path``."""
    who, at = str(subject), now()
    out: list[Event] = []
    for entity_id, version, statement_ids in versions:
        if not out:  # the first constructed whole; the rest differ in the record only
            out.append(RecordRead(at=at, actor=who, subject=who, entity_id=entity_id,
                                  version=version, statement_ids=tuple(statement_ids),
                                  path=path))
        else:
            out.append(out[0].derive(entity_id=entity_id, version=version,
                                     statement_ids=tuple(statement_ids)))
    return out


def record_read_events(subject: Subject, records: Sequence[Record], path: str) -> list[Event]:
    """``subject`` was shown these tear-line views of records."""
    if path not in _READ_PATHS:
        raise ValueError(f"unknown read path {path!r}")
    return read_events(
        subject,
        ((r.id, r.version, [s.id for s in r.statements]) for r in records),
        path,  # type: ignore[arg-type]  # checked against the literal's values above
    )


def search_event(salt: bytes, subject: Subject, text: str, results: int) -> Event:
    """A search, its text only as a commitment under the entry's own key (equal texts
    searched twice give unrelated commitments; see :mod:`tearline.audit.commitments`)."""
    at, who = now(), str(subject)
    return SearchQuery(at=at, actor=who, result_count=results,
                       query_commitment=commit_in_entry(salt, "search.query", at, who, text))


def aggregate_event(
    subject: Subject, path: Literal["stats", "report", "api", "web", "network"], records: int
) -> Event:
    """``subject`` was shown figures computed over ``records`` records."""
    who = str(subject)
    return AggregateRead(at=now(), actor=who, subject=who, path=path, record_count=records)


def write_events(
    records: Sequence[Record],
    changes: Sequence[tuple[str, int, tuple[str, ...]]],
    created: int,
    by: str | None = None,
) -> list[Event]:
    """Record versions stored by a write: the first ``created`` changes are new records.

    ``by`` is who wrote (an audit subject: ``analyst:x@U``, ``unit:U``, ``node:N``); the
    entries name it, not the record's author — an amendment is the amender's act, and an
    analyst's write is the analyst's. Without it (a write no subject asked for, e.g. the
    demo's seeding) each entry names the authoring unit of its record.
    """
    authors = {r.id: r.author for r in records}
    at = now()
    return [
        (RecordCreated if position < created else RecordUpdated)(
            at=at,
            actor=by if by is not None else actor_of(authors.get(entity_id)),
            entity_id=entity_id,
            version=version,
            statement_ids=statement_ids,
        )
        for position, (entity_id, version, statement_ids) in enumerate(changes)
    ]


def writes(
    conn: Connection,
    records: Sequence[Record],
    changes: Sequence[tuple[str, int, tuple[str, ...]]],
    created: int,
    by: str | None = None,
) -> None:
    """Append :func:`write_events` inside the caller's transaction."""
    audit_log.append(conn, write_events(records, changes, created, by))


def party(
    conn: Connection, kind: Literal["agency", "unit", "analyst"], party_id: str, version: int,
    by: str | None = None,
) -> None:
    """A party was created (version 1) or changed."""
    action: Literal["created", "updated"] = "created" if version == 1 else "updated"
    audit_log.append(
        conn,
        [
            PartyChanged(
                at=now(), actor=actor_of(by), party=f"{kind}:{party_id}", action=action,
                version=version,
            )
        ],
    )


def vetting(
    conn: Connection,
    vetter: str,
    unit: str,
    action: Literal["granted", "revoked"],
    valid: tuple[datetime, datetime] | None,
    by: str | None,
) -> None:
    dates = (None, None) if valid is None else tuple(d.date().isoformat() for d in valid)
    audit_log.append(
        conn,
        [
            VettingChanged(
                at=now(), actor=actor_of(by), vetter=vetter, unit=unit, action=action,
                valid_from=dates[0], valid_until=dates[1],
            )
        ],
    )


def node_key_created(conn: Connection, key_id: str,
                     action: Literal["created", "rotated"] = "created") -> None:
    """The node's signing key was created, or renamed (a new key id: ``rotated``); its
    id only, never key material."""
    audit_log.append(
        conn,
        [KeyChanged(at=now(), actor="system", owner="system", key_id=key_id,
                    purpose="node-signing", action=action)],
    )


def token(
    conn: Connection, owner: str, prefix: str, action: Literal["created", "revoked"],
    by: str | None,
) -> None:
    """An API token was created or revoked; its prefix is its id (never the secret)."""
    audit_log.append(
        conn,
        [KeyChanged(at=now(), actor=actor_of(by), owner=actor_of(owner), key_id=prefix,
                    purpose="api-token", action=action)],
    )


def admin_read(conn: Connection, records: Sequence[Record]) -> None:
    """An administrator's view of whole stored records (no tear line), e.g. policy explain."""
    at = now()
    audit_log.append(
        conn,
        [
            RecordRead(at=at, actor="system", subject="system", entity_id=r.id,
                       version=r.version, statement_ids=tuple(s.id for s in r.statements),
                       path="cli")
            for r in records
        ],
    )


def agreement(conn: Connection, recorded: Agreement, version: int) -> None:
    audit_log.append(
        conn,
        [
            AgreementRecorded(
                at=now(),
                actor="system",
                agreement_id=recorded.id,
                agreement_kind=recorded.kind,  # type: ignore[arg-type]  # checked by Agreement
                parties=tuple(sorted(recorded.parties)),
                version=version,
            )
        ],
    )
