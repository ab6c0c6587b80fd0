"""Migration 0019: statements stored before it take their record's latest write time from
the audit log (the feed's position until then), and the feed walks them in order."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import Engine, inspect

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store.engine import _alembic_config, make_engine
from tearline.store.store import Store

T = datetime(2024, 5, 1, tzinfo=UTC)


def _migrate(engine: Engine, up: bool, target: str) -> None:
    with engine.begin() as conn:
        (command.upgrade if up else command.downgrade)(_alembic_config(conn), target)


def test_statements_stored_before_take_their_records_latest_write_time(db_url: str) -> None:
    store = Store.open(db_url)
    dea = Provenance("us.dea", "us.dea.sod", T)
    try:
        store.write([build_record("p1", "Person", {"name": ["Ana"]}, dea,
                                  Marking.build("AMBER"), keyer=TEST_KEYER)])
        store.write([build_record("p1", "Person", {"name": ["Ana María"]}, dea,
                                  Marking.build("AMBER"), keyer=TEST_KEYER),
                     build_record("p2", "Person", {"name": ["Beto"]}, dea,
                                  Marking.build("AMBER"), keyer=TEST_KEYER)])
        with store.reading() as conn:
            entries = dict(conn.exec_driver_sql(
                "SELECT entity_id, max(at) FROM audit_entries WHERE kind IN "
                "('record.created', 'record.updated') GROUP BY entity_id").all())
    finally:
        store.close()
    engine = make_engine(db_url)
    try:
        _migrate(engine, False, "0018")
        assert "added_at" not in {c["name"] for c in inspect(engine).get_columns("statements")}
        with engine.connect() as conn:  # 0019 undone (and what rests on 0018): 0012 stays
            heads = {v for (v,) in conn.exec_driver_sql("SELECT * FROM alembic_version")}
        assert "0012" in heads and "0019" not in heads
        _migrate(engine, True, "heads")
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT entity_id, added_at FROM statements").all()
            indexes = {i["name"] for i in inspect(conn).get_indexes("statements")}
    finally:
        engine.dispose()
    assert len(rows) == 3 and "ix_statements_added" in indexes
    assert {(entity, added) for entity, added in rows} == {
        ("p1", entries["p1"]), ("p2", entries["p2"])}
