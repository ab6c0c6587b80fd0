"""The TAXII test world: our node (us.dea), two peers, records some peers may not see.

Peers talk to the app through :class:`UnsafeTlsScope`, which puts a certificate into
the ASGI ``tls`` extension as the mTLS listener does for a real connection (the
listener itself is tested with real handshakes in ``test_listener.py``). Every answer
is checked against the node's signature for the request's nonce.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send

from statement_keys import TEST_KEYER
from tearline.federation.identity import NodeIdentity, init_node
from tearline.federation.signing import (
    NONCE_HEADER,
    SIGNATURE_HEADER,
    new_nonce,
    verify_response,
)
from tearline.keys import NodeKey
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.store import audit_log, parties
from tearline.store.peers import Peer, add_peer
from tearline.store.store import Store
from tearline.taxii.app import create_app

T = datetime(2026, 2, 1, tzinfo=UTC)
DEA = Provenance("us.dea", "us.dea.sod", T)
TAXII = "application/taxii+json;version=2.1"
ROOT = "/taxii2/api/"

#: Text that must never reach the semar peer.
SECRETS = ("Carla Diaz", "Dora Vega", "1970-01-02", "Beto Ruiz")


class UnsafeTlsScope:
    """Test only: present ``pem`` as the connection's client certificate."""

    def __init__(self, app: ASGIApp, pem: str | None) -> None:
        self.app, self.pem = app, pem

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.pem is not None:
            scope = {**scope, "extensions": {**scope.get("extensions", {}),
                                             "tls": {"client_cert_chain": [self.pem]}}}
        await self.app(scope, receive, send)


def records(extra_shared: int = 0, hidden: bool = True) -> list[Record]:
    to_semar = Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr-semar")
    out = [
        build_record("p-shared", "Person", {"name": ["Ana Lopez"], "birthDate": ["1970-01-02"]}
                     if hidden else {"name": ["Ana Lopez"]}, DEA, to_semar,
                     {"birthDate": Marking.build("RED", ["unit:us.dea.sod"])} if hidden else None,
                         keyer=TEST_KEYER),
        build_record("p-friend", "Person", {"name": ["Eva Soto"]}, DEA, to_semar, keyer=TEST_KEYER),
        build_record("l-known", "UnknownLink", {"subject": ["p-shared"], "object": ["p-friend"],
                                                "role": ["cousin"]}, DEA, to_semar,
                                                    keyer=TEST_KEYER),
    ]
    if hidden:
        out += [
            build_record("p-fgr", "Person", {"name": ["Beto Ruiz"]}, DEA,
                         Marking.build("AMBER", ["unit:mx.fgr.aic"], legal_basis="agr-fgr"),
                             keyer=TEST_KEYER),
            build_record("p-secret", "Person", {"name": ["Carla Diaz"]}, DEA,
                         Marking.build("RED", ["unit:us.dea.sod"]), keyer=TEST_KEYER),
            build_record("p-other-unit", "Person", {"name": ["Dora Vega"]}, DEA,
                         Marking.build("AMBER", ["unit:mx.semar.other"],
                                       legal_basis="agr-semar"), keyer=TEST_KEYER),
            # a link to a record semar may not see does not exist for semar
            build_record("l-hidden", "UnknownLink", {"subject": ["p-shared"],
                                                     "object": ["p-secret"], "role": ["boss"]},
                         DEA, to_semar, keyer=TEST_KEYER),
        ]
    out += [build_record(f"p-bulk-{n:03d}", "Person", {"name": [f"Bulk Person {n}"]}, DEA,
                         to_semar, keyer=TEST_KEYER) for n in range(extra_shared)]
    return out


@dataclass
class Node:
    store: Store
    identity: NodeIdentity
    key: NodeKey
    peers: dict[str, tuple[Peer, Path]]  # name -> (peer, its keys folder)
    clients: list[PeerClient] = field(default_factory=list)

    def client(self, pem: str | None) -> PeerClient:
        app = create_app(self.store, self.identity, self.key)
        made = PeerClient(UnsafeTlsScope(app, pem), self.identity.verifier_key)
        self.clients.append(made)
        return made

    def close(self) -> None:
        for client in self.clients:
            client.close()

    def as_peer(self, name: str) -> PeerClient:
        return self.client(self.peers[name][0].tls_certificate)


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    raw: bytes


class PeerClient:
    """Sends each request with a fresh nonce and verifies the node's signature on the answer."""

    def __init__(self, app: ASGIApp, verifier_key: str) -> None:
        self.verifier_key = verifier_key
        self.runner = asyncio.Runner()
        transport = httpx.ASGITransport(app=app, client=("127.0.0.9", 4242))
        self.client = httpx.AsyncClient(transport=transport, base_url="https://node.test")

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.close()

    def request(self, method: str, target: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        nonce = new_nonce()
        sent = {"Accept": TAXII, NONCE_HEADER: nonce, **(headers or {})}
        if body is not None:
            sent.setdefault("Content-Type", TAXII)
        r = self.runner.run(self.client.request(method, target, content=body, headers=sent))
        # the signature covers the request target exactly as it went on the wire
        sent_target = r.request.url.raw_path.decode("ascii")
        verify_response(self.verifier_key, r.headers.get(SIGNATURE_HEADER), nonce, method,
                        sent_target, r.content)
        assert r.headers["content-type"].startswith("application/taxii+json")
        return Answer(r.status_code, json.loads(r.content), dict(r.headers), r.content)

    def get(self, target: str, **kw: Any) -> Answer:
        return self.request("GET", target, **kw)


def untraced(obj: dict[str, Any]) -> dict[str, Any]:
    """An object without its date added and what the node's trace secret chose (each
    node has its own, and a twin store is another node): the copy mark and the order of
    the record's statements (``docs/trace.md``)."""
    out = {k: v for k, v in obj.items() if k != "date_added"}
    for name, ext in list((out.get("extensions") or {}).items()):
        if isinstance(ext, dict) and isinstance(ext.get("statements"), list):
            ext = {k: v for k, v in ext.items() if k != "copy"}
            ext["statements"] = sorted(ext["statements"], key=lambda st: st["id"])
            out["extensions"] = {**out["extensions"], name: ext}
    return out


def build_node(store: Store, tmp: Path, extra_shared: int = 0, hidden: bool = True) -> Node:
    made = init_node(tmp / "dea-keys", "us.dea", "us.dea.sod")
    with store.transaction() as conn:
        for agency, country in (("us.dea", "us"), ("mx.semar", "mx"), ("mx.fgr", "mx")):
            parties.put_agency(conn, Agency(agency, agency.upper(), country), T)
        for unit in ("us.dea.sod", "mx.semar.uie", "mx.semar.other", "mx.fgr.aic"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
        for aid, members in (("agr-semar", {"us.dea", "mx.semar"}),
                             ("agr-fgr", {"us.dea", "mx.fgr"}),
                             ("agr-other", {"mx.semar", "mx.fgr"})):
            parties.put_agreement(conn, Agreement(aid, f"Agreement {aid}", "bilateral",
                                                  frozenset(members)), T)
    store.write(records(extra_shared, hidden))
    peers: dict[str, tuple[Peer, Path]] = {}
    for agency, unit in (("mx.semar", "mx.semar.uie"), ("mx.fgr", "mx.fgr.aic")):
        folder = tmp / f"{unit}-keys"
        peer = Peer.from_identity(init_node(folder, agency, unit).identity)
        with store.transaction() as conn:
            add_peer(conn, peer, T)
        peers[peer.name] = (peer, folder)
    return Node(store, made.identity, made.key, peers)


def log(store: Store, kind: str) -> list[dict[str, Any]]:
    """The bodies of the audit entries of ``kind``, in log order."""
    with store.reading() as conn:
        return [json.loads(e.body) for e in audit_log.entries(conn, limit=100_000)
                if e.kind == kind]
