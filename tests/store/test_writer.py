"""Writing records: batches, idempotence, versions, and the rows the store keeps."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update

from pgserver import pg_url
from statement_keys import TEST_KEYER
from tearline.errors import StoreError, ValidationError
from tearline.ingest.entities import Collector, read_jsonl
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import parties
from tearline.store import tables as t
from tearline.store.bulk import COPY_ROWS
from tearline.store.statement_key import statement_key
from tearline.store.store import Store
from tearline.store.writer import (
    BULK_CACHE_KIB_MAX,
    _batches,
    bulk_cache_kib,
    sqlite_bulk_cache,
    write_records,
)

SEEN = datetime(2024, 5, 3, tzinfo=UTC)
PROV = Provenance("us.dea", "us.dea.sod", SEEN, Reliability.B, Credibility.PROBABLY_TRUE)
PROV_LATER = Provenance("us.dea", "us.dea.sod", SEEN + timedelta(days=1), Reliability.B,
                        Credibility.PROBABLY_TRUE)
MARKING = Marking.build("AMBER")
PORTION = Marking.build("RED")


def _records(n: int, prov: Provenance = PROV) -> list[Record]:
    return [
        build_record(
            f"p-{i}", "Person",
            {"name": [f"Juan {i} GARCIA"], "alias": [f"EL {i}"], "nationality": ["Mexico"],
             "passportNumber": [f"G{i:07d}"], "notes": ["seen twice"]},
            prov, MARKING, portions={"notes": PORTION} if i % 3 == 0 else None, keyer=TEST_KEYER,
        )
        for i in range(n)
    ]


def _dump(store: Store) -> tuple[list[tuple[object, ...]], ...]:
    with store.reading() as conn:
        return tuple(
            [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
            for table in (t.records, t.statements, t.tokens, t.markings)
        )


def test_batches_cover_every_record_once() -> None:
    records = _records(10)
    for size in (1, 4, 5, 7, 50, 10_000):
        parts = list(_batches(records, size))
        assert [r for part in parts for r in part] == records
        assert all(sum(len(r.statements) for r in part) >= size for part in parts[:-1])


@pytest.mark.parametrize("batch", [7, COPY_ROWS + 100])
def test_batches_store_what_one_batch_stores(store: Store, batch: int) -> None:
    """Written whole, then again in batches (on PostgreSQL, batches of COPY_ROWS and more
    go through COPY, several in one transaction): the same rows, nothing new."""
    records = _records(900)
    with store.transaction() as conn:
        one = write_records(conn, records, batch=len(records) * 5)
    whole = _dump(store)
    assert one.statements_seen == sum(len(r.statements) for r in records) == one.statements_new
    # the same write, again and in batches of 7 statements: nothing new
    with store.transaction() as conn:
        again = write_records(conn, records, batch=batch)
    assert again.statements_new == 0 and again.records_new == 0 and again.records_changed == 0
    assert again.statements_seen == one.statements_seen
    assert _dump(store) == whole
    tokens = {row[0] for row in whole[2]}
    assert {"juan", "garcia", "g0000007"} <= tokens
    portions = [row for row in whole[1] if row[3] == "notes" and row[12] is not None]
    assert len(portions) == 300  # records 0, 3, …, 897


def test_rewrite_moves_last_seen_and_versions_grown_records(store: Store) -> None:
    with store.transaction() as conn:
        write_records(conn, _records(5), batch=3)
    later = Provenance("us.dea", "us.dea.sod", SEEN + timedelta(days=1), Reliability.B,
                       Credibility.PROBABLY_TRUE)
    grown = _records(5, later)
    grown[2] = build_record("p-2", "Person", {"name": ["Juan 2 GARCIA"], "weakAlias": ["EL 2B"]},
                            later, MARKING, keyer=TEST_KEYER)
    with store.transaction() as conn:
        summary = write_records(conn, grown, batch=3)
    assert summary.records_new == 0
    assert summary.records_changed == 1
    assert summary.statements_new == 1
    assert summary.changes[0][:2] == ("p-2", 2)
    given_again = {s.id for r in grown for s in r.statements}
    with store.reading() as conn:
        last = dict(conn.execute(select(t.statements.c.id, t.statements.c.last_seen)).all())
        version = conn.execute(select(t.records.c.version).where(t.records.c.id == "p-2"))
        assert version.scalar_one() == 2
    assert len(last) == 26
    for statement_id, seen in last.items():
        assert seen == t.ts(later.seen_at if statement_id in given_again else SEEN)


def test_bulk_cache_is_raised_for_the_write_and_set_back(tmp_path: Path) -> None:
    """A SQLite write of more than one batch runs with a page cache sized to it; the
    connection has its own size back afterwards, after a failed write too."""
    store = Store.open(f"sqlite:///{tmp_path / 'bulk.sqlite'}")
    small = -100  # KiB: smaller than what 300 statements get
    try:
        sizes: list[int] = []
        with store.transaction() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute(f"PRAGMA cache_size={small}")

            def remember(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
                if sql.startswith("INSERT"):  # the rows the write stores
                    sizes.append(raw.execute("PRAGMA cache_size").fetchone()[0])

            event.listen(conn, "before_cursor_execute", remember)
            write_records(conn, _records(60), batch=50)  # 300 statements, batches of 50
            event.remove(conn, "before_cursor_execute", remember)
            assert raw.execute("PRAGMA cache_size").fetchone()[0] == small
        assert set(sizes) == {-bulk_cache_kib(300)}
        with pytest.raises(StoreError), store.transaction() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute(f"PRAGMA cache_size={small}")
            write_records(conn, _records(60, PROV_LATER), batch=50)
            assert raw.execute("PRAGMA cache_size").fetchone()[0] == small
            conn.exec_driver_sql("SELECT * FROM no_such_table")
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == small
        # One batch or less: the connection's own cache, untouched.
        sizes.clear()
        with store.transaction() as conn:
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute(f"PRAGMA cache_size={small}")
            event.listen(conn, "before_cursor_execute", remember)
            write_records(conn, _records(60, PROV_LATER), batch=300)
            event.remove(conn, "before_cursor_execute", remember)
        assert set(sizes) == {small}
    finally:
        store.close()


def test_sqlite_bulk_cache_restores_on_error() -> None:
    raw = sqlite3.connect(":memory:")
    raw.execute("PRAGMA cache_size=-2000")
    with pytest.raises(RuntimeError), sqlite_bulk_cache(raw.execute, 100_000):
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == -bulk_cache_kib(100_000)
        raise RuntimeError("the write failed")
    assert raw.execute("PRAGMA cache_size").fetchone()[0] == -2000
    # Never shrunk: a cache already larger than the write needs is left alone.
    raw.execute("PRAGMA cache_size=-9000000")
    with sqlite_bulk_cache(raw.execute, 10):
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == -9000000
    assert bulk_cache_kib(10**9) == BULK_CACHE_KIB_MAX


# -- what no writer may write (store/write_guard.py) -----------------------------------------


def test_statements_of_another_schema_are_refused_in_an_existing_record(store: Store) -> None:
    store.write([build_record("p-1", "Person", {"name": ["Juan"]}, PROV, MARKING,
                              keyer=TEST_KEYER)])
    before = _dump(store)
    vessel = build_record("p-1", "Vessel", {"name": ["Lancha"], "imoNumber": ["IMO 9074729"]},
                          PROV_LATER, MARKING, keyer=TEST_KEYER)
    with pytest.raises(ValidationError) as info:
        store.write([vessel])
    assert [(p.column, p.message) for p in info.value.problems] == [(
        "schema", "p-1 is a record of schema Person; Vessel statements cannot be added to it")]
    assert _dump(store) == before


def test_a_new_record_in_another_units_namespace_is_refused(store: Store) -> None:
    planted = build_record("mx.fgr.femdo..p-1", "Person", {"name": ["Juan"]}, PROV, MARKING,
                           keyer=TEST_KEYER)
    with pytest.raises(ValidationError, match="lies in the namespace of mx.fgr.femdo"):
        store.write([planted])
    assert _dump(store)[0] == []
    # the unit itself creates it; anyone may then add statements (through the policy)
    fgr = Provenance("mx.fgr", "mx.fgr.femdo", SEEN)
    store.write([build_record("mx.fgr.femdo..p-1", "Person", {"name": ["Juan"]}, fgr, MARKING,
                              keyer=TEST_KEYER)])
    store.write([replace(planted, statements=planted.statements)])
    assert len(_dump(store)[0]) == 1


# -- a writer's file ids: a hidden record answers like a free id (store/placement.py) ---------

FEMDO = Subject("mx.fgr.femdo", "mx.fgr")
FGR = Provenance("mx.fgr", "mx.fgr.femdo", SEEN + timedelta(days=2))
FGR_FILE = "\n".join([
    '{"id": "p-9", "schema": "Vessel", "properties": {"name": ["Lancha"]}}',
    '{"id": "us.dea.sod..p-9", "schema": "Person", "properties": {"name": ["Planted"]}}',
    '{"id": "m-1", "schema": "Membership", "properties": {"member": ["p-9"], '
    '"organization": ["o-1"]}}',
    '{"id": "o-1", "schema": "Organization", "properties": {"country": ["mx"]}, '
    '"marking": {"tlp": "GREEN"}}',
])


@pytest.fixture
def worlds(db_url: str, tmp_path: Path, request: pytest.FixtureRequest
           ) -> Iterator[tuple[Store, Store]]:
    """Two stores that differ only in two DEA records hidden from mx.fgr.femdo."""
    other = (f"sqlite:///{tmp_path / 'other.sqlite'}" if db_url.startswith("sqlite")
             else pg_url(request.getfixturevalue("pg_server")))
    stores = Store.open(db_url), Store.open(other)
    # one node in two states: the same node secret (the statement ids derive from it)
    with stores[0].reading() as conn:
        key = conn.execute(select(statement_key.c.key)).scalar_one()
    with stores[1].transaction() as conn:
        conn.execute(update(statement_key).values(key=key))
    for n, store in enumerate(stores):
        with store.transaction() as conn:
            for agency, unit in (("us.dea", "us.dea.sod"), ("mx.fgr", "mx.fgr.femdo")):
                parties.put_agency(conn, Agency(agency, agency.upper(), agency[:2]), SEEN)
                parties.put_unit(conn, Unit(unit, agency, unit.upper()), SEEN)
        shared = [build_record("o-1", "Organization", {"name": ["Visible Org"]}, PROV,
                               Marking.build("GREEN"), keyer=TEST_KEYER)]
        hidden = [build_record(i, "Person", {"name": ["Hidden"]}, PROV,
                               Marking.build("AMBER+STRICT"), keyer=TEST_KEYER)
                  for i in ("p-9", "us.dea.sod..p-9")]
        store.write(shared + (hidden if n == 0 else []))
    yield stores
    for store in stores:
        store.close()


def _ingest(store: Store, text: str) -> tuple[Any, ...]:
    collector = Collector("fgr.jsonl", FGR, Marking.build("CLEAR"))
    read_jsonl(text.splitlines(), collector)
    placement = store.placement(FEMDO, FGR.seen_at, collector.ids())
    summary = store.write(collector.records(store.keyer, placement, FEMDO))
    seen = store.page(FEMDO, FGR.seen_at, limit=50)
    return placement, summary, seen


def _hidden_rows(dump: tuple[list[tuple[object, ...]], ...]) -> list[tuple[object, ...]]:
    records, statements = dump[0], dump[1]
    ids = ("p-9", "us.dea.sod..p-9")
    return [r for r in records if r[0] in ids] + [s for s in statements if s[1] in ids]


def test_a_hidden_id_is_placed_exactly_like_a_free_one(worlds: tuple[Store, Store]) -> None:
    hidden_world, free_world = worlds
    hidden_before = _dump(hidden_world)
    first = _ingest(hidden_world, FGR_FILE)
    assert first == _ingest(free_world, FGR_FILE)
    placement, summary, seen = first
    assert (summary.records_new, summary.records_changed) == (3, 1)
    assert [r.id for r in seen] == [
        "mx.fgr.femdo..m-1", "mx.fgr.femdo..p-9", "mx.fgr.femdo..us.dea.sod..p-9", "o-1"]
    assert {s.value for r in seen for s in r.statements if s.prop == "member"} == {
        "mx.fgr.femdo..p-9"}
    # the hidden records hold exactly what they held: heads (version) and statements
    assert _hidden_rows(_dump(hidden_world)) == _hidden_rows(hidden_before)
    # the same file again adds nothing, in both worlds alike
    again = _ingest(hidden_world, FGR_FILE)
    assert again == _ingest(free_world, FGR_FILE)
    assert (again[1].records_new, again[1].records_changed, again[1].statements_new) == (0, 0, 0)
