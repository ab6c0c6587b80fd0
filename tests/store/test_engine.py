"""Engines and migrations: whether a database still needs a migration, and the rows
derived from the schemata that each upgrade brings up to date."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select

from filemodes import mode_of
from pgserver import PgServer, pg_url
from tearline.model.parties import Agency
from tearline.store import parties
from tearline.store import tables as t
from tearline.store.engine import (
    CURRENT,
    _alembic_config,
    make_engine,
    needs_upgrade,
    recorded,
    upgrade,
)
from tearline.store.references import reference_rows, sync_reference_properties
from tearline.store.store import Store
from waiting import HANG


def test_a_pending_migration_is_seen_also_behind_dependent_heads(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert needs_upgrade(engine)  # nothing applied
        with engine.begin() as conn:  # one branch only
            command.upgrade(_alembic_config(conn), "0008")
        assert needs_upgrade(engine)
        upgrade(engine)  # every head, some of them depended on by later migrations
        assert not needs_upgrade(engine)
    finally:
        engine.dispose()


def test_current_is_what_alembic_records_once_every_migration_ran(db_url: str) -> None:
    """``CURRENT`` lets a store at the newest schema open without Alembic; it must be
    exactly what Alembic leaves in ``alembic_version`` after ``upgrade heads`` (a new
    migration changes it), and a store short of it still goes through Alembic."""
    from alembic.migration import MigrationContext

    engine = make_engine(db_url)
    try:
        assert recorded(engine) == frozenset()  # a new database: no table yet
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0008")
        assert recorded(engine) == {"0008"} != CURRENT
        upgrade(engine)  # short of CURRENT: Alembic runs the rest
        with engine.connect() as conn:
            assert frozenset(MigrationContext.configure(conn).get_current_heads()) == CURRENT
        assert recorded(engine) == CURRENT
        upgrade(engine)  # at CURRENT: nothing to run, the derived rows checked
        assert not needs_upgrade(engine)
    finally:
        engine.dispose()


def test_opening_a_current_store_imports_no_alembic(store: Store) -> None:
    """A process opening an up-to-date store (every command that opens one) does not
    pay for Alembic's import and its reading of the scripts."""
    probe = ("import sys; from tearline.store.store import Store; "
             f"Store.open({str(store.engine.url.render_as_string(hide_password=False))!r}); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=HANG)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_reference_properties_follow_the_schemata_at_each_upgrade(store: Store) -> None:
    rp = t.reference_properties

    def rows() -> list[tuple[str, bool]]:
        with store.reading() as conn:
            return sorted((r.prop, bool(r.every_schema)) for r in conn.execute(select(rp)))

    wanted = reference_rows()
    assert rows() == wanted
    assert ("owner", True) in wanted and ("authority", False) in wanted  # schema decides
    assert len(wanted) > 100
    with store.transaction() as conn:  # a table left stale (an older model), or damaged
        conn.execute(rp.delete().where(rp.c.prop == "owner"))
        conn.execute(rp.insert().values(prop="notAReference", every_schema=True))
        assert sync_reference_properties(conn)
        assert not sync_reference_properties(conn)  # equal now: nothing written
        conn.execute(rp.delete().where(rp.c.prop == "owner"))
    assert ("owner", True) not in rows()
    assert needs_upgrade(store.engine)  # not current: /ready says so, workers refuse
    upgrade(store.engine)
    assert rows() == wanted
    assert not needs_upgrade(store.engine)


@pytest.mark.usefixtures("permissive_umask")
def test_the_sqlite_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "tearline.sqlite"
    store = Store.open(f"sqlite:///{path}")
    try:
        with store.transaction() as conn:  # a write: the -wal and -shm files exist now
            parties.put_agency(conn, Agency("us.dea", "DEA", "us"), datetime.now(UTC))
        files = [path.with_name(path.name + s) for s in ("", "-wal", "-shm")]
        assert [mode_of(f) for f in files] == [0o600] * 3
    finally:
        store.close()


@pytest.mark.usefixtures("permissive_umask")
def test_a_database_left_readable_by_an_older_version_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        conn.exec_driver_sql("CREATE TABLE t (x)")
    os.chmod(path, 0o644)
    engine.dispose()
    Store.open(f"sqlite:///{path}").close()
    assert mode_of(path) == 0o600


@pytest.mark.postgres
def test_postgresql_sessions_run_without_jit_and_keep_the_urls_options(
        pg_server: PgServer) -> None:
    """JIT compiling the large policy statements cost seconds per search; it is turned
    off per connection, and the URL's own ``options`` (here a search_path) still hold."""
    url = pg_url(pg_server)
    assert "search_path" in url
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
            assert schema is not None and schema != "public"
    finally:
        engine.dispose()
