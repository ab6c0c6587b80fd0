"""The limit middleware, cursors and failure counters on their own."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from tearline.api.cursors import CursorBox
from tearline.api.limits import Timeout
from tearline.api.ratelimit import SlidingWindow
from tearline.errors import RateLimited, ValidationError


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
