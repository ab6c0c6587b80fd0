"""Pull client state on both backends: sources, cursors, received versions, receipts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from statement_keys import TEST_KEYER
from tearline.errors import ValidationError
from tearline.store import sync_state as ss
from tearline.store import sync_tables
from tearline.store import tables as t
from tearline.store.store import Store

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)


def test_sources_are_append_only_and_the_newest_row_holds(store: Store) -> None:
    with store.transaction() as conn:
        ss.add_source(conn, ss.Source("med", "us.treasury", "http://127.0.0.1:5000/taxii2/",
                                      "u", "MED_PASSWORD"), T0, "system")
        ss.add_source(conn, ss.Source("med", "us.treasury", "http://127.0.0.1:5001/taxii2/"),
                      T0 + timedelta(1), "system")
        ss.add_source(conn, ss.Source("other", "mx.fgr", "https://x.example/taxii2/"), T0,
                      "system")
    with store.reading() as conn:
        found = ss.source_by_name(conn, "med")
        assert found is not None and found.url.endswith(":5001/taxii2/")
        assert found.username is None
        assert [s.name for s in ss.sources(conn)] == ["med", "other"]
    with store.transaction() as conn:
        assert ss.remove_source(conn, "med", T0 + timedelta(2), "system")
        assert not ss.remove_source(conn, "nobody", T0, "system")
    with store.reading() as conn:
        assert ss.source_by_name(conn, "med") is None
        assert len(conn.execute(sync_tables.sync_sources.select()).all()) == 4  # nothing rewritten


def test_a_source_needs_an_http_url(store: Store) -> None:
    with store.transaction() as conn:
        try:
            ss.add_source(conn, ss.Source("f", "a", "file:///etc/passwd"), T0, "system")
        except ValidationError as exc:
            assert "http" in exc.message
        else:
            raise AssertionError("a file URL was accepted")


def test_cursor_moves_forward_only_and_is_per_partner_and_collection(store: Store) -> None:
    with store.transaction() as conn:
        assert ss.cursor(conn, "p", "c1") is None
        ss.set_cursor(conn, "p", "c1", "https://p/r/", "2026-01-01T00:00:00.000002Z", T0)
        ss.set_cursor(conn, "p", "c1", "https://p/r/", "2026-01-01T00:00:00.000001Z", T0)
        ss.set_cursor(conn, "p", "c2", "https://p/r/", "2025-01-01T00:00:00.000000Z", T0)
        ss.set_cursor(conn, "q", "c1", "https://q/r/", "2024-01-01T00:00:00.000000Z", T0)
    with store.reading() as conn:
        assert ss.cursor(conn, "p", "c1") == "2026-01-01T00:00:00.000002Z"
        assert ss.cursor(conn, "p", "c2") == "2025-01-01T00:00:00.000000Z"
        assert len(ss.cursors(conn, "p")) == 2 and len(ss.cursors(conn)) == 3


def test_received_versions_are_kept_once_per_partner(store: Store) -> None:
    a = ss.Received("identity--1", "2026-01-01T00:00:00.000Z", "e1", "stored")
    b = ss.Received("identity--1", "2026-01-02T00:00:00.000Z", "e1", "stored")
    with store.transaction() as conn:
        ss.mark_received(conn, "p", "c", [a], T0)
        ss.mark_received(conn, "p", "c", [a, b], T0)  # a again: no error, no duplicate
    with store.reading() as conn:
        keys = [(a.object_id, a.version), (b.object_id, b.version), ("x--2", "v")]
        assert ss.already_received(conn, "p", keys) == set(keys[:2])
        assert ss.already_received(conn, "q", keys) == set()
        assert ss.received(conn, "p") == [a, b]


def test_definitions_and_pending_receipts(store: Store) -> None:
    definition = {"type": "marking-definition", "id": "marking-definition--1", "name": "ñ"}
    with store.transaction() as conn:
        ss.keep_definitions(conn, "p", [definition, definition])
        ss.add_receipt(conn, "r1", "p", "https://p/r/tearline/receipts/", {"n": 1}, T0)
        ss.add_receipt(conn, "r2", "p", "https://p/r/tearline/receipts/", {"n": 2},
                       T0 + timedelta(seconds=1))
    with store.transaction() as conn:
        assert ss.definitions(conn, "p") == [definition]
        assert [r[0] for r in ss.pending_receipts(conn, "p")] == ["r1", "r2"]
        ss.receipt_sent(conn, "r1", T0)
        assert [r[2] for r in ss.pending_receipts(conn, "p")] == [{"n": 2}]
        assert ss.pending_receipts(conn, "q") == []


def test_a_purge_deletes_only_what_the_partner_delivered_and_never_our_own(
        store: Store) -> None:
    from tearline.model.marking import Marking
    from tearline.model.record import build_record
    from tearline.model.statement import Provenance

    def person(origin: str, name: str) -> object:
        return build_record("p-1", "Person", {"name": [name]},
                            Provenance(origin, origin + ".u", T0), Marking.build("GREEN"),
                                keyer=TEST_KEYER)

    theirs, ours = person("mx.semar", "nombre"), person("us.dea", "name")
    phone = build_record("ph-1", "Phone", {"number": ["+525512345678"], "user": ["p-1"]},
                         Provenance("mx.semar", "mx.semar.u", T0), Marking.build("GREEN"),
                             keyer=TEST_KEYER)
    store.write([theirs, phone])  # type: ignore[list-item]
    store.write([ours])  # type: ignore[list-item]
    with store.transaction() as conn:
        ss.mark_received(conn, "semar", "c", [
            ss.Received("identity--1", "v1", "p-1", "stored"),
            ss.Received("infrastructure--1", "v1", "ph-1", "stored")], T0)
        assert ss.delivered_by(conn, "semar", "p-1")
        assert not ss.delivered_by(conn, "fgr", "p-1")
        purged = ss.purge_delivered(conn, "semar", "p-1", "us.dea")
    user = [s.id for s in phone.statements if s.prop == "user"]
    assert purged == sorted([s.id for s in theirs.statements] + user)  # type: ignore[attr-defined]
    with store.reading() as conn:
        left = conn.execute(select(t.statements.c.entity_id, t.statements.c.origin)).all()
        assert sorted(map(tuple, left)) == [("p-1", "us.dea"), ("ph-1", "mx.semar")]
        assert sorted(conn.execute(select(t.records.c.id)).scalars()) == ["p-1", "ph-1"]
        assert [r.entity_id for r in ss.received(conn, "semar")] == ["ph-1"]
    with store.transaction() as conn:  # without our own statements, the record goes too
        ss.purge_delivered(conn, "semar", "p-1", None)
        ss.purge_delivered(conn, "semar", "ph-1", None)
    with store.reading() as conn:
        assert conn.execute(select(t.records.c.id)).scalars().all() == []
        assert conn.execute(select(t.tokens.c.token)).scalars().all() == []
