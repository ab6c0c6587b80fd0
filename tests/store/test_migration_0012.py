"""Migration 0012: a workspace written with unkeyed statement ids keeps working.

The database is built at the revisions before 0012 and written with the old ids
(unkeyed SHA-1 of the content) by the store of today, which writes the ids it is
given: records, statements, search tokens, a release and a portion's marking change.
After the upgrade every id is the node's keyed one, in every table that names
statements; reads, the release and search still work; re-ingesting adds nothing; and
going back down restores the old ids exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import Engine, inspect

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking, Selector
from tearline.model.parties import Agency, Agreement, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import parties, releases
from tearline.store.engine import _alembic_config, make_engine, upgrade
from tearline.store.marking_changes import set_marking
from tearline.store.references import sync_reference_properties
from tearline.store.store import Store

T = datetime(2024, 5, 1, tzinfo=UTC)
DEA = Subject("us.dea.sod", "us.dea")
FGR = Subject("mx.fgr.femdo", "mx.fgr")
#: Every revision before 0012 (each brings its ancestors and dependencies).
#: Every other head: the workspace is current but for 0012 (the tables the model writes).
BEFORE = ("0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011",
          "0018", "0019",
          "0027",  # a release reads which agreements need a second officer
          "0031")  # the writer keys search tokens (token, entity_id, statement_id)
#: Where statement ids are stored: (table, column).
COLUMNS = (("statements", "id"), ("tokens", "statement_id"),
           ("release_items", "statement_id"), ("marking_changes", "statement_id"))


def old_id(entity_id: str, prop: str, value: str, origin: str, author: str) -> str:
    content = f"{entity_id}\x1f{prop}\x1f{value}\x1f{origin}\x1f{author}".encode()
    return "st-" + hashlib.sha1(content, usedforsecurity=False).hexdigest()


def person(keyer: object = TEST_KEYER) -> Record:
    marking = Marking.build("AMBER", ["agency:us.dea"])
    return build_record(
        "p1", "Person", {"name": ["Ana BELTRAN Lopez"], "birthDate": ["1970-01-02"],
                         "nationality": ["mx"]},
        Provenance("us.dea", "us.dea.sod", T), marking, keyer=keyer)  # type: ignore[arg-type]


def with_old_ids(record: Record) -> Record:
    return replace(record, statements=tuple(
        replace(s, id=old_id(s.entity_id, s.prop, s.value, s.origin, s.author))
        for s in record.statements))


def ids(engine: Engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {f"{table}.{column}": sorted(conn.exec_driver_sql(
            f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL").scalars())
            for table, column in COLUMNS}


def build_old_workspace(db_url: str) -> Engine:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        for revision in BEFORE:
            command.upgrade(_alembic_config(conn), revision)
        sync_reference_properties(conn)
        for agency in ("us.dea", "mx.fgr"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for s in (DEA, FGR):
            parties.put_unit(conn, Unit(s.unit, s.agency, s.unit), T)
        parties.put_agreement(conn, Agreement("mlat", "MLAT", "mlat",
                                              frozenset({"us.dea", "mx.fgr"})), T)
    store = Store(engine)
    store.write([with_old_ids(person())])
    with store.transaction() as conn:
        releases.release(conn, DEA, "p1", Selector.parse("unit:mx.fgr.femdo"), "mlat",
                         T + timedelta(hours=1), "test")
        set_marking(conn, DEA, "p1", "birthDate",
                    Marking.build("RED", ["unit:us.dea.sod"]), T + timedelta(hours=2))
    store.close()
    return engine


def test_the_upgrade_rekeys_every_stored_id_and_the_workspace_keeps_working(
        db_url: str) -> None:
    engine = build_old_workspace(db_url)
    try:
        before = ids(engine)
        old = {old_id(*[s.entity_id, s.prop, s.value, s.origin, s.author])
               for s in person().statements}
        assert set(before["statements.id"]) == old
        assert before["release_items.statement_id"] and before["marking_changes.statement_id"]
        assert set(before["tokens.statement_id"]) <= old

        upgrade(engine)
        after = ids(engine)
        store = Store(engine)
        keyer = store.keyer
        new = {s.id for s in person(keyer).statements}
        assert set(after["statements.id"]) == new and not new & old
        for column, values in after.items():  # the same rows, each renamed
            assert len(values) == len(before[column]) and set(values) <= new, column
        rename = {old_id(s.entity_id, s.prop, s.value, s.origin, s.author): s.id
                  for s in person(keyer).statements}
        assert after == {c: sorted(rename[v] for v in vs) for c, vs in before.items()}

        # reads, the release, the portion's marking and search work as before
        at = T + timedelta(hours=3)
        seen = store.read(FGR, at, "p1")
        assert {s.prop for s in seen.statements} == {"name", "nationality"}  # RED: not fgr's
        assert {s.id for s in seen.statements} <= new
        assert {s.prop for s in store.read(DEA, at, "p1").statements} == {
            "name", "birthDate", "nationality"}
        assert [r.id for r in store.search(DEA, at, "beltran")] == ["p1"]
        # re-ingesting the same record, built with the node's keyer, adds nothing
        summary = store.write([person(keyer)])
        assert (summary.records_new, summary.records_changed, summary.statements_new) == (
            0, 0, 0)
        assert ids(engine) == after
        store.close()

        # down: the unkeyed ids come back, exactly
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0012@-1")
        assert ids(engine) == before
        tables = set(inspect(engine).get_table_names())
        assert "statement_key" not in tables and "statement_rekey" not in tables
    finally:
        engine.dispose()
