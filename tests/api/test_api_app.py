"""The serving process: its heap settled once (later garbage still collected), and a
database that is not current refused."""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tearline.api.app import create_app, from_environment, settle_heap
from tearline.api.settings import ApiSettings
from tearline.errors import StoreError
from tearline.store import tables as t
from tearline.store.engine import upgrade
from tearline.store.store import Store


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_settle_heap_freezes_what_exists_and_collects_what_comes_later() -> None:
    try:
        before = _Node()
        settle_heap()
        assert gc.get_freeze_count() > 0
        kept = weakref.ref(before)
        del before
        gc.collect()
        assert kept() is not None  # frozen: never scanned, so never freed
        later = weakref.ref(_Node())
        gc.collect()
        assert later() is None  # made after: collected as usual
    finally:
        gc.unfreeze()


def test_a_database_whose_reference_properties_differ_is_not_ready(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read queries trust the derived table: stale, /ready says so and a worker
    process refuses to serve (the parent of `tearline serve` migrates first)."""
    url = f"sqlite:///{tmp_path / 'node.sqlite'}"
    store = Store.open(url)
    rp = t.reference_properties
    with store.transaction() as conn:
        conn.execute(rp.delete().where(rp.c.prop == "member"))
    try:
        app = create_app(store, ApiSettings.from_env({}))
        answer = _get(app, "/api/v1/ready")
        assert answer.status_code == 503
        assert "run `tearline init`" in answer.json()["error"]["message"]
        monkeypatch.setenv("TEARLINE_DB_URL", url)
        with pytest.raises(StoreError, match="not current: run `tearline init`"):
            from_environment()
        upgrade(store.engine)
        assert _get(app, "/api/v1/ready").status_code == 200
    finally:
        store.close()
        gc.unfreeze()


def _get(app: FastAPI, path: str) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get(path)

    return asyncio.run(call())
