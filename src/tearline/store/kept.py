"""One SQLite connection kept open for reads, lent to one caller at a time.

Taking a connection from SQLAlchemy's pool and giving it back (checkout, the reset's
rollback on return, the ``Connection`` made each time) is a sizeable share of an API
read's server CPU (``bench/api.py``; docs/benchmarks.md, HTTP API, 2026-11-29
evening): the token's row and the record are two such round trips per request. The
store keeps one connection instead and lends it to whichever reader finds it free; a
reader that finds it lent (another thread reading at that moment) takes one from the
pool, so concurrency is never limited by it.

It is safe to keep because a reader leaves nothing behind on it: on SQLite a
``SELECT`` outside a transaction sees the latest commit at the moment it starts,
holding no snapshot between reads, and whatever a reader did start is rolled back
when it hands the connection back. A reader that fails in any way drops the
connection: the next one opens a fresh one rather than trust the state of that one.
Errors are translated by the caller (``Store.reading``), as for a pooled connection.
PostgreSQL does not use it: its driver opens a transaction on a read, and a
network round trip dwarfs the pool's cost.
"""

from __future__ import annotations

from threading import Lock
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError


class KeptConnection:
    """A pooled connection kept between reads; :meth:`lend` or ``None`` when it is lent."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = Lock()
        self._conn: Connection | None = None

    def lend(self) -> Lent | None:
        """The kept connection for one read, or ``None`` if another reader has it."""
        if not self._lock.acquire(blocking=False):
            return None
        return Lent(self)

    def close(self) -> None:
        """Give the connection back to the pool (the store is closing)."""
        with self._lock:
            self._drop()

    def _open(self) -> Connection:
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self._drop()
            self._conn = self._engine.connect()
        return self._conn

    def _done(self, failed: bool) -> None:
        try:
            conn = self._conn
            if failed or conn is None:
                self._drop()
            elif conn.in_transaction():
                conn.rollback()
            elif getattr(conn.connection.dbapi_connection, "in_transaction", False):
                # begun on the driver's own cursor (a write there), unseen by SQLAlchemy:
                # rolled back as the pool's reset would, or it would hold the write lock
                conn.connection.dbapi_connection.rollback()  # type: ignore[union-attr]
        except BaseException:
            self._drop()  # could not be cleaned: not kept
            raise
        finally:
            self._lock.release()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except SQLAlchemyError:
                conn.invalidate()  # not returned to the pool in an unknown state


class Lent:
    """``with``: the kept connection, handed back (and cleaned) on exit."""

    __slots__ = ("_kept",)

    def __init__(self, kept: KeptConnection) -> None:
        self._kept = kept

    def __enter__(self) -> Connection:
        try:
            return self._kept._open()
        except BaseException:
            self._kept._done(failed=True)
            raise

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._kept._done(failed=kind is not None)
