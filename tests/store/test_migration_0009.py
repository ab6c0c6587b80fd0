"""Migration 0009: search tokens clustered on their key (SQLite), no duplicate index.

Tokens written before the migration are all there after it, and after going back down;
each backend ends with the indexes its reads use and no other.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect

from tearline.store.engine import _alembic_config, make_engine

TOKENS = [("beltran", "st-1", "p-1"), ("leyva", "st-1", "p-1"), ("beltran", "st-2", "p-2")]


def _migrate(engine: Engine, up: bool, target: str) -> None:
    with engine.begin() as conn:
        (command.upgrade if up else command.downgrade)(_alembic_config(conn), target)


def _indexes(engine: Engine, table: str) -> set[str]:
    return {ix["name"] for ix in inspect(engine).get_indexes(table) if ix["name"]}


def _tokens(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT token, statement_id, entity_id FROM tokens")
        return sorted(tuple(r) for r in rows)


def _without_rowid(engine: Engine) -> bool:
    with engine.connect() as conn:
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'tokens'"
        ).scalar_one()
    return "WITHOUT ROWID" in sql.upper()


def test_tokens_survive_the_migration_both_ways(db_url: str) -> None:
    engine = make_engine(db_url)
    sqlite = engine.dialect.name == "sqlite"
    try:
        _migrate(engine, True, "0006")
        with engine.begin() as conn:
            mark = "?" if sqlite else "%s"
            conn.exec_driver_sql(
                f"INSERT INTO tokens (token, statement_id, entity_id) VALUES ({mark}, {mark}, "
                f"{mark})", TOKENS)
        assert "ix_records_schema" in _indexes(engine, "records")

        _migrate(engine, True, "0009")  # (0031 rekeys the table again)
        assert _tokens(engine) == sorted(TOKENS)
        assert "ix_records_schema" not in _indexes(engine, "records")
        assert {"ix_records_visibility", "ix_records_schema_visibility"} <= _indexes(
            engine, "records")
        if sqlite:
            assert _without_rowid(engine)
            assert _indexes(engine, "tokens") == {"ix_tokens_entity"}
        else:
            assert _indexes(engine, "tokens") == {"ix_tokens_entity", "ix_tokens_token_entity"}
        with engine.begin() as conn:  # the key still refuses a duplicate
            conn.exec_driver_sql(
                "INSERT INTO tokens (token, statement_id, entity_id) VALUES "
                "('zambada', 'st-3', 'p-3') ON CONFLICT (token, statement_id) DO NOTHING")
            conn.exec_driver_sql(
                "INSERT INTO tokens (token, statement_id, entity_id) VALUES "
                "('zambada', 'st-3', 'p-9') ON CONFLICT (token, statement_id) DO NOTHING")
        after = sorted([*TOKENS, ("zambada", "st-3", "p-3")])
        assert _tokens(engine) == after

        _migrate(engine, False, "0009@-1")
        assert _tokens(engine) == after
        assert "ix_records_schema" in _indexes(engine, "records")
        assert _indexes(engine, "tokens") == {"ix_tokens_entity", "ix_tokens_token_entity"}
        if sqlite:
            assert not _without_rowid(engine)

        _migrate(engine, True, "0009")  # (0031 rekeys the table again)
        assert _tokens(engine) == after
        if sqlite:
            assert _without_rowid(engine)
    finally:
        engine.dispose()
