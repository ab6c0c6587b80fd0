"""The connection a store keeps for reads: lent to one reader at a time, left clean."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tearline.errors import StoreError
from tearline.store.engine import make_engine
from tearline.store.kept import KeptConnection
from tearline.store.store import Store


@pytest.fixture
def kept(tmp_path: Path) -> KeptConnection:
    engine = make_engine(f"sqlite:///{tmp_path / 'k.sqlite'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE v (x INTEGER)"))
        conn.execute(text("INSERT INTO v VALUES (1)"))
    return KeptConnection(engine)


def test_one_reader_at_a_time_and_the_same_connection_after(kept: KeptConnection) -> None:
    first = kept.lend()
    assert first is not None
    with first as conn:
        assert kept.lend() is None  # lent: the next reader takes one from the pool
        held = conn
    again = kept.lend()
    assert again is not None
    with again as conn:
        assert conn is held
    kept.close()


def test_a_reader_sees_commits_made_after_the_last_reader(kept: KeptConnection) -> None:
    lent = kept.lend()
    assert lent is not None
    with lent as conn:  # SQLAlchemy begins a transaction here; it must not outlive us
        assert conn.execute(text("SELECT x FROM v")).scalar_one() == 1
    with kept._engine.begin() as writer:
        writer.execute(text("UPDATE v SET x = 2"))
    lent = kept.lend()
    assert lent is not None
    with lent as conn:
        assert not conn.in_transaction()
        assert conn.execute(text("SELECT x FROM v")).scalar_one() == 2
    kept.close()


def test_a_failed_reader_drops_the_connection(kept: KeptConnection) -> None:
    lent = kept.lend()
    assert lent is not None
    with pytest.raises(RuntimeError), lent as conn:
        failed = conn
        raise RuntimeError("a reader failed")
    assert failed.closed
    lent = kept.lend()
    assert lent is not None
    with lent as conn:
        assert conn is not failed
        assert conn.execute(text("SELECT x FROM v")).scalar_one() == 1
    kept.close()


def test_store_reads_from_many_threads_and_sees_each_commit(store: Store) -> None:
    with store.transaction() as conn:
        conn.execute(text("CREATE TABLE kept_probe (x INTEGER)"))
        conn.execute(text("INSERT INTO kept_probe VALUES (0)"))
    seen: list[int] = []
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(50):
                with store.reading() as conn:
                    seen.append(conn.execute(text("SELECT x FROM kept_probe")).scalar_one())
        except BaseException as exc:  # noqa: BLE001 (reported below, not lost in the thread)
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(6)]
    for thread in threads:
        thread.start()
    for value in range(1, 20):
        with store.transaction() as conn:
            conn.execute(text("UPDATE kept_probe SET x = :x"), {"x": value})
    for thread in threads:
        thread.join()
    assert not errors and len(seen) == 300
    with store.reading() as conn:
        assert conn.execute(text("SELECT x FROM kept_probe")).scalar_one() == 19


def test_a_database_error_while_reading_is_a_store_error_and_reading_goes_on(
        store: Store) -> None:
    with pytest.raises(StoreError), store.reading() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    with store.reading() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1


def test_a_write_begun_on_the_drivers_cursor_is_rolled_back_on_return(
        kept: KeptConnection) -> None:
    lent = kept.lend()
    assert lent is not None
    with lent as conn:
        cursor = conn.connection.cursor()
        cursor.execute("INSERT INTO v VALUES (99)")  # the driver begins a transaction
        cursor.close()
    with kept._engine.begin() as writer:  # would wait on the write lock if it were held
        writer.execute(text("UPDATE v SET x = 3"))
        assert writer.execute(text("SELECT count(*) FROM v")).scalar_one() == 1
    kept.close()


def test_a_connection_that_cannot_be_rolled_back_is_not_kept(
        kept: KeptConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    lent = kept.lend()
    assert lent is not None
    with pytest.raises(SQLAlchemyError), lent as conn:
        conn.execute(text("SELECT x FROM v"))  # SQLAlchemy begins a transaction
        broken = conn

        def refuse() -> None:
            raise SQLAlchemyError("rollback failed")

        monkeypatch.setattr(conn, "rollback", refuse)
    monkeypatch.undo()
    assert broken.closed
    lent = kept.lend()  # the lock was released
    assert lent is not None
    with lent as conn:
        assert conn is not broken
    kept.close()
