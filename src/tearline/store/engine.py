"""Engines, connection settings and schema migrations.

SQLite is the embedded default: one file in WAL mode with ``synchronous=FULL`` so
that an acknowledged transaction survives a crash of the process at any point. The
file is created 0600 before SQLite opens it (SQLite would make it 0644 less the
umask), and SQLite gives its ``-wal`` and ``-shm`` files the database file's mode;
files left wider by an older version are narrowed when the engine is made.
PostgreSQL is selected with a ``postgresql+psycopg://`` URL (``TEARLINE_DB_URL``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from tearline.errors import ConfigError, StoreError, tr
from tearline.files import make_private

if TYPE_CHECKING:  # Alembic is imported only where a migration may be pending
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def _postgres_settings(dbapi_connection: Any, _record: Any) -> None:
    """Session settings of every new PostgreSQL connection (set here, not as the URL's
    ``options``, which a deployment may use for its own, e.g. a ``search_path``)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-65536")
    # No memory map (mmap_size stays 0). Every read commits an audit entry, so a reader
    # nearly always starts after another connection's commit, which makes SQLite drop
    # the connection's pages and, with a map, unmap it: remapping costs a small read
    # more than copying the few pages it needs, and a search's few hundred pages read
    # no faster mapped (docs/benchmarks.md: HTTP API, 2026-11-29 evening; Web
    # application, 2026-12-07 evening). A map would also turn a disk I/O error into
    # SIGBUS instead of an error the store can report.
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL and durable commits."""
    if url.startswith("postgres://") or url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    try:
        if url.startswith("sqlite"):
            # Connections are kept, not churned: a new SQLite connection parses the
            # schema and prepares the long policy statements again, which costs more
            # than the reads it would serve. The API's thread pool (40 threads) bounds
            # how many are open; an idle one holds little until its cache fills.
            _private_database(url)
            engine = create_engine(url, connect_args={"timeout": 10}, pool_size=48,
                                   max_overflow=16)
            event.listen(engine, "connect", _sqlite_pragmas)
        elif url.startswith("postgresql+psycopg://"):
            # No JIT: the policy-bound statements have large plans whose estimated cost
            # passes jit_above_cost, and compiling their hundreds of expressions took
            # seconds per execution of a statement that runs in about a millisecond
            # (a ranked search's tier, docs/benchmarks.md "Ranked search").
            engine = create_engine(url, pool_size=8, max_overflow=8, pool_pre_ping=True)
            event.listen(engine, "connect", _postgres_settings)
        else:
            raise ConfigError(
                tr(
                    "unsupported database URL scheme in {split!r}: use sqlite:///PATH or "
                    "postgresql://…", split=url.split(':', 1)[0])
            )
    except SQLAlchemyError as exc:
        raise ConfigError(tr("invalid database URL: {exc}", exc=exc)) from exc
    return engine


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL; ``None`` for an in-memory or URI database."""
    try:
        database = make_url(url).database
    except ArgumentError:
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _private_database(url: str) -> None:
    """Create the database file 0600 if missing; narrow it and its companions if not.

    A missing folder is left for SQLite to report, as it always did."""
    path = sqlite_file(url)
    if path is None or not path.parent.is_dir():
        return
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600))
        for suffix in ("", "-wal", "-shm", "-journal"):
            make_private(path.with_name(path.name + suffix))
    except OSError as exc:
        raise StoreError(tr(
            "cannot open the database file {path}: {strerror}",
            path=path, strerror=exc.strerror)) from exc


#: What ``alembic_version`` holds once every migration has run (a head that another
#: migration depends on is not listed). A database holding exactly these needs no
#: migration: opening it neither imports Alembic nor reads the migration scripts, which
#: every ``tearline`` process opening a store would otherwise do for nothing. A new
#: migration changes this set; ``tests/store/test_engine.py`` compares it with what
#: Alembic records, so it cannot be forgotten.
CURRENT = frozenset({"0004", "0008", "0012", "0019", "0020", "0021", "0024", "0025",
                     "0028", "0029", "0031", "0037", "0038"})


def _alembic_config(conn: Connection) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def recorded(engine: Engine) -> frozenset[str]:
    """The revisions the database records as applied (none for a new database)."""
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except SQLAlchemyError:  # no such table yet (a separate connection: nothing aborted)
        return frozenset()
    return frozenset(str(version) for (version,) in rows)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration, and the rows derived from the schemata
    (``reference_properties``) to the model's (idempotent)."""
    from tearline.store.references import sync_reference_properties  # the model: heavy

    current = recorded(engine) == CURRENT
    try:
        with engine.begin() as conn:
            if not current:
                from alembic import command

                command.upgrade(_alembic_config(conn), "heads")
            sync_reference_properties(conn)
    except SQLAlchemyError as exc:
        raise StoreError(tr("schema migration failed: {exc}", exc=exc)) from exc


def needs_upgrade(engine: Engine) -> bool:
    """Whether a migration is pending, or the rows derived from the schemata differ.

    A head that another migration depends on (its ``depends_on``) no longer shows among
    the database's current heads once that one ran, so the test is that every head of
    the scripts is among the revisions applied."""
    from tearline.store.references import reference_properties_current

    if recorded(engine) == CURRENT:
        with engine.connect() as conn:
            return not reference_properties_current(conn)
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
        script = ScriptDirectory.from_config(_alembic_config(conn))
        applied = {r.revision for r in script.iterate_revisions(current, "base") if r}
        if not set(script.get_heads()) <= applied:
            return True
        return not reference_properties_current(conn)


def require_current(engine: Engine) -> None:
    """Raise :class:`StoreError` unless :func:`needs_upgrade` finds nothing to do."""
    if needs_upgrade(engine):
        raise StoreError(tr("the database schema is not current: run `tearline init`"))


def marker(conn: Connection) -> str:
    """The driver's parameter marker: ``%s`` for psycopg, ``?`` for sqlite3."""
    return marker_for(conn.dialect.name)


def marker_for(dialect: str) -> str:
    return "%s" if dialect == "postgresql" else "?"


@contextmanager
def driver_cursor(conn: Connection) -> Iterator[Any]:
    """A cursor of the driver itself, inside the connection's transaction.

    The hot paths (reads, token lookups, node lookups for proofs, appends) skip
    SQLAlchemy's per-statement work, which would weigh on each of them as much as the
    query; driver errors become :class:`StoreError` here.
    """
    cursor = conn.connection.cursor()
    try:
        yield cursor
    except conn.dialect.loaded_dbapi.Error as exc:
        raise database_error(exc) from exc
    finally:
        cursor.close()


@contextmanager
def translated() -> Iterator[None]:
    """Translate database driver failures into :class:`StoreError` where they enter."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise database_error(getattr(exc, "orig", None) or exc) from exc


def database_error(cause: BaseException) -> StoreError:
    """The store's error for a driver failure: its type and the first line of its text."""
    first = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
    return StoreError(tr(
        "database error ({name}): {first}", name=type(cause).__name__, first=first))
