"""The tests' migrated SQLite template (``tests/store_template.py``): a copy is a current
store with secrets of its own, as a database migrated from empty would be."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from filemodes import mode_of
from store_template import SECRETS, copy_to
from tearline.store.engine import make_engine, needs_upgrade


def secrets(path: Path) -> dict[str, bytes]:
    with closing(sqlite3.connect(path)) as conn:
        return {table: conn.execute(f'SELECT "{column}" FROM "{table}" WHERE id = 1')
                .fetchone()[0] for table, column in SECRETS.items()}


def test_a_copy_is_current_private_and_keeps_no_secret_of_another(
        store_template: Path, tmp_path: Path) -> None:
    copies = [tmp_path / "a.sqlite", tmp_path / "b.sqlite"]
    for path in copies:
        assert copy_to(store_template, f"sqlite:///{path}") == f"sqlite:///{path}"
        engine = make_engine(f"sqlite:///{path}")
        try:
            assert not needs_upgrade(engine)
        finally:
            engine.dispose()
        assert mode_of(path) == 0o600
    drawn = [secrets(path) for path in (store_template, *copies)]
    for table in SECRETS:
        values = [d[table] for d in drawn]
        assert all(len(v) == 32 for v in values)
        assert len(set(values)) == len(values), f"{table} shared between copies"


def test_an_existing_database_or_a_postgresql_url_is_left_alone(
        store_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "kept.sqlite"
    path.write_bytes(b"")
    copy_to(store_template, f"sqlite:///{path}")
    assert path.read_bytes() == b""
    url = "postgresql+psycopg://postgres@127.0.0.1:1/postgres"
    assert copy_to(store_template, url) == url


@pytest.mark.parametrize("table", sorted(SECRETS))
def test_every_secret_is_a_column_of_the_newest_schema(store_template: Path,
                                                       table: str) -> None:
    with closing(sqlite3.connect(store_template)) as conn:
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
    assert SECRETS[table] in columns
