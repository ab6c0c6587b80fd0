"""Migration 0021: witness state per log key; rows witnessed before it keep counting."""

from __future__ import annotations

from alembic import command
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, inspect

from tearline.audit.checkpoint import Checkpoint, add_cosignature, sign_note
from tearline.store import audit_checkpoints
from tearline.store.engine import _alembic_config, make_engine, needs_upgrade

ORIGIN = "vm/tearline"  # the host-named keys of workspaces made before keys were per node


def _migrate(engine: Engine, up: bool, target: str) -> None:
    with engine.begin() as conn:
        (command.upgrade if up else command.downgrade)(_alembic_config(conn), target)


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("audit_witnessed")}


def test_a_checkpoint_witnessed_before_is_the_state_of_the_key_that_signed_it(
        db_url: str) -> None:
    log_key, witness_key = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    note = add_cosignature(sign_note(Checkpoint(ORIGIN, 7, b"\x07" * 32), ORIGIN, log_key),
                           "witness.mx", witness_key)
    engine = make_engine(db_url)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    try:
        _migrate(engine, True, "heads")
        _migrate(engine, False, "0021-1")
        assert "log_key_id" not in _columns(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO audit_witnessed (origin, size, root, note, recorded_at) VALUES "
                f"({mark}, {mark}, {mark}, {mark}, {mark})",
                (ORIGIN, 7, b"\x07" * 32, note, "2026-01-01T00:00:00.000000Z"))
        assert needs_upgrade(engine)
        _migrate(engine, True, "heads")
        assert "log_key_id" in _columns(engine)
        with engine.connect() as conn:
            kept = audit_checkpoints.last_witnessed(conn, ORIGIN, log_key.public_key())
            other = audit_checkpoints.last_witnessed(
                conn, ORIGIN, Ed25519PrivateKey.generate().public_key())
        assert kept == Checkpoint(ORIGIN, 7, b"\x07" * 32) and other is None
    finally:
        engine.dispose()
