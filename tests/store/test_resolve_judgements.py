"""Judgements on resolution in the store (store/resolve_judgements.py, migration 0025):
append-only, the latest visible one per pair counts, marked, shown only with both records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import Engine, inspect

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import Visibility, parties, resolve_judgements
from tearline.store.engine import _alembic_config, make_engine
from tearline.store.store import Store

AT = datetime(2026, 3, 1, tzinfo=UTC)
SOD = Subject("us.dea.sod", "us.dea", "ana@us.dea.sod")
SDFD = Subject("us.dea.sdfd", "us.dea")
RED_SOD = Marking.build("RED", ["unit:us.dea.sod"])
AMBER_DEA = Marking.build("AMBER", ["agency:us.dea"])


def _world(store: Store) -> None:
    with store.transaction() as conn:
        parties.put_agency(conn, Agency("us.dea", "DEA", "us"), AT - timedelta(days=2))
        for unit in ("us.dea.sod", "us.dea.sdfd"):
            parties.put_unit(conn, Unit(unit, "us.dea", unit), AT - timedelta(days=2))
    prov = Provenance("us.dea", "us.dea.sod", AT - timedelta(days=1))
    store.write([
        build_record("p-1", "Person", {"name": ["Rafael Caro Quintero"]}, prov,
                     Marking.build("GREEN"), keyer=TEST_KEYER),
        build_record("p-2", "Person", {"name": ["CARO QUINTERO, Rafael"]}, prov,
                     Marking.build("GREEN"), keyer=TEST_KEYER),
        build_record("p-red", "Person", {"name": ["Rafael Caro"]}, prov, RED_SOD,
                     keyer=TEST_KEYER),
    ])


def _seen(store: Store, subject: Subject) -> dict[tuple[str, str], str]:
    with store.reading() as conn:
        found = resolve_judgements.visible(conn, Visibility(subject, AT))
    return {k: j.judgement for k, j in found.items()}


def test_judgements_are_appended_marked_and_shown_only_with_both_records(store: Store) -> None:
    _world(store)
    with store.transaction() as conn:
        resolve_judgements.add(conn, SOD, "p-2", "p-1", "no-match", "two men", AMBER_DEA,
                               AT - timedelta(hours=3))
        resolve_judgements.add(conn, SOD, "p-1", "p-2", "match", "undo", RED_SOD,
                               AT - timedelta(hours=2))
        resolve_judgements.add(conn, SOD, "p-1", "p-red", "match", "same", AMBER_DEA,
                               AT - timedelta(hours=1))
    # SOD sees its latest judgement (the undo); the pair is stored in one order
    assert _seen(store, SOD) == {("p-1", "p-2"): "match", ("p-1", "p-red"): "match"}
    # SDFD may not see the RED undo: the AMBER judgement before it is the latest it sees;
    # and it does not see p-red, so no judgement naming it
    assert _seen(store, SDFD) == {("p-1", "p-2"): "no-match"}
    with store.reading() as conn:
        rows = conn.execute(resolve_judgements.judgements.select()).all()
    assert len(rows) == 3 and {r.judged_by for r in rows} == {"ana@us.dea.sod"}


def _migrate(engine: Engine, up: bool, target: str) -> None:
    with engine.begin() as conn:
        (command.upgrade if up else command.downgrade)(_alembic_config(conn), target)


def test_migration_0025_adds_the_table_and_takes_it_back(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        _migrate(engine, True, "heads")
        assert "resolve_judgements" in inspect(engine).get_table_names()
        _migrate(engine, False, "0025-1")
        assert "resolve_judgements" not in inspect(engine).get_table_names()
        _migrate(engine, True, "heads")
        assert "resolve_judgements" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
