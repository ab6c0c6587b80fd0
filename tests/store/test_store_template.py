"""The tests' migrated templates (``tests/store_template.py``): a copy, on SQLite or on
PostgreSQL, is a current store with secrets of its own, as a database migrated from
empty would be; a migration that draws another value per database stops the build."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy

from filemodes import mode_of
from store_template import SECRETS, PgTemplate, Tables, check_twins, copy_to
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


def _pg_secrets(url: str) -> dict[str, bytes]:
    engine = make_engine(url)
    try:
        assert not needs_upgrade(engine)
        with engine.connect() as conn:
            return {table: bytes(conn.exec_driver_sql(
                f'SELECT "{column}" FROM "{table}" WHERE id = 1').scalar_one())
                for table, column in SECRETS.items()}
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_copy_is_current_keeps_no_secret_of_another_and_is_dropped(
        pg_template: PgTemplate) -> None:
    copies = [pg_template.copy(), pg_template.copy()]
    try:
        drawn = [_pg_secrets(url) for url in (pg_template.url(pg_template.name), *copies)]
    finally:
        for url in copies:
            pg_template.drop(url)
    for table in SECRETS:
        values = [d[table] for d in drawn]
        assert all(len(v) == 32 for v in values)
        assert len(set(values)) == len(values), f"{table} shared between copies"
    with pg_template.admin.connect() as conn:
        names = {sqlalchemy.make_url(url).database for url in copies}
        left = conn.exec_driver_sql("SELECT datname FROM pg_database").scalars().all()
    assert not names & set(left)


def test_a_test_asking_for_both_urls_has_one_postgresql_database(
        db_url: str, current_db_url: str) -> None:
    assert current_db_url == db_url
    if db_url.startswith("postgresql"):
        assert sqlalchemy.make_url(db_url).database.startswith("test_")


def test_a_value_drawn_per_database_that_is_not_renewed_stops_the_build() -> None:
    def tables(salt: bytes, nonce: bytes) -> Tables:
        return {"audit_head": (["id", "salt"], [(1, salt)]),
                "node_nonce": (["id", "nonce", "kind"], [(1, nonce, "x")])}

    check_twins(tables(b"a", b"n"), tables(b"b", b"n"))  # only a secret differs
    with pytest.raises(AssertionError, match=r"node_nonce\.\['nonce'\].*add it to SECRETS"):
        check_twins(tables(b"a", b"n"), tables(b"a", b"m"))
