"""Tampering with any stored entry or node is caught by verify, at the right first index.

One log is built per backend; each random mutation (change a byte, delete, swap,
insert, shift) is applied inside a transaction, verified on the same connection,
and rolled back. The expected index is worked out from the mutation alone: the
smallest append whose rows it touched (entry i, or the append that completed node
(level, j), i.e. (j + 1)·2^level − 1), or the log's size for rows past its end.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from tearline.audit.events import RecordRead, SearchQuery
from tearline.audit.memory_tree import MemoryTree
from tearline.store import audit_log, audit_verify
from tearline.store.audit_log import owner
from tearline.store.store import Store

pytestmark = pytest.mark.slow  # handed out first in a parallel run (tests/conftest.py)

LOG_SIZE = 37  # not a power of two: the right edge has perfect and imperfect subtrees
MUTATIONS = {"sqlite": 8000, "postgresql": 2000}  # 10,000 in all


def build(store: Store, rng: random.Random) -> None:
    events: list[Any] = []
    for i in range(LOG_SIZE):
        at = f"2025-02-{1 + i % 28:02d}T10:00:{i % 60:02d}.{i:06d}Z"
        if i % 5 == 4:
            events.append(SearchQuery(at=at, actor="unit:mx.semar.uie",
                                      query_commitment=f"{i:064x}", result_count=i))
        else:
            events.append(RecordRead(at=at, actor="analyst:ana@mx.semar.uie",
                                     subject="analyst:ana@mx.semar.uie", entity_id=f"rec-{i}",
                                     version=1 + i % 3, statement_ids=(f"st-{i}",), path="show"))
    position = 0
    while position < LOG_SIZE:  # batches of random sizes, each its own transaction
        step = rng.randint(1, 6)
        with store.transaction() as conn:
            audit_log.append(conn, events[position : position + step])
        position += step


def flip(value: bytes, rng: random.Random) -> bytes:
    data = bytearray(value)
    data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def run(conn: Connection, sql: str, **params: Any) -> None:
    conn.execute(text(sql), params)


Mutation = Callable[[Connection, random.Random, dict[str, Any]], int]


def change_body(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    i = rng.randrange(LOG_SIZE)
    run(conn, "UPDATE audit_entries SET body = :b WHERE idx = :i",
        b=flip(log["entries"][i][1], rng), i=i)
    return i


def change_leaf(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    i = rng.randrange(LOG_SIZE)
    if conn.dialect.name == "sqlite":  # the row is the body alone: the leaf is node (0, i)
        with pytest.raises(DBAPIError, match="no such column"):
            run(conn, "UPDATE audit_entries SET leaf = :b WHERE idx = :i", b=bytes(32), i=i)
        return -1
    run(conn, "UPDATE audit_entries SET leaf = :b WHERE idx = :i",
        b=flip(log["entries"][i][2], rng), i=i)
    return i


LOOKUP = ["kind", "at", "actor", "entity_id"]


def stored(conn: Connection) -> list[str]:
    """The columns of an entry row that hold data: on SQLite the body alone (0010)."""
    return ["body"] if conn.dialect.name == "sqlite" else ["body", "leaf", *LOOKUP]


def write_row(conn: Connection, target: int, row: tuple[Any, ...]) -> None:
    """Overwrite entry ``target`` with every stored column of ``row`` (another entry)."""
    values = dict(zip(["body", "leaf", *LOOKUP], row[1:], strict=True))
    columns = stored(conn)
    run(conn, f"UPDATE audit_entries SET {', '.join(f'{c} = :{c}' for c in columns)} "
        "WHERE idx = :i", i=target, **{c: values[c] for c in columns})


def change_column(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    i = rng.randrange(LOG_SIZE)
    column = rng.choice(LOOKUP)
    value = rng.choice(["record.read", "search.query", "unit:us.dea.sod", "rec-1", None,
                        "2025-02-01T10:00:00.000000Z", 'rec-1","v'])
    before = log["entries"][i][3:][LOOKUP.index(column)]
    if conn.dialect.name == "sqlite":  # computed from the body: nothing stored to change
        with pytest.raises(DBAPIError, match="generated column"):
            run(conn, f"UPDATE audit_entries SET {column} = :v WHERE idx = :i", v=value, i=i)
        return -1
    if value == before or (value is None and column != "entity_id"):
        return -1  # no change, or one the schema refuses anyway
    run(conn, f"UPDATE audit_entries SET {column} = :v WHERE idx = :i", v=value, i=i)
    return i


def change_node(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    level, index = rng.choice(sorted(log["nodes"]))
    run(conn, "UPDATE audit_nodes SET hash = :h WHERE level = :l AND idx = :j",
        h=flip(log["nodes"][level, index], rng), l=level, j=index)
    return owner(level, index)


def delete_entry(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    i = rng.randrange(LOG_SIZE)
    run(conn, "DELETE FROM audit_entries WHERE idx = :i", i=i)
    return i


def delete_node(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    level, index = rng.choice(sorted(log["nodes"]))
    run(conn, "DELETE FROM audit_nodes WHERE level = :l AND idx = :j", l=level, j=index)
    return owner(level, index)


def swap_entries(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    i, j = sorted(rng.sample(range(LOG_SIZE), 2))
    a, b = log["entries"][i], log["entries"][j]
    for target, row in ((i, b), (j, a)):
        write_row(conn, target, row)
    return i


def swap_nodes(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    level = rng.choice([lv for lv in range(6) if LOG_SIZE >> lv >= 2])
    j1, j2 = sorted(rng.sample(range(LOG_SIZE >> level), 2))
    for target, source in ((j1, j2), (j2, j1)):
        run(conn, "UPDATE audit_nodes SET hash = :h WHERE level = :l AND idx = :j",
            h=log["nodes"][level, source], l=level, j=target)
    return owner(level, j1)


def insert_entry(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    """Insert a copy of another entry at i, shifting the later ones up by one."""
    i = rng.randrange(LOG_SIZE + 1)
    run(conn, "UPDATE audit_entries SET idx = idx + 1000000 WHERE idx >= :i", i=i)
    run(conn, "UPDATE audit_entries SET idx = idx - 999999 WHERE idx >= 1000000")
    row = log["entries"][rng.choice([k for k in range(LOG_SIZE) if k != i])]
    values = dict(zip(["body", "leaf", *LOOKUP], row[1:], strict=True))
    columns = stored(conn)
    run(conn, f"INSERT INTO audit_entries (idx, {', '.join(columns)}) "
        f"VALUES (:i, {', '.join(f':{c}' for c in columns)})",
        i=i, **{c: values[c] for c in columns})
    return i


def insert_node(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    """A node the tree's size does not have (past the right edge, or a higher level)."""
    level = rng.randrange(8)
    run(conn, "INSERT INTO audit_nodes (level, idx, hash) VALUES (:l, :j, :h)",
        l=level, j=(LOG_SIZE >> level) + rng.randrange(3), h=rng.randbytes(32))
    return LOG_SIZE


def reorder_entries(conn: Connection, rng: random.Random, log: dict[str, Any]) -> int:
    """Rotate a run of entries by one place (a reordering touching every row in the run)."""
    i = rng.randrange(LOG_SIZE - 2)
    j = rng.randrange(i + 2, LOG_SIZE)
    rows = [log["entries"][k] for k in range(i, j + 1)]
    rotated = rows[1:] + rows[:1]
    for target, row in zip(range(i, j + 1), rotated, strict=True):
        write_row(conn, target, row)
    return i


MUTATIONS_BY_NAME: dict[str, Mutation] = {
    f.__name__: f
    for f in (change_body, change_leaf, change_column, change_node, delete_entry, delete_node,
              swap_entries, swap_nodes, insert_entry, insert_node, reorder_entries)
}


def test_the_stored_log_agrees_with_the_reference_tree(store: Store) -> None:
    build(store, random.Random(1))
    with store.reading() as conn:
        bodies = [audit_log.entry(conn, i).body for i in range(LOG_SIZE)]
        reference = MemoryTree()
        reference.extend(bodies)
        assert audit_log.root(conn) == (LOG_SIZE, reference.root())
        for size in range(1, LOG_SIZE + 1):
            for index in range(size):
                assert audit_log.inclusion_proof(conn, index, size) == reference.inclusion_proof(
                    index, size)
            assert audit_log.consistency_proof(conn, size, LOG_SIZE) == (
                reference.consistency_proof(size, LOG_SIZE))
        assert audit_verify.verify(conn).root == reference.root()


def test_random_mutations_are_caught_at_their_first_index(store: Store) -> None:
    rng = random.Random(f"tamper-{store.dialect}")
    build(store, rng)
    with store.reading() as conn:
        leaf = "NULL" if store.dialect == "sqlite" else "leaf"  # SQLite: node (0, idx) alone
        entries = [tuple(r) for r in conn.execute(text(
            f"SELECT idx, body, {leaf}, kind, at, actor, entity_id FROM audit_entries "
            "ORDER BY idx"))]
        nodes = {(int(lv), int(j)): bytes(h) for lv, j, h in conn.execute(text(
            "SELECT level, idx, hash FROM audit_nodes"))}
        log = {"entries": [(r[0], bytes(r[1]), r[2] and bytes(r[2]), *r[3:]) for r in entries],
               "nodes": nodes}
        assert audit_verify.first_bad(conn) is None
        conn.rollback()
        seen: dict[str, int] = {}
        total = MUTATIONS[store.dialect]
        done = 0
        while done < total:
            name = rng.choice(sorted(MUTATIONS_BY_NAME))
            expected = MUTATIONS_BY_NAME[name](conn, rng, log)
            if expected >= 0:
                found = audit_verify.first_bad(conn)
                assert found == expected, f"mutation {done} ({name}): {found} != {expected}"
                seen[name] = seen.get(name, 0) + 1
                done += 1
            conn.rollback()
        assert audit_verify.first_bad(conn) is None
    # On SQLite an entry row is its body alone: there is no leaf or lookup column to
    # change (change_leaf and change_column check that the database refuses).
    refused = {"change_leaf", "change_column"} if store.dialect == "sqlite" else set()
    assert set(seen) == set(MUTATIONS_BY_NAME) - refused, seen
