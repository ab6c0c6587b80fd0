"""Migration 0031: tokens keyed (token, entity_id, statement_id), exact keys added.

The tokens stored before it are all there after it, with one exact key per statement
of at most eight distinct tokens, computed as a write computes it; going back down
removes the keys and restores the old key.
"""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, inspect

from tearline.store.engine import _alembic_config, make_engine
from tearline.store.tokens import exact_key

CASES = json.loads((Path(__file__).parent / "data" / "migration_0031_tokens.json").read_text())
TOKENS = [tuple(row) for row in CASES["tokens"]]
KEYS = [tuple(row) for row in CASES["keys"]]


def _migrate(engine: Engine, up: bool, target: str) -> None:
    with engine.begin() as conn:
        (command.upgrade if up else command.downgrade)(_alembic_config(conn), target)


def _tokens(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT token, statement_id, entity_id FROM tokens")
        return sorted(tuple(r) for r in rows)


def _key(engine: Engine) -> list[str]:
    key = inspect(engine).get_pk_constraint("tokens")["constrained_columns"]
    return list(key)


def test_the_keys_written_are_the_writes_keys() -> None:
    """The expected keys in the data file are what :func:`exact_key` computes (so the
    migration test below checks the migration against the write path)."""
    by_statement: dict[tuple[str, str], list[str]] = {}
    for token, statement_id, entity_id in TOKENS:
        by_statement.setdefault((statement_id, entity_id), []).append(token)
    computed = sorted((key, sid, eid) for (sid, eid), words in by_statement.items()
                      if (key := exact_key(words)) is not None)
    assert computed == sorted(KEYS)


def test_tokens_rekeyed_with_exact_keys_both_ways(db_url: str) -> None:
    engine = make_engine(db_url)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    try:
        _migrate(engine, False, "base")  # a database handed on with a schema: start bare
        _migrate(engine, True, "0018")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                f"INSERT INTO tokens (token, statement_id, entity_id) VALUES ({mark}, {mark}, "
                f"{mark})", TOKENS)
        assert _key(engine) == ["token", "statement_id"]

        _migrate(engine, True, "0031")
        assert _key(engine) == ["token", "entity_id", "statement_id"]
        assert _tokens(engine) == sorted([*TOKENS, *KEYS])
        assert {ix["name"] for ix in inspect(engine).get_indexes("tokens")} == {
            "ix_tokens_entity"}

        _migrate(engine, False, "0031@-1")
        assert _key(engine) == ["token", "statement_id"]
        assert _tokens(engine) == sorted(TOKENS)
    finally:
        engine.dispose()
