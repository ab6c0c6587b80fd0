"""The audit log in the database: appends inside the caller's transaction, proofs from nodes.

An append writes the entry rows and the perfect nodes it completes in the same
transaction as the action it records, so that no action commits without its entry
and no entry without its action. Appends serialize on the ``audit_head`` row: the
first statement of every append is ``UPDATE audit_head SET size = size + k
RETURNING size``, which takes PostgreSQL's row lock (held to commit) and SQLite's
write lock, so two transactions never compute nodes from the same old size.

A batch of k events costs one head update, one read of the O(log n) frontier nodes
(the right edge of the old tree) and two ``executemany`` inserts; the interior
nodes are computed in memory. Proofs read every node they need in one query: the
proof is first run against a recorder (which nodes does it touch — that depends on
the sizes only), then against the fetched nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from tearline.audit.envelope import Event, event_from_canonical
from tearline.audit.merkle import (
    HASH_SIZE,
    NodeReader,
    append_leaves,
    leaf_hash,
    leaf_hash_list,
    right_edge,
)
from tearline.audit.merkle import consistency_proof as _consistency_proof
from tearline.audit.merkle import inclusion_proof as _inclusion_proof
from tearline.audit.merkle import root as _root
from tearline.errors import IntegrityError, NotFound, ValidationError, tr
from tearline.store import audit_tables as at
from tearline.store.engine import driver_cursor, marker, marker_for

T = TypeVar("T")
_ZERO = bytes(HASH_SIZE)
#: At most this many (level, index) pairs per node lookup query.
_LOOKUP_CHUNK = 200


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored entry: its index, canonical bytes, leaf hash (of the bytes) and lookup columns."""

    index: int
    body: bytes
    leaf: bytes
    kind: str
    at: str
    actor: str
    entity_id: str | None

    def event(self) -> Event:
        return event_from_canonical(self.body)


def owner(level: int, index: int) -> int:
    """The entry whose append completed perfect node (level, index)."""
    return ((index + 1) << level) - 1


def size(conn: Connection) -> int:
    """The number of entries in the log (the head row)."""
    with driver_cursor(conn) as cursor:
        cursor.execute("SELECT size FROM audit_head WHERE id = 1")
        return int(cursor.fetchone()[0])


def salt(conn: Connection) -> bytes:
    """The node's secret salt for commitments (never written into an entry)."""
    return bytes(
        conn.execute(select(at.audit_head.c.salt).where(at.audit_head.c.id == 1)).scalar_one()
    )


class _Nodes(dict[tuple[int, int], bytes]):
    """Perfect nodes held in memory, as a :class:`NodeReader`."""

    def perfect(self, level: int, index: int) -> bytes:
        try:
            return self[level, index]
        except KeyError:
            raise LookupError(f"no perfect node ({level}, {index})") from None


class _Recorder:
    """A :class:`NodeReader` that notes which nodes a computation asks for."""

    def __init__(self) -> None:
        self.wanted: set[tuple[int, int]] = set()

    def perfect(self, level: int, index: int) -> bytes:
        self.wanted.add((level, index))
        return _ZERO


def fetch_nodes(conn: Connection, keys: Iterable[tuple[int, int]]) -> _Nodes:
    """The stored nodes among ``keys`` (absent ones are simply missing from the result)."""
    wanted = sorted(set(keys))
    found = _Nodes()
    mark = marker(conn)
    with driver_cursor(conn) as cursor:
        for i in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[i : i + _LOOKUP_CHUNK]
            # OR of point lookups: both SQLite and PostgreSQL answer it from the primary
            # key (SQLite scans the table for a row-value IN over VALUES).
            where = " OR ".join([f"(level = {mark} AND idx = {mark})"] * len(chunk))
            cursor.execute(
                f"SELECT level, idx, hash FROM audit_nodes WHERE {where}",
                tuple(x for key in chunk for x in key),
            )
            for level, index, value in cursor.fetchall():
                found[int(level), int(index)] = bytes(value)
    return found


def with_nodes(conn: Connection, compute: Callable[[NodeReader], T]) -> T:
    """Run ``compute`` over the stored nodes, reading all it needs in one query."""
    recorder = _Recorder()
    compute(recorder)
    nodes = fetch_nodes(conn, recorder.wanted)
    missing = recorder.wanted - nodes.keys()
    if missing:
        first = min(owner(level, index) for level, index in missing)
        raise IntegrityError(tr(
            "the log lost {missing_count} stored node(s)", missing_count=len(missing)), index=first)
    return compute(nodes)


def append(conn: Connection, events: Sequence[Event]) -> range:
    """Append ``events``, in order, inside the caller's transaction; returns their indexes."""
    bodies = [event.to_canonical() for event in events]
    rows = [(e.kind, e.at, e.actor, getattr(e, "entity_id", None)) for e in events]
    return append_canonical(conn, bodies, rows)


def rows_of(
    bodies: Sequence[bytes],
    columns: Sequence[tuple[str, str, str, str | None]],
    start: int,
    nodes: dict[tuple[int, int], bytes],
    derived: bool,
) -> tuple[list[tuple[Any, ...]], list[tuple[int, int, bytes]]]:
    """The entry and node rows that appending ``bodies`` at ``start`` writes (pure).

    ``nodes`` holds the right edge of the tree of size ``start`` (level, index) → hash
    and is left holding the new right edge. ``derived``: the entry row is (index,
    bytes) alone (SQLite, migration 0010); otherwise the leaf hash and lookup columns
    follow.
    """
    if len(columns) != len(bodies):
        raise ValueError(f"{len(bodies)} bodies but {len(columns)} rows of columns")
    leaves = leaf_hash_list(bodies)
    positions = range(start, start + len(bodies))
    entry_rows: list[tuple[Any, ...]] = (
        list(zip(positions, bodies, strict=True)) if derived else
        [(position, body, leaf, kind, when, actor, entity)
         for position, body, leaf, (kind, when, actor, entity)
         in zip(positions, bodies, leaves, columns, strict=True)])
    return entry_rows, append_leaves(start, leaves, nodes)


def append_canonical(
    conn: Connection, bodies: Sequence[bytes], columns: Sequence[tuple[str, str, str, str | None]]
) -> range:
    """Append entries given as canonical bytes with their (kind, at, actor, entity) columns.

    The caller vouches that each body is the canonical form of an event with those
    columns (:func:`append` builds both from events). On PostgreSQL the columns and
    the leaf hash are stored beside the body and ``verify`` re-checks them; on SQLite
    the row is the body alone (migration 0010: the lookup columns are computed from
    it, the leaf hash is the level-0 node) and ``columns`` is not written.
    """
    count = len(bodies)
    if count == 0:
        return range(0)
    mark = marker(conn)
    with driver_cursor(conn) as cursor:
        cursor.execute(f"UPDATE audit_head SET size = size + {mark} WHERE id = 1 RETURNING size",
                       (count,))
        start = int(cursor.fetchone()[0]) - count
    frontier = right_edge(start)
    nodes = fetch_nodes(conn, frontier)
    if len(nodes) != len(frontier):
        raise IntegrityError(tr(
            "the log's right edge at size {start} is missing nodes", start=start), index=start)
    dialect = conn.dialect.name
    entry_rows, node_rows = rows_of(bodies, columns, start, nodes, dialect == "sqlite")
    insert_entries, insert_nodes = insert_statements(dialect)
    with driver_cursor(conn) as cursor:
        cursor.executemany(insert_entries, entry_rows)
        cursor.executemany(insert_nodes, node_rows)
    return range(start, start + count)


def insert_statements(dialect: str) -> tuple[str, str]:
    """The driver's INSERT of entry rows and of node rows (see :func:`rows_of`)."""
    mark = marker_for(dialect)
    if dialect == "sqlite":  # the row is the body alone (migration 0010)
        entries = "INSERT INTO audit_entries (idx, body) VALUES (?, ?)"
    else:
        entries = ("INSERT INTO audit_entries (idx, body, leaf, kind, at, actor, entity_id) "
                   f"VALUES ({', '.join([mark] * 7)})")
    return entries, f"INSERT INTO audit_nodes (level, idx, hash) VALUES ({mark}, {mark}, {mark})"


def _check_size(conn: Connection, tree_size: int | None) -> int:
    current = size(conn)
    if tree_size is None:
        return current
    if not 0 <= tree_size <= current:
        raise ValidationError(tr(
            "tree size {tree_size} is outside the log of size {current}",
            tree_size=tree_size, current=current))
    return tree_size


def root(conn: Connection, tree_size: int | None = None) -> tuple[int, bytes]:
    """(size, root hash) of the log, now or at an earlier size."""
    n = _check_size(conn, tree_size)
    return n, with_nodes(conn, lambda reader: _root(n, reader))


def inclusion_proof(conn: Connection, index: int, tree_size: int | None = None) -> list[bytes]:
    n = _check_size(conn, tree_size)
    if not 0 <= index < n:
        raise ValidationError(tr("entry {index} is outside the tree of size {n}", index=index, n=n))
    return with_nodes(conn, lambda reader: _inclusion_proof(index, n, reader))


def consistency_proof(conn: Connection, old_size: int, new_size: int | None = None) -> list[bytes]:
    n = _check_size(conn, new_size)
    if not 0 <= old_size <= n:
        raise ValidationError(tr(
            "no consistency proof from size {old_size} to size {n}", old_size=old_size, n=n))
    return with_nodes(conn, lambda reader: _consistency_proof(old_size, n, reader))


# No leaf column: SQLite stores none (migration 0010), and the leaf hash is a function
# of the bytes, computed as they are read.
_ENTRY_COLUMNS = (
    at.audit_entries.c.idx,
    at.audit_entries.c.body,
    at.audit_entries.c.kind,
    at.audit_entries.c.at,
    at.audit_entries.c.actor,
    at.audit_entries.c.entity_id,
)


def _entry(row: Any) -> Entry:
    body = bytes(row[1])
    return Entry(int(row[0]), body, leaf_hash(body), row[2], row[3], row[4], row[5])


def entry(conn: Connection, index: int) -> Entry:
    row = conn.execute(select(*_ENTRY_COLUMNS).where(at.audit_entries.c.idx == index)).first()
    if row is None:
        raise NotFound(tr("no audit entry {index}", index=index))
    return _entry(row)


def entries(
    conn: Connection,
    entity_id: str | None = None,
    actors: Sequence[str] | None = None,
    since: str | None = None,
    after: int | None = None,
    limit: int = 1000,
) -> list[Entry]:
    """Entries in log order, optionally about one record, by some actors, since a time."""
    e = at.audit_entries
    query = select(*_ENTRY_COLUMNS)
    if entity_id is not None:
        query = query.where(e.c.entity_id == entity_id)
    if actors is not None:
        query = query.where(e.c.actor.in_(list(actors)))
    if since is not None:
        query = query.where(e.c.at >= since)
    if after is not None:
        query = query.where(e.c.idx > after)
    return [_entry(row) for row in conn.execute(query.order_by(e.c.idx).limit(limit))]
