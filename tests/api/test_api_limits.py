"""The limit middleware, cursors and failure counters on their own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
from apiworld import CutOff, build_api
from starlette.types import Receive, Scope, Send

from store_template import copy_to
from tearline.api.limits import Timeout
from tearline.api.ratelimit import SlidingWindow
from tearline.audit.envelope import Event
from tearline.cursors import CursorBox
from tearline.errors import RateLimited, ValidationError
from tearline.store import audit_log

#: Only how long a broken test hangs before it fails; nothing waits for it to pass.
HANG = 300.0

async def _never(scope: Scope, receive: Receive, send: Send) -> None:
    await asyncio.Event().wait()  # an app that never answers: only the timeout can


def test_timeout_answers_in_the_envelope() -> None:
    app = Timeout(_never, seconds=0.05)

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


def test_a_read_cut_off_by_the_timeout_leaves_the_node_serving(
        db_url: str, store_template: Path) -> None:
    """The timeout cancels a read waiting for its audit commit; its entry is still
    written, and the reads after it are answered (the group writer keeps running).

    The read is cut off exactly while its entry is being written: the write waits
    until the test has seen the 503, so no step depends on how fast anything runs.
    """
    cutoff = CutOff()
    api = build_api(copy_to(store_template, db_url), deadline=cutoff)
    try:
        made = api.post("/api/v1/entities", "mx.semar.uie", json={
            "schema": "Person", "properties": {"name": ["Rafael Caro Quintero"]},
            "marking": {"tlp": "GREEN"}})
        assert made.status_code == 201, made.text
        url = f"/api/v1/entities/{made.json()['id']}"
        group = api.store._group
        write = group._write
        release, written = threading.Event(), threading.Event()
        held: list[int] = []

        def held_once(events: Sequence[Event]) -> None:
            if held:
                write(events)
                return
            held.append(len(events))
            cutoff.cut()  # the read's deadline passes while its entry is being written
            assert release.wait(HANG), "the test never released the write"
            write(events)
            written.set()

        group._write = held_once  # type: ignore[method-assign]
        with api.store.reading() as conn:
            before = audit_log.size(conn)
        cut = api.get(url, "us.dea.sod")
        assert cut.status_code == 503
        assert cut.json()["error"]["code"] == "store_unavailable"
        assert held == [1]
        release.set()
        assert written.wait(HANG), "the cut read's entry was never written"
        with api.store.reading() as conn:  # the cut read's entry is written all the same
            assert audit_log.size(conn) == before + 1
        after = api.get(url, "us.dea.sod")
        assert after.status_code == 200, after.text
        with api.store.reading() as conn:
            assert audit_log.size(conn) == before + 2
    finally:
        api.close()
        api.store.close()
