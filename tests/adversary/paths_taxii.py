"""Every TAXII answer our node (us.dea) gives a peer: discovery, collections (its own and
others'), objects and manifests page by page, one object and its versions for every
record id the peer knows or a secret may create, the refused writes, status, recalls,
the checkpoint it witnesses, and what it gets back for its receipts, purge receipts and
cosignatures. The peer talks to the real TAXII app in process, with its certificate in
the TLS scope (as the mutual-TLS listener puts it), and checks each signature; nonces
are numbered so that the signed answers of both worlds can be compared byte for byte.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from typing import Any

import httpx

from adversary import public
from adversary.cast import NEVER, POOL, SCHEMAS, T_BASE
from adversary.clock import CLOCK
from adversary.coverage import TAXII, operation
from adversary.transcript import Transcript
from adversary.worlds import Place
from taxii.taxiiworld import UnsafeTlsScope
from tearline.audit.checkpoint import add_cosignature
from tearline.federation.identity import NodeFiles, load_identity
from tearline.federation.receipts import build_receipt
from tearline.federation.signing import (
    NONCE_HEADER,
    SIGNATURE_HEADER,
    sign_document,
    verify_response,
)
from tearline.keys import load_node_key
from tearline.stix.export import object_id
from tearline.store.store import Store
from tearline.taxii.app import create_app
from tearline.taxii.collection import collection_id

ROOT = "/taxii2/api/"
#: The records asked for one by one: shared ones, relationships and notes, every id a
#: secret may create, one hidden all along, one never created.
OBJECTS = ("dea-p-caro", "dea-p-guzman", "dea-s-1", "dea-s-2", "dea-m-guzman", "dea-n-assoc",
           "dea-n-hidden", "dea-l-caro", "mx-p-ovidio", "dea-p-courier", *POOL, "dea-p-red",
           NEVER)
#: Whose versions are asked (a record shared, one a secret changes, one hidden, pool ids).
VERSIONS = frozenset({"dea-p-caro", "dea-p-guzman", "dea-s-2", "dea-n-assoc", "dea-p-red",
                      "x-person", "x-assoc", "x-shared", "never-created"})
MEDIA = "application/taxii+json;version=2.1"


class Peer:
    """The peer's side of the connection: numbered nonces, verified answers."""

    def __init__(self, place: Place, store: Store, unit: str, out: Transcript) -> None:
        self.identity, self.key = load_identity(place.keys), load_node_key(place.keys)
        self.own = load_node_key(place.peer_keys(unit))
        self.name = load_identity(place.peer_keys(unit)).name
        app = create_app(store, self.identity, self.key)
        self.cursors = app.state.node.cursors
        pem = NodeFiles(place.peer_keys(unit)).tls_cert.read_text("ascii")
        self.runner = asyncio.Runner()
        transport = httpx.ASGITransport(app=UnsafeTlsScope(app, pem), client=("127.0.0.9", 1))
        self.client = httpx.AsyncClient(transport=transport, base_url="https://node.test")
        self.out, self.sent = out, 0

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.close()

    def __call__(self, method: str, target: str, body: bytes | None = None,
                 label: str | None = None, shown: Any = None) -> Any:
        self.out.begin()
        self.sent += 1
        nonce = base64.urlsafe_b64encode(hashlib.sha256(b"%d" % self.sent).digest()[:16]
                                         ).decode().rstrip("=")
        headers = {"Accept": MEDIA, NONCE_HEADER: nonce}
        if body is not None:
            headers["Content-Type"] = MEDIA
        self.out.asked.add(operation(method, target, TAXII))
        r = self.runner.run(self.client.request(method, target, content=body, headers=headers))
        verify_response(self.identity.verifier_key, r.headers.get(SIGNATURE_HEADER), nonce,
                        method, r.request.url.raw_path.decode("ascii"), r.content)
        data = json.loads(r.content)
        text = public.dump(shown(data) if shown and r.status_code == 200 else data)
        self.out.add(label or f"{method} {target}",
                     f"{r.status_code}\n{public.dump(public.signed_headers(r))}\n{text}")
        return data

    def unseal(self, data: Any, operation: str, coll: str) -> Any:
        """A page with its ``next`` cursor opened (the audit index it seals is public)."""
        context = {"added_after": None, "ids": None, "types": None, "versions": None,
                   "spec_versions": None, "collection": coll}
        return public.sealed(data, "next", lambda c: public.taxii_position(
            self.cursors.open(c, self.name, operation, context)))


def run_taxii(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    store = Store.open(place.url)
    peer = Peer(place, store, viewer, out)
    try:
        _steps(peer, viewer)
    finally:
        peer.close()
        store.close()
    return out


def _steps(peer: Peer, viewer: str) -> None:
    peer("GET", "/taxii2/")
    peer("GET", ROOT)
    found = peer("GET", ROOT + "collections/").get("collections", [])
    mine = [c["id"] for c in found]
    others = [collection_id(a) for a in ("us-mx/bicentennial-framework-2021",
                                         "us-mx/mlat-1987", "nothing")]
    received: list[tuple[str, str]] = []
    for n, coll in enumerate(mine):
        c = ROOT + f"collections/{coll}/"
        peer("GET", c)
        for kind in ("objects", "manifest"):
            data = peer("GET", f"{c}{kind}/", shown=lambda d, k=kind, co=coll:
                        peer.unseal(d, k, co))
            if kind == "objects" and isinstance(data, dict):
                received += [(o["id"], o.get("modified", o.get("created", "")))
                             for o in data.get("objects", []) if "modified" in o]
        if n == 0:  # paging and filters work alike in every collection: asked in one
            _pages(peer, f"{c}objects/", "objects", coll)
            peer("GET", f"{c}manifest/?added_after={T_BASE.isoformat().replace('+00:00', 'Z')}")
            peer("GET", f"{c}objects/?match[type]=identity,relationship")
        # every id in the first collection; in the others, one of each kind of answer
        asked = OBJECTS if n == 0 else ("dea-p-guzman", "x-person", "dea-p-red", NEVER)
        for entity in asked:
            stix = object_id(entity, SCHEMAS[entity])
            peer("GET", f"{c}objects/{stix}/", label=f"object {entity}")
            if entity in VERSIONS:
                peer("GET", f"{c}objects/{stix}/versions/", label=f"versions {entity}")
        peer("POST", f"{c}objects/", b'{"objects": []}')
        peer("DELETE", f"{c}objects/{object_id('x-person', 'Person')}/")
    for coll in (o for o in others if o not in mine):  # not the peer's: as if absent
        peer("GET", ROOT + f"collections/{coll}/")
        peer("GET", ROOT + f"collections/{coll}/objects/")
    _tearline(peer, viewer, mine[0] if mine else "none", received)


def _pages(peer: Peer, url: str, kind: str, coll: str) -> None:
    data = peer("GET", f"{url}?limit=1", label=f"GET {url} by one",
                shown=lambda d: peer.unseal(d, kind, coll))
    for n in range(12):
        if not (isinstance(data, dict) and data.get("next")):
            return
        data = peer("GET", f"{url}?limit=1&next={data['next']}", label=f"page {n + 2}",
                    shown=lambda d: peer.unseal(d, kind, coll))


def _tearline(peer: Peer, viewer: str, coll: str, received: list[tuple[str, str]]) -> None:
    peer("GET", ROOT + "status/some-status/")
    peer("GET", ROOT + "tearline/recalls/")
    answer = peer("GET", ROOT + "tearline/checkpoint/?from=0", shown=lambda d: {
        **d, "checkpoint": public.checkpoint_note(d["checkpoint"]), "size": "<size>",
        "consistency": "<proof>"})
    receipt = build_receipt(peer.own, peer.name, coll, sorted(received), CLOCK.now)
    peer("POST", ROOT + "tearline/receipts/", json.dumps(receipt).encode(), label="receipt")
    purge = sign_document(peer.own, {
        "type": "tearline-purge-receipt", "version": 1, "node": peer.name,
        "recall_id": "rcl-000000000000000000000000", "entity_id": "x-person",
        "statements_purged": 0, "at": "2026-01-08T08:00:00.000000Z"})
    peer("POST", ROOT + "tearline/purge-receipts/", json.dumps(purge).encode(),
         label="purge receipt")
    note = answer.get("checkpoint", "") if isinstance(answer, dict) else ""
    cosigned = add_cosignature(note, peer.own.name, peer.own.private_key) if note else ""
    peer("POST", ROOT + "tearline/cosignatures/", json.dumps(
        {"type": "tearline-cosignature", "version": 1, "note": cosigned}).encode(),
        label="cosignature", shown=lambda d: {**d, "size": "<size>", "root": "<root>"})
    peer("POST", ROOT + "tearline/cosignatures/", b'{"type": "nothing"}', label="bad body")
    peer("GET", ROOT + "nowhere/")
    peer("PUT", ROOT + "collections/")
