"""Migration 0024: peers recorded before it are tearline nodes; the flag is kept per peer."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect

from tearline.store.engine import _alembic_config, make_engine
from tearline.store.peers import peers


def _migrate(engine: Engine, up: bool, target: str) -> None:
    with engine.begin() as conn:
        (command.upgrade if up else command.downgrade)(_alembic_config(conn), target)


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("peers")}


def test_peers_recorded_before_are_tearline_nodes(db_url: str) -> None:
    engine = make_engine(db_url)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    try:
        _migrate(engine, True, "0018")
        _migrate(engine, True, "0007")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO peers (name, agency, unit, verifier_key, cert_sha256, "
                "tls_certificate, url, added_at, added_by) VALUES "
                f"({', '.join([mark] * 9)})",
                ("old", "mx.semar", "mx.semar.uie", "old+0000+key", "0" * 64, "pem",
                 "https://old.test", "2025-01-01T00:00:00.000000Z", "system"))
        assert "tearline_node" not in _columns(engine)
        _migrate(engine, True, "heads")
        with engine.connect() as conn:
            (old,) = peers(conn)
        assert old.name == "old" and old.tearline_node
        _migrate(engine, False, "0024-1")
        assert "tearline_node" not in _columns(engine)
    finally:
        engine.dispose()
