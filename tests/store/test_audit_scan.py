"""The bulk pass of verify: it clears every intact range and refuses every touched one.

``verify`` falls back to the row-by-row pass on a range the bulk pass refuses, so a
bulk pass that refused too much would only be slow, and one that cleared too much
would hide tampering; both are tested here directly, on every range of a log with
one entry of every event kind (each kind's lookup columns take one of the templates
of :func:`audit_scan.columns_ok`).
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from tearline.audit.envelope import Event
from tearline.store import audit_log, audit_verify
from tearline.store.audit_log import owner
from tearline.store.audit_scan import range_intact, run_kinds
from tearline.store.engine import driver_cursor
from tearline.store.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "audit"))
from test_audit_events import EXAMPLES, make  # noqa: E402


def every_kind() -> list[Event]:
    """Each kind once, then again under other actors and times (the log is 3 × kinds long)."""
    out: list[Event] = []
    for round_, actor in enumerate(("analyst:ana@mx.semar.uie", "unit:us.dea.sod", "system")):
        for kind in sorted(EXAMPLES):
            out.append(make(kind, actor=actor, at=f"2025-0{round_ + 1}-02T03:04:05.{round_:06d}Z"))
    return out


def build(store: Store) -> int:
    events = every_kind()
    rng = random.Random(len(events))
    position = 0
    while position < len(events):
        step = rng.randint(1, 9)
        with store.transaction() as conn:
            audit_log.append(conn, events[position : position + step])
        position += step
    return len(events)


def intact(conn: Connection, start: int, end: int) -> bool:
    with driver_cursor(conn) as cursor:
        return range_intact(cursor, conn.dialect.name, start, end)


def test_the_templates_cover_the_frequent_kinds() -> None:
    with_entity, without_entity = run_kinds()
    assert {"record.read", "record.created", "release.created"} <= set(with_entity)
    assert {"search.query", "aggregate.read"} <= set(without_entity)


def test_every_range_of_an_intact_log_is_cleared(store: Store) -> None:
    n = build(store)
    with store.reading() as conn:
        assert audit_verify.first_bad(conn) is None
        for start in range(n):
            for end in range(start + 1, n + 1):
                assert intact(conn, start, end), (start, end)


def test_the_lookup_columns_are_the_events_fields_for_every_kind(store: Store) -> None:
    """Stored (PostgreSQL) or computed from the bytes (SQLite), they are the event's values."""
    events = every_kind()
    build(store)
    with store.reading() as conn:
        rows = conn.execute(text(
            "SELECT kind, at, actor, entity_id FROM audit_entries ORDER BY idx")).all()
        assert [tuple(r) for r in rows] == [
            (e.kind, e.at, e.actor, getattr(e, "entity_id", None)) for e in events]
        for entity_id in {getattr(e, "entity_id", None) for e in events} - {None}:
            found = audit_log.entries(conn, entity_id=entity_id)
            assert [x.index for x in found] == [
                i for i, e in enumerate(events) if getattr(e, "entity_id", None) == entity_id]


def test_sqlite_derives_the_lookup_columns_from_damaged_bytes_too(store: Store) -> None:
    """Any bytes read back without an error (no JSON parser involved): verify decides."""
    if store.dialect != "sqlite":
        pytest.skip("PostgreSQL stores the lookup columns")
    n = build(store)
    with store.reading() as conn:
        for index, body in ((0, b"\xff\x00{"), (1, b'{"kind":"x'), (2, b'{"entity_id":null}')):
            conn.execute(text("UPDATE audit_entries SET body = :b WHERE idx = :i"),
                         {"b": body, "i": index})
            conn.execute(text("SELECT kind, at, actor, entity_id FROM audit_entries")).all()
            assert not intact(conn, 0, n)
            assert audit_verify.first_bad(conn) == index
            conn.rollback()


@pytest.mark.parametrize("column", ["kind", "at", "actor", "entity_id"])
def test_a_changed_lookup_column_is_refused_for_every_kind(store: Store, column: str) -> None:
    n = build(store)
    values = {"kind": "record.read", "at": "2025-01-02T03:04:05.000001Z",
              "actor": "unit:mx.fgr.femdo", "entity_id": "p-2"}
    with store.reading() as conn:
        rows = conn.execute(text(f"SELECT idx, {column} FROM audit_entries ORDER BY idx")).all()
        conn.rollback()
        if store.dialect == "sqlite":  # computed from the bytes (0010): none to change
            for index, _ in rows:
                with pytest.raises(DBAPIError, match="generated column"):
                    conn.execute(text(f"UPDATE audit_entries SET {column} = :v WHERE idx = :i"),
                                 {"v": values[column], "i": index})
            return
        for index, before in rows:
            for value in (values[column], None if column == "entity_id" else before[:-1] + '"'):
                if value == before:
                    continue
                conn.execute(text(f"UPDATE audit_entries SET {column} = :v WHERE idx = :i"),
                             {"v": value, "i": index})
                assert not intact(conn, 0, n), (index, column, value)
                assert not intact(conn, index, index + 1), (index, column, value)
                assert intact(conn, 0, index) if index else True
                assert audit_verify.first_bad(conn) == index
                conn.rollback()


def test_a_changed_node_is_refused_by_every_range_that_owns_it(store: Store) -> None:
    n = build(store)
    with store.reading() as conn:
        nodes = [(int(lv), int(j), bytes(h)) for lv, j, h in conn.execute(
            text("SELECT level, idx, hash FROM audit_nodes"))]
        conn.rollback()
        rng = random.Random(7)
        for level, index, value in rng.sample(nodes, 12):
            changed = bytes([value[0] ^ 1]) + value[1:]
            conn.execute(text("UPDATE audit_nodes SET hash = :h WHERE level = :l AND idx = :j"),
                         {"h": changed, "l": level, "j": index})
            k = owner(level, index)
            for start in range(0, k + 1, 5):
                assert not intact(conn, start, min(n, k + 1 + start % 3)), (level, index, start)
            assert audit_verify.first_bad(conn) == k
            conn.rollback()


def test_verify_over_many_ranges_names_the_first_bad_index(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small ranges, so that nodes span several ranges and each range reads its neighbours'."""
    n = build(store)
    monkeypatch.setattr(audit_verify, "BATCH", 4)
    with store.reading() as conn:
        assert audit_verify.first_bad(conn) is None
        for index in (0, 5, n // 2, n - 1):
            conn.execute(text("UPDATE audit_entries SET body = body || :x WHERE idx = :i"),
                         {"x": b" ", "i": index})
            assert audit_verify.first_bad(conn) == index
            conn.rollback()


@pytest.mark.parametrize("threads", [2, 3])
def test_threads_name_the_first_bad_index(
    store: Store, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    n = build(store)
    monkeypatch.setattr(audit_verify, "BATCH", 4)
    monkeypatch.setattr(audit_verify, "PARALLEL_FROM", 0)
    with store.reading() as conn:
        assert audit_verify.verify(conn, engine=store.engine, threads=threads).size == n
    for index in (n - 2, n // 2, 3):  # each tamper committed, the earlier one wins
        with store.transaction() as conn:
            conn.execute(text("UPDATE audit_entries SET body = body || :x WHERE idx = :i"),
                         {"x": b" ", "i": index})
        with store.reading() as conn:
            assert audit_verify.first_bad(conn, engine=store.engine, threads=threads) == index


def worker_log(store: Store, monkeypatch: pytest.MonkeyPatch) -> int:
    """A small SQLite log verified by worker processes in ranges of four entries."""
    if store.dialect != "sqlite":
        pytest.skip("the light workers read a SQLite file")
    n = build(store)
    monkeypatch.setattr(audit_verify, "WORKER_BATCH", 4)
    monkeypatch.setattr(audit_verify, "PARALLEL_FROM", 0)
    return n


def test_worker_processes_name_the_first_bad_index(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite files are checked by fresh worker processes, ranges dealt in turn."""
    n = worker_log(store, monkeypatch)
    monkeypatch.setattr(audit_verify, "PROCESSES_FROM", 0)
    assert audit_verify._sqlite_file(store.engine)  # a file: the workers are used
    with store.reading() as conn:
        assert audit_verify.verify(conn, engine=store.engine, processes=3).size == n
    for index in (n - 2, n // 2, 5, 0):  # each tamper committed, the earlier one wins
        with store.transaction() as conn:
            conn.execute(text("UPDATE audit_entries SET body = body || :x WHERE idx = :i"),
                         {"x": b" ", "i": index})
        with store.reading() as conn:
            assert audit_verify.first_bad(conn, engine=store.engine, processes=3) == index
            # the default from PROCESSES_FROM entries: one worker per core
            assert audit_verify.first_bad(conn, engine=store.engine) == index


def test_failed_workers_leave_their_ranges_to_the_parent(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = worker_log(store, monkeypatch)
    monkeypatch.setattr(audit_verify.sys, "executable", "/bin/false")  # starts, then fails
    with store.reading() as conn:
        assert audit_verify.verify(conn, engine=store.engine, processes=2).size == n
    monkeypatch.setattr(audit_verify.sys, "executable", "/nonexistent/python")  # cannot start
    with store.reading() as conn:
        assert audit_verify.verify(conn, engine=store.engine, processes=2).size == n
    with store.transaction() as conn:
        conn.execute(text("UPDATE audit_nodes SET hash = :h WHERE level = 1 AND idx = 3"),
                     {"h": bytes(32)})
    with store.reading() as conn:
        assert audit_verify.first_bad(conn, engine=store.engine, processes=2) == owner(1, 3)


def test_a_worker_process_answers_ok_or_its_first_refused_range(store: Store) -> None:
    """The worker itself (not the fallback in the parent) clears and refuses ranges."""
    if store.dialect != "sqlite":
        pytest.skip("the light workers read a SQLite file")
    n = build(store)
    path = audit_verify._sqlite_file(store.engine)
    assert path is not None
    ranges = [f"{lo}:{min(n, lo + 4)}" for lo in range(0, n, 4)]
    command = [sys.executable, "-m", "tearline.store.audit_scan", path, *ranges]
    assert subprocess.run(command, capture_output=True, text=True, check=True).stdout == "ok\n"
    with store.transaction() as conn:
        conn.execute(text("UPDATE audit_entries SET body = body || :x WHERE idx = 9"),
                     {"x": b" "})
    answer = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert answer == "8:12\n"
