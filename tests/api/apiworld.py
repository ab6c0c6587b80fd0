"""The API test world: a seeded store, the app, clients over ASGI and loopback.

The world comes from ``data/world.json``. ``hidden=False`` builds the same world
without the records and portions that ``us.dea.sod`` may not see, so that leak tests
can compare the two answer by answer.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy
from fastapi import FastAPI

from statement_keys import TEST_KEYER
from tearline.api.app import create_app
from tearline.api.auth import Scope, TokenAuthenticator, issue_token
from tearline.api.limits import Deadline
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


#: The address requests come from unless a test names another (``from_=``).
CLIENT = "127.0.0.9"


@dataclass
class Api:
    """A synchronous face over an ``httpx.AsyncClient`` on the app's ASGI interface."""

    app: FastAPI
    store: Store
    tokens: dict[str, str] = field(default_factory=dict)
    _runner: asyncio.Runner = field(default_factory=asyncio.Runner)
    _clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.client = self._client(CLIENT)

    def _client(self, address: str) -> httpx.AsyncClient:
        if address not in self._clients:
            transport = httpx.ASGITransport(app=self.app, client=(address, 4242))
            self._clients[address] = httpx.AsyncClient(transport=transport,
                                                       base_url="http://tearline")
        return self._clients[address]

    def request(self, method: str, url: str, as_: str | None = None,
                from_: str = CLIENT, **kw: Any) -> httpx.Response:
        """One request, made as ``as_`` (a key of :attr:`tokens`) from address ``from_``."""
        headers = dict(kw.pop("headers", {}))
        if as_ is not None:
            headers["Authorization"] = f"Bearer {self.tokens[as_]}"
        client = self._client(from_)
        return self._runner.run(client.request(method, url, headers=headers, **kw))

    def get(self, url: str, as_: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("GET", url, as_, **kw)

    def post(self, url: str, as_: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("POST", url, as_, **kw)

    def put(self, url: str, as_: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("PUT", url, as_, **kw)

    def delete(self, url: str, as_: str | None = None, **kw: Any) -> httpx.Response:
        return self.request("DELETE", url, as_, **kw)

    def close(self) -> None:
        for client in self._clients.values():
            self._runner.run(client.aclose())
        self._runner.close()


class Ticks:
    """A monotonic clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


ALL = frozenset(Scope)


def make_tokens(store: Store) -> dict[str, str]:
    """One token per unit with every scope, plus a read-only one (``reader``)."""
    out = {}
    for owner in ("mx.semar.uie", "us.dea.sod", "mx.fgr.seido", "ana@mx.semar.uie"):
        out[owner], _ = issue_token(store, owner, ALL, timedelta(days=1), "test", "test")
    out["reader"], _ = issue_token(store, "us.dea.sod", frozenset({Scope.read}),
                                   timedelta(days=1), "test", "test")
    return out


class CutOff:
    """Request deadlines that pass only when the test says so (a :data:`Deadline`).

    Each request's deadline never passes by itself; :meth:`cut` — callable from any
    thread — makes the deadline of the request in progress pass at once, so a test cuts
    a request off at the exact point it chooses, however fast the machine runs.
    """

    def __init__(self) -> None:
        self._current: tuple[asyncio.AbstractEventLoop, asyncio.Timeout] | None = None

    def __call__(self, seconds: float) -> asyncio.Timeout:
        deadline = asyncio.timeout(None)
        self._current = (asyncio.get_running_loop(), deadline)
        return deadline

    def cut(self) -> None:
        assert self._current is not None, "no request has started"
        loop, deadline = self._current
        loop.call_soon_threadsafe(lambda: deadline.reschedule(loop.time()))


def never(seconds: float) -> asyncio.Timeout:
    """A request deadline that never passes: no test is cut off by how fast it ran."""
    return asyncio.timeout(None)


def build_api(db_url: str, hidden: bool = True, monotonic: Callable[[], float] | None = None,
              deadline: Deadline = never, **settings: Any) -> Api:
    """The seeded app; ``monotonic`` clocks its failure limits and token cache, and
    ``deadline`` decides when a request is cut off (never, unless a test says so:
    :class:`CutOff`)."""
    store = Store.open(db_url)
    seed(store, hidden)
    config = ApiSettings.from_env({}, **settings)
    authenticator = (TokenAuthenticator(store, config, monotonic=monotonic)
                     if monotonic is not None else None)
    app = create_app(store, config, authenticator, deadline)
    api = Api(app, store)
    api.tokens = make_tokens(store)
    return api


# -- a real server on loopback -----------------------------------------------------------


@dataclass
class Served:
    base: str
    tokens: dict[str, str]


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
