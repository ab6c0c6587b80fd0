"""Bulk upserts (executemany, and COPY on PostgreSQL) mean the same on every backend."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pgserver import PgServer, pg_url
from tearline.errors import StoreError
from tearline.store import tables as t
from tearline.store.bulk import COPY_ROWS, columns, executemany_rows
from tearline.store.store import Store

N = COPY_ROWS + 500  # large enough for the COPY path on PostgreSQL


def _statement(i: int, last_seen: str, marking_id: str | None = None) -> tuple[object, ...]:
    row = {
        "id": f"st-{i:06d}", "entity_id": f"p-{i // 3}", "schema": "Person", "prop": "name",
        "value": f"Name {i}", "original_value": None, "origin": "us.dea",
        "author": "us.dea.sod", "reliability": "B", "credibility": "2",
        "first_seen": "2024-01-01T00:00:00.000000Z", "last_seen": last_seen,
        "marking_id": marking_id, "retracted_at": None,
        "added_at": "2024-01-01T00:00:00.000000Z",
    }
    return tuple(row[c] for c in columns(t.statements))


def _last_seen(store: Store) -> dict[str, str]:
    with store.reading() as conn:
        rows = conn.execute(select(t.statements.c.id, t.statements.c.last_seen))
        return {r.id: r.last_seen for r in rows}


@pytest.mark.parametrize("size", [10, N])
def test_upsert_keeps_the_greatest_last_seen(store: Store, size: int) -> None:
    early, mid, late = (f"2024-0{m}-01T00:00:00.000000Z" for m in (2, 3, 4))
    with store.transaction() as conn:
        executemany_rows(conn, t.statements, [_statement(i, mid) for i in range(size)], ["id"],
                         greatest=["last_seen"])
    # again: some later, some earlier, and one key twice within the batch
    again = [_statement(i, late if i % 2 else early) for i in range(size)]
    again.append(_statement(0, late))
    with store.transaction() as conn:
        executemany_rows(conn, t.statements, again, ["id"], greatest=["last_seen"])
    seen = _last_seen(store)
    assert len(seen) == size
    assert seen["st-000000"] == late  # the greater of the two given in one batch
    assert all(seen[f"st-{i:06d}"] == (late if i % 2 else mid) for i in range(1, size))


TOKEN_KEY = ["token", "entity_id", "statement_id"]


@pytest.mark.parametrize("size", [10, N])
def test_do_nothing_keeps_the_first(store: Store, size: int) -> None:
    rows = [(f"tok{i % 7}", f"st-{i:06d}", "p-1") for i in range(size)]
    with store.transaction() as conn:
        # (the tokens' key is every column since migration 0031: a row again is a no-op)
        executemany_rows(conn, t.tokens, rows + rows[:50], TOKEN_KEY)
        executemany_rows(conn, t.tokens, rows, TOKEN_KEY)
    with store.reading() as conn:
        stored = conn.execute(select(t.tokens.c.entity_id, func.count()).group_by(
            t.tokens.c.entity_id)).all()
    assert stored == [("p-1", size)]


@pytest.mark.parametrize("size", [10, N])
def test_a_bad_row_stores_nothing(store: Store, size: int) -> None:
    """A row naming a marking that does not exist fails the whole transaction, typed."""
    rows = [_statement(i, "2024-02-01T00:00:00.000000Z") for i in range(size)]
    rows[size // 2] = _statement(size // 2, "2024-02-01T00:00:00.000000Z", "mk-missing")
    with pytest.raises(StoreError), store.transaction() as conn:
        executemany_rows(conn, t.tokens, [("tok", "st-x", "p-1")], TOKEN_KEY)
        executemany_rows(conn, t.statements, rows, ["id"], greatest=["last_seen"])
    assert store.counts()["statements"] == 0
    assert store.counts()["tokens"] == 0


@pytest.mark.postgres
def test_copy_refuses_an_oversized_value_typed(pg_server: PgServer) -> None:
    """On PostgreSQL a value the column cannot hold fails in COPY: a StoreError.
    (SQLite does not enforce VARCHAR lengths, so this is PostgreSQL's alone.)"""
    store = Store.open(pg_url(pg_server))
    try:
        rows = [("tok", f"st-{i:06d}", "p-1") for i in range(N)]
        rows[7] = ("x" * 65, "st-x", "p-1")  # token is VARCHAR(64)
        with pytest.raises(StoreError), store.transaction() as conn:
            executemany_rows(conn, t.tokens, rows, TOKEN_KEY)
        assert store.counts()["tokens"] == 0
        # the connection is usable again, and a batch after a batch works
        with store.transaction() as conn:
            executemany_rows(conn, t.tokens, rows[8:], TOKEN_KEY)
            executemany_rows(conn, t.tokens, rows[:7], TOKEN_KEY)
        assert store.counts()["tokens"] == N - 1
    finally:
        store.close()
