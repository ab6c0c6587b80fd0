"""Writing records: markings once, records, statements and search tokens, in bulk.

Writes are idempotent: a statement's id is derived from its content (entity, property,
value, originating agency, authoring unit) by the node's keyer, which every record
meant for this store is built with (``Store.keyer``; a peer's records are read with
it too), so re-ingesting the same input adds nothing and only moves ``last_seen``
forward. A record whose statements grew gets a new version.
All of it happens inside the caller's transaction: a file is stored whole or not at all.

The writer trusts its caller to have decided *which* records a party may write
(``store/edits.py``, ``ingest/placement.py``), and still refuses the writes no caller
may make (``store/write_guard.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from tearline.errors import ValidationError
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.schema import get_model
from tearline.store import tables as t
from tearline.store.bulk import columns, executemany, executemany_rows
from tearline.store.tokens import NAME_TYPES, WHOLE_TYPES, tokens_for
from tearline.store.write_guard import refused_writes, stored_schemas

#: Ids per existence query: under SQLite's 32,766 and psycopg's 65,535 parameters.
CHUNK = 5_000
#: Statements per executemany: per-call costs vanish, and the rows of a big file are
#: made and dropped batch by batch instead of all at once.
BATCH = 50_000
#: Property types with search tokens (see :mod:`tearline.store.tokens`).
SEARCHABLE_TYPES = NAME_TYPES | WHOLE_TYPES
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


class RowMaker:
    """Rows (tuples in table column order) for records, statements and search tokens.

    One maker serves a whole write: a file shares a few timestamps and markings and
    repeats many values, so each is formatted, hashed or tokenized once.
    """

    def __init__(self, added_at: datetime | None = None) -> None:
        self.stamps: dict[datetime, str] = {}
        #: when this write runs: each new statement's ``added_at`` (``store/feed.py``)
        self.added = t.ts(added_at if added_at is not None else datetime.now(UTC))
        self.marking_ids: dict[Marking, str] = {}
        self.tokens: dict[tuple[str, str], tuple[str, ...]] = {}
        self.types: dict[str, dict[str, str]] = {}  # schema → property → type name

    def stamp(self, moment: datetime) -> str:
        found = self.stamps.get(moment)
        if found is None:
            found = self.stamps[moment] = t.ts(moment)
        return found

    def marking_id(self, marking: Marking) -> str:
        found = self.marking_ids.get(marking)
        if found is None:
            found = self.marking_ids[marking] = marking.id
        return found

    def record(self, rec: Record) -> tuple[Any, ...]:
        created = rec.created_at
        assert created is not None, "records are built with a creation time"
        stamp = self.stamp(created)
        modified = rec.modified_at
        return (
            rec.id,
            rec.schema,
            rec.originator,
            rec.author,
            self.marking_id(rec.marking),
            rec.synthetic,
            rec.version,
            stamp,
            stamp if modified is None or modified == created else self.stamp(modified),
            None,
        )

    def statements(
        self, records: Iterable[Record]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, str]]]:
        """Rows for the statements and tokens tables (no database access)."""
        model = get_model()
        rows: list[tuple[Any, ...]] = []
        token_rows: list[tuple[str, str, str]] = []
        append, append_token = rows.append, token_rows.append
        tokens, types = self.tokens, self.types
        # Statements of a batch mostly share one provenance (the same datetime and enum
        # objects): their stored forms are worked out again only when one changes.
        seen_first = seen_last = reliability = credibility = None
        first = last = reliability_value = credibility_value = ""
        for rec in records:
            prop_types = types.get(rec.schema)
            if prop_types is None:
                prop_types = types[rec.schema] = {
                    name: prop.type.name for name, prop in model[rec.schema].properties.items()
                }
            for st in rec.statements:
                if st.first_seen is not seen_first or st.last_seen is not seen_last:
                    seen_first, seen_last = st.first_seen, st.last_seen
                    first = self.stamp(seen_first)
                    last = first if seen_last == seen_first else self.stamp(seen_last)
                if st.reliability is not reliability or st.credibility is not credibility:
                    reliability, credibility = st.reliability, st.credibility
                    reliability_value, credibility_value = reliability.value, credibility.value
                marking = st.marking
                append(
                    (
                        st.id,
                        st.entity_id,
                        st.schema,
                        st.prop,
                        st.value,
                        st.original_value,
                        st.origin,
                        st.author,
                        reliability_value,
                        credibility_value,
                        first,
                        last,
                        None if marking is None else self.marking_id(marking),
                        None,
                        self.added,
                    )
                )
                type_name = prop_types[st.prop]
                if type_name not in SEARCHABLE_TYPES:
                    continue
                key = (type_name, st.value)
                found = tokens.get(key)
                if found is None:
                    found = tokens[key] = tuple(sorted(tokens_for(type_name, st.value)))
                for token in found:
                    append_token((token, st.id, st.entity_id))
        return rows, token_rows


def statement_rows(records: Sequence[Record]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the statements and tokens tables as dicts by column (no database access)."""
    rows, token_rows = RowMaker().statements(records)
    names, token_names = columns(t.statements), columns(t.tokens)
    return (
        [dict(zip(names, row, strict=True)) for row in rows],
        [dict(zip(token_names, row, strict=True)) for row in token_rows],
    )


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
        raise ValidationError("records refused; nothing was stored", refused)
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
        executemany_rows(conn, t.tokens, token_rows, ["token", "statement_id"])
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
