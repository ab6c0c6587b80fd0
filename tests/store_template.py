"""A migrated database, made once per test process and copied for each test.

Migrating an empty database to the newest schema runs every migration through
alembic (about half a second); most tests only need a current, empty store. Each
pytest process migrates one database per backend, and a test's store is a copy of it:
on SQLite the same file alembic made (:func:`build`, :func:`copy_to`), on PostgreSQL
a database created with ``CREATE DATABASE … TEMPLATE`` (:class:`PgTemplate`); either
way given fresh secrets. Tests of the migrations themselves, of ``tearline init`` and
those that open ``db_url`` still migrate an empty database.

The migrations write a few per-database secrets (:data:`SECRETS`: the audit salt, the
statement key, the trace secret): a copy gets new random ones, as a migrated database
would, so no two stores of a test share them. Each template is checked against a
second database migrated beside it: they must differ in :data:`SECRETS` and nowhere
else, so a migration that adds a secret (or any value drawn per database) fails here
rather than being copied into every store.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

import sqlalchemy

from tearline.store.engine import sqlite_file
from tearline.store.store import Store

#: The values the migrations draw per database: table -> column (one row, ``id = 1``).
SECRETS = {"audit_head": "salt", "statement_key": "key", "trace_secret": "secret"}

#: Every table of a database: name -> (its columns, its rows in a fixed order).
Tables = dict[str, tuple[list[str], list[tuple[Any, ...]]]]


def _table(columns: Iterable[str], rows: Iterable[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
    return list(columns), sorted((tuple(row) for row in rows), key=repr)


def _sqlite_tables(path: Path) -> Tables:
    with closing(sqlite3.connect(path)) as conn:
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: _table([row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')],
                             conn.execute(f'SELECT * FROM "{name}"'))
                for name in names}


def _postgres_tables(url: str) -> Tables:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:
            names = [n for (n,) in conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
            found: Tables = {}
            for name in names:
                result = conn.exec_driver_sql(f'SELECT * FROM "{name}"')
                found[name] = _table(result.keys(), result)
            return found
    finally:
        engine.dispose()


def check_twins(ours: Tables, theirs: Tables) -> None:
    """Fail unless two freshly migrated databases differ only in :data:`SECRETS`."""
    assert ours.keys() == theirs.keys()
    for table, (columns, rows) in ours.items():
        if rows == theirs[table][1]:
            continue
        differing = {columns[i] for a, b in zip(rows, theirs[table][1], strict=True)
                     for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y}
        assert table in SECRETS and differing == {SECRETS[table]}, (
            f"two migrated databases differ in {table}.{sorted(differing)}: a value drawn "
            f"per database that tests/store_template.py does not renew (add it to SECRETS)")


def _migrated(url: str) -> str:
    Store.open(url).close()
    return url


def build(folder: Path) -> Path:
    """Migrate an empty SQLite database in ``folder``; check that only :data:`SECRETS`
    differ between two migrated databases."""
    template, twin = folder / "template.sqlite", folder / "twin.sqlite"
    for path in (template, twin):
        _migrated(f"sqlite:///{path}")
    check_twins(_sqlite_tables(template), _sqlite_tables(twin))
    return template


def copy_to(template: Path, url: str) -> str:
    """Put a copy of ``template`` with new secrets where the SQLite ``url`` points (if
    nothing is there yet); ``url`` is returned. A PostgreSQL URL is left alone."""
    path = sqlite_file(url) if url.startswith("sqlite") else None
    if path is None or path.exists():
        return url
    os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as target:
        source.backup(target)
        with target:  # one transaction, committed
            _renew_secrets(lambda sql, args: target.execute(sql.replace("%s", "?"), args))
    return url


def _renew_secrets(execute: Any) -> None:
    for table, column in SECRETS.items():
        execute(f'UPDATE "{table}" SET "{column}" = %s WHERE id = 1', (os.urandom(32),))


class PgTemplate:
    """A migrated PostgreSQL database on a server, and copies of it for tests.

    ``server_url`` is a URL of the server whose database part names one to connect to
    for ``CREATE DATABASE``; a copy's URL names the copy instead. A copy holds no
    connection to the template, so copies can be made one after another."""

    _names = itertools.count()

    def __init__(self, server_url: str) -> None:
        self.base = sqlalchemy.make_url(server_url)
        self.admin = sqlalchemy.create_engine(self.base, isolation_level="AUTOCOMMIT",
                                              poolclass=sqlalchemy.pool.NullPool)
        self.name = self._create("template")
        twin = self._create("twin")
        check_twins(_postgres_tables(_migrated(self.url(self.name))),
                    _postgres_tables(_migrated(self.url(twin))))
        self.drop(self.url(twin))

    def url(self, database: str) -> str:
        return self.base.set(database=database).render_as_string(hide_password=False)

    def _create(self, kind: str, template: str | None = None) -> str:
        name = f"{kind}_{os.getpid()}_{next(self._names)}"
        made_from = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}{made_from}")
        return name

    def copy(self) -> str:
        """The URL of a new copy of the template, with fresh :data:`SECRETS`."""
        url = self.url(self._create("test", self.name))
        engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
        try:
            with engine.begin() as conn:
                _renew_secrets(conn.exec_driver_sql)
        finally:
            engine.dispose()
        return url

    def drop(self, url: str) -> None:
        """Drop the database of ``url``, closing what is still connected to it."""
        name = sqlalchemy.make_url(url).database
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        self.drop(self.url(self.name))
        self.admin.dispose()
