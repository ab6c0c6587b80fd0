"""The limit middleware, cursors and failure counters on their own."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import httpx
import pytest
from apiworld import build_api
from starlette.types import Receive, Scope, Send

from tearline.api.cursors import CursorBox
from tearline.api.limits import Timeout
from tearline.api.ratelimit import SlidingWindow
from tearline.audit.envelope import Event
from tearline.errors import RateLimited, ValidationError
from tearline.store import audit_log


async def _slow(scope: Scope, receive: Receive, send: Send) -> None:
    await asyncio.sleep(5)


def test_timeout_answers_in_the_envelope() -> None:
    app = Timeout(_slow, seconds=0.05)

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/")

    answer = asyncio.run(call())
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "store_unavailable"


def test_cursors_are_sealed_and_bound() -> None:
    box = CursorBox()
    query: dict[str, str | None] = {"q": "garcia", "schema": None}
    a = box.seal("rec-1", "mx.semar.uie", "search", query)
    b = box.seal("rec-1", "mx.semar.uie", "search", query)
    long_id = box.seal("r" * 120, "mx.semar.uie", "search", query)
    assert a != b and len(a) == len(long_id) and "rec" not in a
    assert box.open(a, "mx.semar.uie", "search", query) == "rec-1"
    for unit, op, q in [("us.dea.sod", "search", query), ("mx.semar.uie", "list", query),
                        ("mx.semar.uie", "search", {"q": "garci", "schema": None})]:
        with pytest.raises(ValidationError):
            box.open(a, unit, op, q)
    with pytest.raises(ValidationError):
        CursorBox().open(a, "mx.semar.uie", "search", query)
    for junk in ("", "!!!", "AAAA", a[:-4]):
        with pytest.raises(ValidationError):
            box.open(junk, "mx.semar.uie", "search", query)


def test_sliding_window() -> None:
    now = [0.0]
    window = SlidingWindow(limit=2, window_seconds=10, clock=lambda: now[0])
    window.check("k", "address")
    window.fail("k")
    window.fail("k")
    with pytest.raises(RateLimited) as caught:
        window.check("k", "address")
    assert caught.value.retry_after == 10
    window.check("other", "address")
    now[0] = 9.5
    with pytest.raises(RateLimited):
        window.check("k", "address")
    now[0] = 10.01
    window.check("k", "address")


def test_a_read_cut_off_by_the_timeout_leaves_the_node_serving(db_url: str) -> None:
    """The timeout cancels a read waiting for its audit commit; its entry is still
    written, and the reads after it are answered (the group writer keeps running)."""
    api = build_api(db_url, request_timeout_seconds=0.3)
    try:
        made = api.post("/api/v1/entities", "mx.semar.uie", json={
            "schema": "Person", "properties": {"name": ["Rafael Caro Quintero"]},
            "marking": {"tlp": "GREEN"}})
        assert made.status_code == 201, made.text
        url = f"/api/v1/entities/{made.json()['id']}"
        group = api.store._group
        write = group._write
        slowed: list[int] = []

        def slow_once(events: Sequence[Event]) -> None:
            if not slowed:
                slowed.append(len(events))
                time.sleep(1.0)  # past the request's timeout
            write(events)

        group._write = slow_once  # type: ignore[method-assign]
        with api.store.reading() as conn:
            before = audit_log.size(conn)
        cut = api.get(url, "us.dea.sod")
        assert cut.status_code == 503
        assert cut.json()["error"]["code"] == "store_unavailable"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the cut read's entry is written all the same
            with api.store.reading() as conn:
                if audit_log.size(conn) > before:
                    break
            time.sleep(0.05)
        with api.store.reading() as conn:
            assert audit_log.size(conn) == before + 1
        after = api.get(url, "us.dea.sod")
        assert after.status_code == 200, after.text
        with api.store.reading() as conn:
            assert audit_log.size(conn) == before + 2
    finally:
        api.close()
        api.store.close()
