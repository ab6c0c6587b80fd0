"""Writing records: batches, idempotence, versions, and the rows the store keeps."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from statement_keys import TEST_KEYER
from tearline.errors import StoreError
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.store import tables as t
from tearline.store.bulk import COPY_ROWS
from tearline.store.store import Store
from tearline.store.writer import (
    BULK_CACHE_KIB_MAX,
    _batches,
    bulk_cache_kib,
    sqlite_bulk_cache,
    write_records,
)

SEEN = datetime(2024, 5, 3, tzinfo=UTC)
PROV = Provenance("us.dea", "us.dea.sod", SEEN, Reliability.B, Credibility.PROBABLY_TRUE)
PROV_LATER = Provenance("us.dea", "us.dea.sod", SEEN + timedelta(days=1), Reliability.B,
                        Credibility.PROBABLY_TRUE)
MARKING = Marking.build("AMBER")
PORTION = Marking.build("RED")


def _records(n: int, prov: Provenance = PROV) -> list[Record]:
    return [
        build_record(
            f"p-{i}", "Person",
            {"name": [f"Juan {i} GARCIA"], "alias": [f"EL {i}"], "nationality": ["Mexico"],
             "passportNumber": [f"G{i:07d}"], "notes": ["seen twice"]},
            prov, MARKING, portions={"notes": PORTION} if i % 3 == 0 else None, keyer=TEST_KEYER,
        )
        for i in range(n)
    ]


def _dump(store: Store) -> tuple[list[tuple[object, ...]], ...]:
    with store.reading() as conn:
        return tuple(
            [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
            for table in (t.records, t.statements, t.tokens, t.markings)
        )


def test_batches_cover_every_record_once() -> None:
    records = _records(10)
    for size in (1, 4, 5, 7, 50, 10_000):
        parts = list(_batches(records, size))
        assert [r for part in parts for r in part] == records
        assert all(sum(len(r.statements) for r in part) >= size for part in parts[:-1])


@pytest.mark.parametrize("batch", [7, COPY_ROWS + 100])
def test_batches_store_what_one_batch_stores(store: Store, batch: int) -> None:
    """Written whole, then again in batches (on PostgreSQL, batches of COPY_ROWS and more
    go through COPY, several in one transaction): the same rows, nothing new."""
    records = _records(900)
    with store.transaction() as conn:
        one = write_records(conn, records, batch=len(records) * 5)
    whole = _dump(store)
    assert one.statements_seen == sum(len(r.statements) for r in records) == one.statements_new
    # the same write, again and in batches of 7 statements: nothing new
    with store.transaction() as conn:
        again = write_records(conn, records, batch=batch)
    assert again.statements_new == 0 and again.records_new == 0 and again.records_changed == 0
    assert again.statements_seen == one.statements_seen
    assert _dump(store) == whole
    tokens = {row[0] for row in whole[2]}
    assert {"juan", "garcia", "g0000007"} <= tokens
    portions = [row for row in whole[1] if row[3] == "notes" and row[12] is not None]
    assert len(portions) == 300  # records 0, 3, …, 897


def test_rewrite_moves_last_seen_and_versions_grown_records(store: Store) -> None:
    with store.transaction() as conn:
        write_records(conn, _records(5), batch=3)
    later = Provenance("us.dea", "us.dea.sod", SEEN + timedelta(days=1), Reliability.B,
                       Credibility.PROBABLY_TRUE)
    grown = _records(5, later)
    grown[2] = build_record("p-2", "Person", {"name": ["Juan 2 GARCIA"], "weakAlias": ["EL 2B"]},
                            later, MARKING, keyer=TEST_KEYER)
    with store.transaction() as conn:
        summary = write_records(conn, grown, batch=3)
    assert summary.records_new == 0
    assert summary.records_changed == 1
    assert summary.statements_new == 1
    assert summary.changes[0][:2] == ("p-2", 2)
    given_again = {s.id for r in grown for s in r.statements}
    with store.reading() as conn:
        last = dict(conn.execute(select(t.statements.c.id, t.statements.c.last_seen)).all())
        version = conn.execute(select(t.records.c.version).where(t.records.c.id == "p-2"))
        assert version.scalar_one() == 2
    assert len(last) == 26
    for statement_id, seen in last.items():
        assert seen == t.ts(later.seen_at if statement_id in given_again else SEEN)


def test_bulk_cache_is_raised_for_the_write_and_set_back(tmp_path: Path) -> None:
    """A SQLite write of more than one batch runs with a page cache sized to it; the
    connection has its own size back afterwards, after a failed write too."""
    store = Store.open(f"sqlite:///{tmp_path / 'bulk.sqlite'}")
    small = -100  # KiB: smaller than what 300 statements get
    try:
        sizes: list[int] = []
        with store.transaction() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute(f"PRAGMA cache_size={small}")

            def remember(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
                if sql.startswith("INSERT"):  # the rows the write stores
                    sizes.append(raw.execute("PRAGMA cache_size").fetchone()[0])

            event.listen(conn, "before_cursor_execute", remember)
            write_records(conn, _records(60), batch=50)  # 300 statements, batches of 50
            event.remove(conn, "before_cursor_execute", remember)
            assert raw.execute("PRAGMA cache_size").fetchone()[0] == small
        assert set(sizes) == {-bulk_cache_kib(300)}
        with pytest.raises(StoreError), store.transaction() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute(f"PRAGMA cache_size={small}")
            write_records(conn, _records(60, PROV_LATER), batch=50)
            assert raw.execute("PRAGMA cache_size").fetchone()[0] == small
            conn.exec_driver_sql("SELECT * FROM no_such_table")
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == small
        # One batch or less: the connection's own cache, untouched.
        sizes.clear()
        with store.transaction() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute(f"PRAGMA cache_size={small}")
            event.listen(conn, "before_cursor_execute", remember)
            write_records(conn, _records(60, PROV_LATER), batch=300)
            event.remove(conn, "before_cursor_execute", remember)
        assert set(sizes) == {small}
    finally:
        store.close()


def test_sqlite_bulk_cache_restores_on_error() -> None:
    raw = sqlite3.connect(":memory:")
    raw.execute("PRAGMA cache_size=-2000")
    with pytest.raises(RuntimeError), sqlite_bulk_cache(raw.execute, 100_000):
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == -bulk_cache_kib(100_000)
        raise RuntimeError("the write failed")
    assert raw.execute("PRAGMA cache_size").fetchone()[0] == -2000
    # Never shrunk: a cache already larger than the write needs is left alone.
    raw.execute("PRAGMA cache_size=-9000000")
    with sqlite_bulk_cache(raw.execute, 10):
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == -9000000
    assert bulk_cache_kib(10**9) == BULK_CACHE_KIB_MAX
