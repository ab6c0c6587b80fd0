"""Writing records: markings once, records, statements and search tokens, in bulk.

Writes are idempotent: a statement is keyed by its content (entity, property, value,
originating agency, authoring unit), so re-ingesting the same input adds nothing and
only moves ``last_seen`` forward. A record whose statements grew gets a new version.
All of it happens inside the caller's transaction: a file is stored whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.schema import get_model
from tearline.store import tables as t
from tearline.store.bulk import executemany
from tearline.store.tokens import tokens_for

CHUNK = 500


@dataclass(frozen=True, slots=True)
class WriteSummary:
    records_new: int
    records_changed: int
    statements_new: int
    statements_seen: int
    #: (entity id, version, ids of statements added) for each record that changed
    changes: tuple[tuple[str, int, tuple[str, ...]], ...] = ()


def marking_rows(markings: Iterable[Marking]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    selectors: list[dict[str, Any]] = []
    # Equal markings have equal ids: deduplicate by value, hash each distinct one once.
    for mk in set(markings):
        mk_id = mk.id
        rows.append(
            {
                "id": mk_id,
                "tlp": mk.tlp.value,
                "orcon": mk.orcon,
                "legal_basis": mk.legal_basis,
                "expires_at": None if mk.expires_at is None else t.ts(mk.expires_at),
                "body": mk.canonical(),
            }
        )
        selectors.extend(
            {"marking_id": mk_id, "kind": s.kind.value, "value": s.value} for s in mk.releasable_to
        )
    return rows, selectors


def store_markings(conn: Connection, markings: Iterable[Marking]) -> None:
    rows, selectors = marking_rows(markings)
    executemany(conn, t.markings, rows, ["id"])
    executemany(conn, t.marking_selectors, selectors, ["marking_id", "kind", "value"])


def _existing(conn: Connection, column: Any, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        found.update(conn.execute(select(column).where(column.in_(chunk))).scalars())
    return found


def statement_rows(records: Sequence[Record]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the statements and tokens tables (no database access)."""
    model = get_model()
    rows: list[dict[str, Any]] = []
    token_rows: list[dict[str, Any]] = []
    # A batch shares a few timestamps and repeats many values: format and tokenize once.
    stamps: dict[datetime, str] = {}
    tokens: dict[tuple[str, str], set[str]] = {}
    marking_ids: dict[Marking, str] = {}
    for rec in records:
        schema = model[rec.schema]
        for st in rec.statements:
            seen_first = stamps.get(st.first_seen)
            if seen_first is None:
                seen_first = stamps[st.first_seen] = t.ts(st.first_seen)
            rows.append(
                {
                    "id": st.id,
                    "entity_id": st.entity_id,
                    "schema": st.schema,
                    "prop": st.prop,
                    "value": st.value,
                    "original_value": st.original_value,
                    "origin": st.origin,
                    "author": st.author,
                    "reliability": st.reliability.value,
                    "credibility": st.credibility.value,
                    "first_seen": seen_first,
                    "last_seen": seen_first
                    if st.last_seen == st.first_seen
                    else t.ts(st.last_seen),
                    "marking_id": None if st.marking is None else _id_of(st.marking, marking_ids),
                    "retracted_at": None,
                }
            )
            key = (schema.properties[st.prop].type.name, st.value)
            found = tokens.get(key)
            if found is None:
                found = tokens[key] = tokens_for(*key)
            for token in found:
                token_rows.append(
                    {"token": token, "statement_id": st.id, "entity_id": st.entity_id}
                )
    return rows, token_rows


def write_records(conn: Connection, records: Sequence[Record]) -> WriteSummary:
    """Store ``records`` inside the caller's transaction; idempotent."""
    store_markings(
        conn,
        [r.marking for r in records]
        + [s.marking for r in records for s in r.statements if s.marking is not None],
    )
    ids = [r.id for r in records]
    existing = _existing(conn, t.records.c.id, ids) if records else set()
    rows, token_rows = statement_rows(records)
    known_statements: set[str] = set()
    if existing:
        ids_of_old = [row["id"] for row in rows if row["entity_id"] in existing]
        known_statements = _existing(conn, t.statements.c.id, ids_of_old)
    new_records = [r for r in records if r.id not in existing]
    marking_ids: dict[Marking, str] = {}
    executemany(conn, t.records, [_record_row(r, _id_of(r.marking, marking_ids))
                                  for r in new_records], ["id"])
    executemany(conn, t.statements, rows, ["id"], greatest=["last_seen"])
    executemany(conn, t.tokens, token_rows, ["token", "statement_id"])

    changes: list[tuple[str, int, tuple[str, ...]]] = [
        (r.id, r.version, tuple(s.id for s in r.statements)) for r in new_records
    ]
    changed = 0
    for rec in records:
        if rec.id not in existing:
            continue
        added = tuple(s.id for s in rec.statements if s.id not in known_statements)
        if not added:
            continue
        changed += 1
        version = conn.execute(
            select(t.records.c.version).where(t.records.c.id == rec.id)
        ).scalar_one()
        stamp = t.ts(rec.modified_at) if rec.modified_at else None
        upd = t.records.update().where(t.records.c.id == rec.id)
        conn.execute(upd.values(version=version + 1, **({"modified_at": stamp} if stamp else {})))
        changes.append((rec.id, version + 1, added))
    new_statements = sum(len(r.statements) for r in new_records) + sum(
        len(c[2]) for c in changes[len(new_records) :]
    )
    return WriteSummary(
        records_new=len(new_records),
        records_changed=changed,
        statements_new=new_statements,
        statements_seen=len(rows),
        changes=tuple(changes),
    )


def _id_of(marking: Marking, cache: dict[Marking, str]) -> str:
    found = cache.get(marking)
    if found is None:
        found = cache[marking] = marking.id
    return found


def _record_row(rec: Record, marking_id: str | None = None) -> dict[str, Any]:
    created = rec.created_at
    assert created is not None, "records are built with a creation time"
    return {
        "id": rec.id,
        "schema": rec.schema,
        "originator": rec.originator,
        "author": rec.author,
        "marking_id": marking_id or rec.marking.id,
        "synthetic": rec.synthetic,
        "version": rec.version,
        "created_at": (stamp := t.ts(created)),
        "modified_at": stamp if rec.modified_at in (None, created) else t.ts(rec.modified_at),
        "retracted_at": None,
    }
