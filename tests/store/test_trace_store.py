"""Leak tracing in the store, on every backend (``store/trace_store.py``, migration 0028)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import Store, audit_log, trace_store
from tearline.trace.fingerprint import SECRET_BYTES
from tearline.trace.honey import canary

T = datetime(2025, 3, 1, tzinfo=UTC)
DEA = Provenance("us.dea", "us.dea.sod", T)


def _kinds(store: Store, kind: str) -> list[dict[str, object]]:
    with store.reading() as conn:
        return [json.loads(e.body) for e in audit_log.entries(conn, limit=10_000)
                if e.kind == kind]


def test_each_node_has_its_own_secret(store: Store, tmp_path: Path) -> None:
    other = Store.open(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        with store.reading() as a, other.reading() as b:
            mine, theirs = trace_store.fingerprinter(a), trace_store.fingerprinter(b)
    finally:
        other.close()
    assert mine.mark("unit:x.y", "json") != theirs.mark("unit:x.y", "json")
    assert SECRET_BYTES == 32


def test_a_release_is_indexed_once_and_logged_each_time(store: Store) -> None:
    with store.reading() as conn:
        mark = trace_store.fingerprinter(conn).mark("unit:mx.fgr.aic", "csv")
    for n in (3, 4):
        with store.transaction() as conn:
            trace_store.record_copy(conn, "unit:mx.fgr.aic", "csv", mark, n, "unit:mx.fgr.aic",
                                    T)
    with store.reading() as conn:
        [found] = trace_store.released(conn, [mark, "TL-AAAA-AAAA-AAAA"])
        assert trace_store.recipients(conn) == ["unit:mx.fgr.aic"]
    assert (found.recipient, found.channel) == ("unit:mx.fgr.aic", "csv")
    logged = _kinds(store, "trace.copy")
    assert [e["record_count"] for e in logged] == [3, 4] and logged[0]["mark"] == mark


def test_public_records_are_told_apart(store: Store) -> None:
    store.write([build_record("p-open", "Person", {"name": ["Ana"]}, DEA, Marking.build("CLEAR"),
                              keyer=TEST_KEYER),
                 build_record("p-shut", "Person", {"name": ["Eva"]}, DEA,
                              Marking.build("AMBER"), keyer=TEST_KEYER)])
    with store.reading() as conn:
        assert trace_store.public_records(conn, ["p-open", "p-shut", "nope"]) == {"p-open"}


def test_a_canary_returned_by_another_unit_raises_one_alert(store: Store) -> None:
    with store.reading() as conn:
        made = canary(trace_store.fingerprinter(conn), "unit:mx.semar.uie", "1")
    with store.transaction() as conn:
        trace_store.plant(conn, made, "unit:mx.semar.uie", "analyst:ana@us.dea.sod", T)
        own = trace_store.check_return(conn, "analyst:luis@mx.semar.uie", "search", T,
                                       texts=[made.name])
        planter = trace_store.check_return(conn, "unit:us.dea.sod", "search", T,
                                           texts=[made.phone])
        other = trace_store.check_return(conn, "unit:mx.fgr.aic", "import", T,
                                         texts=[f"x {made.entity_id} y"])
    assert own == planter == []
    assert [(a.recipient, a.returned_by, a.path, a.selector) for a in other] == [
        ("unit:mx.semar.uie", "unit:mx.fgr.aic", "import", "record")]
    with store.reading() as conn:
        assert trace_store.alerts(conn) == other and trace_store.alert_count(conn) == 1
    assert [e["kind"] for e in _kinds(store, "trace.planted")] == ["trace.planted"]
    assert _kinds(store, "trace.alert")[0]["returned_by"] == "unit:mx.fgr.aic"
