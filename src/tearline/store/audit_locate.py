"""The exact checks of the audit log's rows: the first bad entry of a range, row by row.

:mod:`audit_verify` (which says what is checked, and why an answer ``k`` means the
first ``k`` entries are intact) runs the bulk pass of ``store/audit_scan.py`` over each
range and hands a range it refuses to :func:`locate`, which reads the range's entries
and each level of the nodes they completed once, and names the smallest bad index;
:func:`_extra_rows` finds rows the log's size does not account for. Apart from the
verification's plan (ranges, threads, worker processes, checkpoints) because reading
the rows is its own concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from tearline.audit.merkle import HASH_SIZE, leaf_hash, parent_hashes
from tearline.store.audit_log import owner
from tearline.store.audit_scan import columns_ok, owned, range_intact
from tearline.store.engine import driver_cursor, marker


@dataclass(frozen=True, slots=True)
class Bad:
    index: int
    reason: str


def _first_diff(stored: bytes, computed: bytes) -> int:
    """Index of the first 32-byte hash where two packed rows differ."""
    for i in range(0, min(len(stored), len(computed)), HASH_SIZE):
        if stored[i : i + HASH_SIZE] != computed[i : i + HASH_SIZE]:
            return i // HASH_SIZE
    return min(len(stored), len(computed)) // HASH_SIZE


def _columns_sql(dialect: str, mark: str) -> str:
    """The first entry in a range whose lookup columns are not the ones in its bytes."""
    return (
        f"SELECT min(idx) FROM audit_entries WHERE idx >= {mark} AND idx < {mark} "
        f"AND NOT {columns_ok(dialect)}"
    )


def _check_entries(
    cursor: Any, dialect: str, mark: str, start: int, end: int
) -> tuple[bytes, Bad | None]:
    """Check entries [start, end); returns their packed leaf hashes and the first problem.

    On SQLite the row is the body alone (migration 0010): its leaf hash is checked
    against the level-0 node, by :func:`locate`.
    """
    has_leaf = dialect != "sqlite"
    cursor.execute(
        f"SELECT idx, body, {'leaf' if has_leaf else 'NULL'} FROM audit_entries "
        f"WHERE idx >= {mark} AND idx < {mark} ORDER BY idx",
        (start, end),
    )
    leaves: list[bytes] = []
    bad: Bad | None = None
    expected = start
    for idx, body, leaf in cursor.fetchall():
        if idx != expected:
            bad = Bad(expected, f"entry {expected} is missing")
            break
        if not isinstance(body, bytes):
            bad = Bad(expected, f"entry {expected}: its bytes are stored as another type")
            break
        computed = leaf_hash(body)
        if has_leaf and computed != leaf:
            bad = Bad(expected, f"entry {expected}: its bytes and its leaf hash differ")
            break
        leaves.append(computed)
        expected += 1
    if bad is None and expected < end:
        bad = Bad(expected, f"entry {expected} is missing")
    if dialect != "sqlite":  # SQLite computes the lookup columns from the bytes (0010)
        cursor.execute(_columns_sql(dialect, mark), (start, end))
        column = cursor.fetchone()[0]
        if column is not None and (bad is None or column < bad.index):
            bad = Bad(int(column), f"entry {column}: a lookup column is not in its bytes")
    return b"".join(leaves), bad


def _level_rows(cursor: Any, mark: str, level: int, lo: int, hi: int) -> tuple[bytes, int | None]:
    """Packed stored nodes (level, lo..hi-1); the first missing index, if any."""
    cursor.execute(
        f"SELECT idx, hash FROM audit_nodes WHERE level = {mark} AND idx >= {mark} "
        f"AND idx < {mark} ORDER BY idx",
        (level, lo, hi),
    )
    parts: list[bytes] = []
    expected = lo
    for idx, value in cursor.fetchall():
        if idx != expected or len(value) != HASH_SIZE:
            return b"".join(parts), expected
        parts.append(bytes(value))
        expected += 1
    return b"".join(parts), (expected if expected < hi else None)


def _missing(level: int, index: int) -> Bad:
    return Bad(owner(level, index), f"node ({level}, {index}) is missing")


def check_range(conn: Connection, start: int, end: int) -> Bad | None:
    """The first bad entry among [start, end), counting the nodes their appends completed.

    The bulk pass (:func:`audit_scan.range_intact`) clears an intact range; only a
    range it refuses is read again, row by row, to name the first bad index.
    """
    with driver_cursor(conn) as cursor:
        if range_intact(cursor, conn.dialect.name, start, end):
            return None
    return locate(conn, start, end)


def locate(conn: Connection, start: int, end: int) -> Bad | None:
    """The first bad entry among [start, end), found row by row (the slow, exact pass).

    Each level is read once, over the nodes the range owns and the children that the
    level above needs, and checked against the level below.
    """
    mark = marker(conn)
    problems: list[Bad] = []
    with driver_cursor(conn) as cursor:
        leaves, bad = _check_entries(cursor, conn.dialect.name, mark, start, end)
        if bad:
            problems.append(bad)
            end = bad.index  # nothing owned later can be the first problem
        below, below_lo = b"", 0
        level = 0
        while (end >> level) > 0:
            lo, hi = owned(level, start, end)
            up_lo, up_hi = owned(level + 1, start, end)
            first = min(lo, 2 * up_lo) if up_lo < up_hi else lo
            last = max(hi, 2 * up_hi)
            rows, missing = _level_rows(cursor, mark, level, first, last)
            if missing is not None:
                problems.append(_missing(level, missing))
            stored = rows[(lo - first) * HASH_SIZE : (hi - first) * HASH_SIZE]
            if level == 0:
                computed = leaves[(lo - start) * HASH_SIZE :]
            else:
                computed = parent_hashes(below, 2 * lo - below_lo, hi - lo)
            n = min(len(stored), len(computed))
            if stored[:n] != computed[:n]:
                j = lo + _first_diff(stored, computed)
                what = "is not its entry's leaf hash" if level == 0 else "does not hash"
                problems.append(Bad(owner(level, j), f"node ({level}, {j}) {what}"))
            below, below_lo = rows, first
            level += 1
    return min(problems, key=lambda b: b.index) if problems else None


def _extra_rows(conn: Connection, n: int) -> Bad | None:
    """Rows the log's size does not account for: entries or nodes outside the tree.

    Missing rows are found by the range checks, which know where they are; here a
    row before the start counts against entry 0 and one past the end against ``n``.
    """
    mark = marker(conn)
    found: list[Bad] = []
    with driver_cursor(conn) as cursor:
        cursor.execute(
            f"SELECT min(idx), max(idx) FROM audit_entries WHERE idx < 0 OR idx >= {mark}", (n,)
        )
        low, high = cursor.fetchone()
        if low is not None:
            found.append(Bad(0 if low < 0 else n, f"entry {low} lies outside the log of size {n}"))
        # Each level's ends read from the primary key (level, idx), two rows a level, and
        # the rows of levels that no tree of n has; not one pass over every node.
        top = n.bit_length()
        ends: list[Any] = []
        for outside in ("level < 0", f"level >= {top}"):  # apart: an OR would scan the table
            cursor.execute(
                f"SELECT level, min(idx), max(idx) FROM audit_nodes WHERE {outside} GROUP BY level"
            )
            ends += cursor.fetchall()
        for level in range(top):
            cursor.execute(f"SELECT min(idx) FROM audit_nodes WHERE level = {mark}", (level,))
            low = cursor.fetchone()[0]
            cursor.execute(f"SELECT max(idx) FROM audit_nodes WHERE level = {mark}", (level,))
            ends.append((level, low, cursor.fetchone()[0]))
        for level, low, high in ends:
            if low is None:
                continue
            if low < 0 or level < 0:
                found.append(Bad(0, f"node ({level}, {low}) lies outside the tree"))
            elif high >= (n >> level):
                index = min(n, owner(level, (n >> level)))
                found.append(Bad(index, f"node ({level}, {high}) lies outside a tree of {n}"))
    return min(found, key=lambda b: b.index) if found else None
