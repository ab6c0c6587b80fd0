"""Building the base world once, and copying it into the worlds that are compared.

A world is a database and a workspace folder (the node's keys, its peers' keys, the
viewers' API tokens). The base world is built once per test module and backend; each
world compared is a byte copy of it — a SQLite backup, or a PostgreSQL database made
from it as a template — so both worlds of a comparison share every secret of the node
(the audit salt, keys, tokens, and whatever per-node secret a migration may add) without
the test knowing where each lives. World B then receives the secret; world A does not.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy

from adversary import deconflict_acts
from adversary.cast import ANALYST, T_BASE, T_PARTIES, TRILATERAL, VIEWERS, base_records, subject
from adversary.clock import CLOCK
from tearline.api.auth import Scope, issue_token
from tearline.demo import scenario as sc
from tearline.demo.load import seed_parties
from tearline.federation.identity import init_node
from tearline.keys import load_node_key
from tearline.store import audit_checkpoints, parties
from tearline.store.peers import Peer, add_peer
from tearline.store.store import Store

#: The peers of our node (us.dea): their unit, and where their keys live.
PEERS = {sc.UIE: sc.MX_SEMAR, sc.FEMDO: sc.MX_FGR}
#: Peers declared not tearline nodes (FGR's consumer ignores granular markings): every
#: TAXII path is also run for a standard-STIX peer (``stix/standard.py``).
STANDARD_PEERS = frozenset({sc.FEMDO})
_names = itertools.count()


@dataclass(frozen=True, slots=True)
class Place:
    """Where one world lives: its database URL and its workspace folder."""

    url: str
    root: Path

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def scratch(self) -> Path:
        """A folder for the viewer's files, at the same path in every world."""
        path = self.root.parent / "scratch"
        path.mkdir(exist_ok=True)
        return path

    def peer_keys(self, unit: str) -> Path:
        return self.root / "peers" / unit

    def tokens(self) -> dict[str, str]:
        found: dict[str, str] = json.loads((self.root / "tokens.json").read_text("utf-8"))
        return found


class Backend:
    """Fresh databases and byte copies of them, on SQLite files or one PostgreSQL server."""

    def __init__(self, kind: str, folder: Path, server_url: str | None = None) -> None:
        self.kind, self.folder, self.server_url = kind, folder, server_url

    def _url(self, name: str) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.folder / name / 'tearline.sqlite'}"
        assert self.server_url is not None
        return self.server_url.rsplit("/", 1)[0] + f"/{name}"

    def _admin(self, sql: str) -> None:
        assert self.server_url is not None
        engine = sqlalchemy.create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(sql)
        finally:
            engine.dispose()

    def fresh(self) -> Place:
        name = f"adv_{next(_names)}"
        (self.folder / name).mkdir(parents=True)
        if self.kind == "postgresql":
            self._admin(f'CREATE DATABASE "{name}"')
        return Place(self._url(name), self.folder / name)

    def copy(self, source: Place) -> Place:
        """A byte copy of ``source`` (whose connections must all be closed)."""
        name = f"adv_{next(_names)}"
        root = self.folder / name
        shutil.copytree(source.root, root, ignore=shutil.ignore_patterns("tearline.sqlite*"))
        if self.kind == "sqlite":
            src = sqlite3.connect(source.url.removeprefix("sqlite:///"))
            dst = sqlite3.connect(root / "tearline.sqlite")
            try:
                src.backup(dst)
            finally:
                src.close()
                dst.close()
        else:
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{source.root.name}"')
        return Place(self._url(name), root)

    def drop(self, place: Place) -> None:
        if self.kind == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{place.root.name}" WITH (FORCE)')
        shutil.rmtree(place.root, ignore_errors=True)


@contextmanager
def opened(place: Place) -> Iterator[Store]:
    store = Store.open(place.url)
    try:
        yield store
    finally:
        store.close()


def build_base(backend: Backend) -> Place:
    """The base world: parties, node and peer identities, viewers' tokens, records, a
    checkpoint — everything recorded at fixed instants, so that it is the same each time."""
    place = backend.fresh()
    CLOCK.stream("base")
    CLOCK.set(T_PARTIES)
    with opened(place) as store:
        seed_parties(store, T_PARTIES)
        with store.transaction() as conn:
            parties.put_agreement(conn, TRILATERAL, T_PARTIES)
        init_node(place.keys, sc.US_DEA, sc.SOD, now=T_PARTIES)
        for unit, agency in PEERS.items():
            made = init_node(place.peer_keys(unit), agency, unit, now=T_PARTIES)
            with store.transaction() as conn:
                add_peer(conn, Peer.from_identity(made.identity, unit not in STANDARD_PEERS),
                         T_PARTIES)
        tokens = {}
        for unit in VIEWERS:
            tokens[unit], _ = issue_token(store, ANALYST[unit], frozenset({Scope.read,
                                          Scope.write}), timedelta(days=300), "adversary",
                                          "test", T_PARTIES)
        (place.root / "tokens.json").write_text(json.dumps(tokens), "utf-8")
        for n, record in enumerate(base_records(store.keyer)):
            CLOCK.set(T_BASE + timedelta(seconds=n))
            store.write([record])
        CLOCK.set(T_BASE + timedelta(minutes=5))
        for unit in (sc.SOD, sc.UIE, sc.FEMDO):  # some history to read back
            store.read(subject(unit), CLOCK.now, "dea-p-guzman")
        CLOCK.set(T_BASE + timedelta(minutes=6))
        deconflict_acts.install(store)
        deconflict_acts.register(store, place.keys, sc.SOD, deconflict_acts.REGISTERED)
        key = load_node_key(place.keys)
        with store.transaction() as conn:
            audit_checkpoints.sign(conn, key.name, key.private_key)
    return place
