"""A migrated SQLite database, made once per test process and copied for each test.

Migrating an empty database to the newest schema runs every migration through
alembic (about half a second); most tests only need a current, empty store. Each
pytest process migrates one database (:func:`build`), and a test's store is a copy of
it (:func:`copy_to`): the same file alembic made, given fresh secrets. Tests of the
migrations themselves, of ``tearline init`` and every PostgreSQL store still migrate
an empty database.

The migrations write a few per-database secrets (:data:`SECRETS`: the audit salt, the
statement key, the trace secret): a copy gets new random ones, as a migrated database
would, so no two stores of a test share them. :func:`build` migrates a second database
and fails if the two differ anywhere else, so a migration that adds a secret (or any
value drawn per database) cannot go unnoticed here.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from tearline.store.engine import sqlite_file
from tearline.store.store import Store

#: The values the migrations draw per database: table -> column (one row, ``id = 1``).
SECRETS = {"audit_head": "salt", "statement_key": "key", "trace_secret": "secret"}


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(path)) as conn:
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr)
                for name in names}


def _columns(path: Path, table: str) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]


def _migrated(path: Path) -> Path:
    Store.open(f"sqlite:///{path}").close()
    return path


def build(folder: Path) -> Path:
    """Migrate an empty SQLite database in ``folder``; check that only :data:`SECRETS`
    differ between two migrated databases."""
    template = _migrated(folder / "template.sqlite")
    twin = _migrated(folder / "twin.sqlite")
    ours, theirs = _rows(template), _rows(twin)
    assert ours.keys() == theirs.keys()
    for table, rows in ours.items():
        if rows == theirs[table]:
            continue
        columns = _columns(template, table)
        differing = {columns[i] for a, b in zip(rows, theirs[table], strict=True)
                     for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y}
        assert table in SECRETS and differing == {SECRETS[table]}, (
            f"two migrated databases differ in {table}.{sorted(differing)}: a value drawn "
            f"per database that tests/store_template.py does not renew (add it to SECRETS)")
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
            for table, column in SECRETS.items():
                target.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE id = 1',
                               (os.urandom(32),))
    return url
