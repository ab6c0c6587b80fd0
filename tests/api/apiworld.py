"""The API test world: a seeded store, the app, clients over ASGI and loopback.

The world comes from ``data/world.json``. ``hidden=False`` builds the same world
without the records and portions that ``us.dea.sod`` may not see, so that leak tests
can compare the two answer by answer.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy
import uvicorn
from fastapi import FastAPI

from statement_keys import TEST_KEYER
from tearline.api.app import create_app
from tearline.api.auth import Scope, issue_token
from tearline.api.settings import ApiSettings
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Analyst, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import parties
from tearline.store.store import Store

WORLD = Path(__file__).parent / "data" / "world.json"
SEEN = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
#: What ``us.dea.sod`` may not see: a RED record, and a RED portion of a shared one.
HIDDEN_RECORDS = {"rec-secret"}
HIDDEN_PORTIONS = {("rec-shared", "alias")}


def seed(store: Store, hidden: bool = True) -> None:
    world = json.loads(WORLD.read_text(encoding="utf-8"))
    with store.transaction() as conn:
        for a in world["agencies"]:
            parties.put_agency(conn, Agency(a["id"], a["name"], a["country"]), SEEN)
        for u in world["units"]:
            parties.put_unit(conn, Unit(u["id"], u["agency"], u["name"]), SEEN)
        for a in world["analysts"]:
            parties.put_analyst(conn, Analyst(a["id"], a["unit"], a["name"]), SEEN)
        for a in world["agreements"]:
            parties.put_agreement(
                conn, Agreement(a["id"], a["title"], a["kind"], frozenset(a["parties"])), SEEN
            )
    records = []
    for r in world["records"]:
        if not hidden and r["id"] in HIDDEN_RECORDS:
            continue
        keep = [p for p in r["properties"] if hidden or (r["id"], p) not in HIDDEN_PORTIONS]
        props = {p: r["properties"][p] for p in keep}
        portions = {
            p: Marking.from_dict(m)
            for p, m in r.get("portions", {}).items()
            if hidden or (r["id"], p) not in HIDDEN_PORTIONS
        }
        prov = Provenance(r["origin"], r["author"], SEEN)
        records.append(
            build_record(r["id"], r["schema"], props, prov, Marking.from_dict(r["marking"]),
                         portions, keyer=TEST_KEYER)
        )
    store.write(records)


@dataclass
class Api:
    """A synchronous face over an ``httpx.AsyncClient`` on the app's ASGI interface."""

    app: FastAPI
    store: Store
    tokens: dict[str, str] = field(default_factory=dict)
    _runner: asyncio.Runner = field(default_factory=asyncio.Runner)

    def __post_init__(self) -> None:
        transport = httpx.ASGITransport(app=self.app, client=("127.0.0.9", 4242))
        self.client = httpx.AsyncClient(transport=transport, base_url="http://tearline")

    def request(self, method: str, url: str, as_: str | None = None, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", {}))
        if as_ is not None:
            headers["Authorization"] = f"Bearer {self.tokens[as_]}"
        return self._runner.run(self.client.request(method, url, headers=headers, **kw))

    def get(self, url: str, as_: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("GET", url, as_, **kw)

    def post(self, url: str, as_: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("POST", url, as_, **kw)

    def put(self, url: str, as_: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("PUT", url, as_, **kw)

    def delete(self, url: str, as_: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("DELETE", url, as_, **kw)

    def close(self) -> None:
        self._runner.run(self.client.aclose())
        self._runner.close()


ALL = frozenset(Scope)


def make_tokens(store: Store) -> dict[str, str]:
    """One token per unit with every scope, plus a read-only one (``reader``)."""
    out = {}
    for owner in ("mx.semar.uie", "us.dea.sod", "mx.fgr.seido", "ana@mx.semar.uie"):
        out[owner], _ = issue_token(store, owner, ALL, timedelta(days=1), "test", "test")
    out["reader"], _ = issue_token(store, "us.dea.sod", frozenset({Scope.read}),
                                   timedelta(days=1), "test", "test")
    return out


def build_api(db_url: str, hidden: bool = True, **settings: Any) -> Api:
    store = Store.open(db_url)
    seed(store, hidden)
    settings.setdefault("request_timeout_seconds", 300.0)
    app = create_app(store, ApiSettings.from_env({}, **settings))
    api = Api(app, store)
    api.tokens = make_tokens(store)
    return api


# -- a real server on loopback -----------------------------------------------------------


@dataclass
class Served:
    base: str
    tokens: dict[str, str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under uvicorn on a loopback port in a thread; yields the base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)




def fresh_url(db_url: str, folder: Path) -> str:
    """Another empty database on the same backend as ``db_url``."""
    if db_url.startswith("sqlite"):
        return f"sqlite:///{folder / 'other.sqlite'}"
    base = db_url.split("?", 1)[0]
    name = f"other_{uuid.uuid4().hex[:12]}"
    engine = sqlalchemy.create_engine(base)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    engine.dispose()
    return f"{base}?options=-csearch_path%3D{name}"
