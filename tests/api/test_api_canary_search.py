"""A canary searched for through the API raises an alert; a node without canaries checks
with one read (``api/routes/trace.py``, ``check_returned_async``), on each backend."""

from __future__ import annotations

from datetime import UTC, datetime

from apiworld import Api

from tearline.store import trace_store
from tearline.trace.honey import canary

T = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_a_searched_canary_alerts_and_other_searches_do_not(api: Api) -> None:
    store = api.store
    with store.reading() as conn:
        assert not trace_store.any_planted(conn)
        made = canary(trace_store.fingerprinter(conn), "unit:mx.semar.uie", "1")
    assert api.get(f"/api/v1/search?q={made.name}", "us.dea.sod").status_code == 200
    with store.transaction() as conn:  # nothing planted yet: a name like any other
        assert trace_store.alert_count(conn) == 0
        trace_store.plant(conn, made, "unit:mx.semar.uie", "analyst:ana@mx.semar.uie", T)
    with store.reading() as conn:
        assert trace_store.any_planted(conn)
    assert api.get("/api/v1/search?q=garcia", "us.dea.sod").status_code == 200
    with store.reading() as conn:
        assert trace_store.alert_count(conn) == 0
    assert api.get(f"/api/v1/search?q={made.name}", "us.dea.sod").status_code == 200
    with store.reading() as conn:
        (alert,) = trace_store.alerts(conn)
    assert (alert.entity_id, alert.recipient, alert.returned_by, alert.path) == (
        made.entity_id, "unit:mx.semar.uie", "unit:us.dea.sod", "search")
