"""Writing records: markings once, records, statements and search tokens, in bulk.

Writes are idempotent: a statement's id is derived from its content (entity, property,
value, originating agency, authoring unit) by the node's keyer, which every record
meant for this store is built with (``Store.keyer``; a peer's records are read with
it too), so re-ingesting the same input adds nothing and only moves ``last_seen``
forward. A record whose statements grew gets a new version.
All of it happens inside the caller's transaction: a file is stored whole or not at all.

The writer trusts its caller to have decided *which* records a party may write
(``store/edits.py``, ``ingest/placement.py``), and still refuses the writes no caller
may make (``store/write_guard.py``). The rows are made by ``store/write_rows.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from tearline.errors import ValidationError, tr
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.store import tables as t
from tearline.store.bulk import executemany, executemany_rows
from tearline.store.write_guard import refused_writes, stored_schemas
from tearline.store.write_rows import RowMaker

#: Ids per existence query: under SQLite's 32,766 and psycopg's 65,535 parameters.
CHUNK = 5_000
#: Statements per executemany: per-call costs vanish, and the rows of a big file are
#: made and dropped batch by batch instead of all at once.
BATCH = 50_000
#: SQLite page cache (KiB) a large write may use per statement it writes, and at most.
#: A statement with its index entries and search tokens fills about 1 KiB of pages;
#: twice that keeps every page the write touches — the new rows and the index pages
#: they land on — in memory until the commit writes them once. With the connection's
#: usual 64 MiB, a million statements outgrow the cache: index pages are written out
#: to the WAL and read back for every insert that lands on them, which at that size
#: doubles SQLite's work. The cache only grows as pages are touched, and is set back
#: when the write is done.
BULK_CACHE_KIB_PER_STATEMENT = 2
BULK_CACHE_KIB_MAX = 4 << 20  # 4 GiB


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


def bulk_cache_kib(statements: int) -> int:
    """The SQLite page cache, in KiB, for a write of ``statements`` statements."""
    return min(BULK_CACHE_KIB_MAX, statements * BULK_CACHE_KIB_PER_STATEMENT)


@contextmanager
def sqlite_bulk_cache(execute: Callable[[str], Any], statements: int) -> Iterator[None]:
    """Raise a SQLite connection's page cache for one large write, then set it back.

    ``execute`` runs SQL on the writing connection and returns a result with
    ``fetchone`` (``Connection.exec_driver_sql``, or a DBAPI cursor's ``execute``).
    ``PRAGMA cache_size`` is not transactional and belongs to the connection, so the
    old size is restored however the write ends; a negative size is in KiB.
    """
    (old,) = execute("PRAGMA cache_size").fetchone()
    wanted = bulk_cache_kib(statements)
    if old >= 0 or -old >= wanted:  # a size in pages, or large enough already
        yield
        return
    execute(f"PRAGMA cache_size=-{wanted}")
    try:
        yield
    finally:
        execute(f"PRAGMA cache_size={int(old)}")


def _existing(conn: Connection, column: Any, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        found.update(conn.execute(select(column).where(column.in_(chunk))).scalars())
    return found




def _batches(records: Sequence[Record], size: int) -> Iterator[Sequence[Record]]:
    """Consecutive slices of ``records`` holding about ``size`` statements each."""
    start = count = 0
    for end, rec in enumerate(records, start=1):
        count += len(rec.statements)
        if count >= size:
            yield records[start:end]
            start, count = end, 0
    if start < len(records):
        yield records[start:]


def write_records(
    conn: Connection, records: Sequence[Record], batch: int = BATCH
) -> WriteSummary:
    """Store ``records`` inside the caller's transaction; idempotent.

    Statements and tokens go in batches of about ``batch`` statements, all in the
    caller's transaction: a file is still stored whole or not at all, but the rows of
    a million statements are never all held in memory at once. On SQLite a write of
    more than one batch runs with a page cache sized to it (:func:`sqlite_bulk_cache`).
    """
    statements = sum(len(r.statements) for r in records)
    if conn.dialect.name != "sqlite" or statements <= batch:
        return _write_records(conn, records, batch)
    with sqlite_bulk_cache(conn.exec_driver_sql, statements):
        return _write_records(conn, records, batch)


#: The key of the PostgreSQL lock that orders writes of records (any constant of the node).
_WRITES_LOCK = 0x7465_6172


def _write_time(conn: Connection) -> datetime:
    """The time of this write's new statements, read once no other write of records can
    commit before this one: SQLite holds its write lock since the markings were written;
    PostgreSQL takes a transaction lock that orders the writes of records. A peer's feed
    walks these times (``store/feed.py``): read before the lock, a long write could commit
    with a time older than a cursor taken meanwhile."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_WRITES_LOCK})")
    return datetime.now(UTC)


def _write_records(conn: Connection, records: Sequence[Record], batch: int) -> WriteSummary:
    ids = [r.id for r in records]
    schemas = stored_schemas(conn, ids) if records else {}
    refused = refused_writes(records, schemas)
    if refused:
        raise ValidationError(tr("records refused; nothing was stored"), refused)
    existing = set(schemas)
    store_markings(
        conn,
        [r.marking for r in records]
        + [s.marking for r in records for s in r.statements if s.marking is not None],
    )
    known_statements: set[str] = set()
    if existing:
        ids_of_old = [s.id for r in records if r.id in existing for s in r.statements]
        known_statements = _existing(conn, t.statements.c.id, ids_of_old)
    new_records = [r for r in records if r.id not in existing]
    maker = RowMaker(_write_time(conn))
    executemany_rows(conn, t.records, [maker.record(r) for r in new_records], ["id"])
    seen = 0
    for part in _batches(records, batch):
        rows, token_rows = maker.statements(part)
        seen += len(rows)
        executemany_rows(conn, t.statements, rows, ["id"], greatest=["last_seen"])
        executemany_rows(conn, t.tokens, token_rows, ["token", "entity_id", "statement_id"])
        del rows, token_rows

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
        statements_seen=seen,
        changes=tuple(changes),
    )
