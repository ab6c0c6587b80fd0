"""Migration 0018: agreements get a period in force; those recorded before stay in force."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, inspect

from tearline.model.parties import Agreement
from tearline.store import parties
from tearline.store.engine import _alembic_config, make_engine, needs_upgrade

T = datetime(2024, 5, 1, tzinfo=UTC)


def _migrate(engine: Engine, up: bool, target: str) -> None:
    with engine.begin() as conn:
        (command.upgrade if up else command.downgrade)(_alembic_config(conn), target)


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("agreements")}


def test_an_agreement_recorded_before_stays_in_force_and_can_be_given_an_end(
        db_url: str) -> None:
    engine = make_engine(db_url)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    try:
        _migrate(engine, True, "0011")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO agreements (id, title, kind, parties, recorded_at) VALUES "
                f"({mark}, {mark}, {mark}, {mark}, {mark})",
                ("fw", "Framework", "bilateral", "mx.semar,us.dea", "2020-01-01T00:00:00.000000Z"))
        assert not {"valid_from", "valid_until"} & _columns(engine)

        assert needs_upgrade(engine)
        _migrate(engine, True, "heads")
        with engine.begin() as conn:
            (before,) = parties.agreements(conn)
            assert before == Agreement("fw", "Framework", "bilateral",
                                       frozenset({"mx.semar", "us.dea"}))
            assert before.in_force(T)
            parties.put_agreement(conn, Agreement("fw", "Framework", "bilateral",
                                                  before.parties, valid_until=T), T)
            (ended,) = parties.agreements(conn)
            assert ended.valid_until == T and not ended.in_force(T)

        _migrate(engine, False, "0018-1")
        assert not {"valid_from", "valid_until"} & _columns(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM agreements").scalar_one() == 2
    finally:
        engine.dispose()
