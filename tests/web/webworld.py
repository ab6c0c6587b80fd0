"""The web test world: a seeded store and the site (the API with the web pages).

From ``data/world.json``: three agencies, a DEA-vetted SEMAR unit (``mx.semar.uie``) and
an unvetted one (``mx.semar.log``), a DEA Person whose alias is marked for DEA-vetted
units only, SEMAR seizures. Every analyst gets a web password (:data:`PASSWORD`) and an
API token. ``Clock`` is the sessions' clock, moved by the tests (expiry).
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher
from fastapi import FastAPI

from statement_keys import TEST_KEYER
from tearline.api import credentials
from tearline.api.app import create_app
from tearline.api.auth import Scope, issue_token
from tearline.api.settings import ApiSettings
from tearline.cli.web import token_issuer
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Analyst, Unit, Vetting
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.store import parties
from tearline.store.store import Store
from tearline.web import passwords
from tearline.web.settings import WebSettings
from tearline.web.site import install

WORLD = Path(__file__).parent / "data" / "world.json"
LINKS = Path(__file__).parent / "data" / "links.json"
SEEN = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"
ANALYSTS = ("bob@us.dea.sod", "ana@mx.semar.uie", "luis@mx.semar.log", "eva@mx.fgr.seido")
#: The node's administrator: a web password with the admin scope.
ADMIN = "ada@us.dea.sod"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class Clock:
    """The sessions' clock: now, unless a test moves it."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def cheap_hashes() -> None:
    """Argon2 at its lowest cost for test passwords and tokens (the same code paths)."""
    passwords._hasher = CHEAP  # type: ignore[attr-defined]
    passwords._DUMMY = CHEAP.hash("dummy")  # type: ignore[attr-defined]
    credentials._hasher = CHEAP  # type: ignore[attr-defined]


def seed(store: Store) -> None:
    world = json.loads(WORLD.read_text(encoding="utf-8"))
    with store.transaction() as conn:
        for a in world["agencies"]:
            parties.put_agency(conn, Agency(a["id"], a["name"], a["country"]), SEEN)
        for u in world["units"]:
            parties.put_unit(conn, Unit(u["id"], u["agency"], u["name"]), SEEN)
        for a in world["analysts"]:
            parties.put_analyst(conn, Analyst(a["id"], a["unit"], a["name"]), SEEN)
        for a in world["agreements"]:
            parties.put_agreement(conn, Agreement(a["id"], a["title"], a["kind"],
                                                  frozenset(a["parties"])), SEEN)
        for v in world["vettings"]:
            parties.put_vetting(conn, Vetting(v["id"], v["by"], v["unit"],
                                              datetime.fromisoformat(v["from"]),
                                              datetime.fromisoformat(v["until"])), SEEN, "test")
    store.write(records_of(world["records"]))


def records_of(rows: list[dict[str, Any]]) -> list[Record]:
    """The records of a data file's ``records`` list, written by their authors at SEEN."""
    return [build_record(
        r["id"], r["schema"], r["properties"], Provenance(r["origin"], r["author"], SEEN),
        Marking.from_dict(r["marking"]),
        {p: Marking.from_dict(m) for p, m in r.get("portions", {}).items()},
        keyer=TEST_KEYER) for r in rows]


def add_links(store: Store) -> None:
    """The relationships of ``data/links.json`` (a network for the Network page)."""
    store.write(records_of(json.loads(LINKS.read_text(encoding="utf-8"))["records"]))


@dataclass
class Site:
    app: FastAPI
    store: Store
    clock: Clock
    tokens: dict[str, str]


def build_site(db_url: str, **web: Any) -> Site:
    cheap_hashes()
    store = Store.open(db_url)
    seed(store)
    app = create_app(store, ApiSettings.from_env({}))
    clock = Clock()
    install(app, app.state.authenticator, WebSettings.from_env({}, **web), clock,
            issue=token_issuer(store))
    tokens = {}
    for analyst in ANALYSTS:
        passwords.set_password(store, analyst, PASSWORD, frozenset({"read", "write"}), SEEN,
                               "test")
        tokens[analyst], _ = issue_token(store, analyst, frozenset({Scope.read, Scope.write}),
                                         timedelta(days=1), "test", "test")
    passwords.set_password(store, ADMIN, PASSWORD, frozenset({"read", "write", "admin"}), SEEN,
                           "test")
    return Site(app, store, clock, tokens)


CSRF = re.compile(r'name="csrf" value="([^"]*)"')


class Browser:
    """One person's HTTP client on the site over ASGI: cookies kept, redirects not
    followed unless asked, forms sent with the CSRF token of the page they came from."""

    def __init__(self, app: FastAPI, accept_language: str = "en-US",
                 address: str = "127.0.0.7") -> None:
        self.runner = asyncio.Runner()
        transport = httpx.ASGITransport(app=app, client=(address, 4242))
        self.client = httpx.AsyncClient(transport=transport, base_url="http://tearline",
                                        headers={"Accept-Language": accept_language})
        self.csrf = ""

    def get(self, url: str, follow: bool = True) -> httpx.Response:
        answer = self.runner.run(self.client.get(url, follow_redirects=follow))
        found = CSRF.search(answer.text)
        if found:
            self.csrf = found.group(1)
        return answer

    def post(self, url: str, data: dict[str, str], csrf: str | None = None) -> httpx.Response:
        body = {"csrf": self.csrf if csrf is None else csrf, **data}
        return self.runner.run(self.client.post(url, data=body))

    def sign_in(self, name: str, password: str = PASSWORD) -> httpx.Response:
        self.get("/web/signin")
        return self.post("/web/signin", {"name": name, "password": password,
                                         "next": "/web/search"})

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.close()
