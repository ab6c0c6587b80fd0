"""Witnessing before every sync, on both backends: the puller (semar) witnesses the log of
the node it pulls from (dea), served by the real TAXII app in process.

The forked log is built as a fork happens: a second store of dea's, signed with dea's
key, holds the same first entries as the honest one (copied event by event) and then
goes its own way.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from pgserver import pg_url
from statement_keys import TEST_KEYER
from store_template import copy_to
from taxii.taxiiworld import DEA, Node, T, UnsafeTlsScope, build_node
from tearline.audit.checkpoint import Checkpoint, parse_note, sign_note
from tearline.audit.events import AuthFailed, now
from tearline.errors import IntegrityError, PeerError, ProofError, SplitViewError
from tearline.federation.client import TaxiiClient
from tearline.federation.partners import Partner
from tearline.federation.signing import NONCE_HEADER, SIGNATURE_HEADER, sign_response
from tearline.federation.sync import Puller
from tearline.federation.trust import SignedBy
from tearline.federation.witnessing import witness
from tearline.keys import NodeKey, load_node_key
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import build_record
from tearline.store import audit_checkpoints, audit_log, parties
from tearline.store import audit_tables as at
from tearline.store import tables as t
from tearline.store.peers import add_peer
from tearline.store.store import Store
from tearline.taxii.app import create_app

SEMAR = "mx.semar.uie"
BASE = "https://dea.test/taxii2/"

Tamper = Callable[[str, bytes], bytes]  # (request path, answer body) -> body


class InProcess(httpx.BaseTransport):
    """httpx's synchronous interface over the ASGI app (the listener's TLS is tested in
    tests/taxii/test_listener.py); ``tamper`` may rewrite an answer's body on the way."""

    def __init__(self, app: Any, tamper: Tamper | None = None,
                 resign: NodeKey | None = None) -> None:
        self.inner = httpx.ASGITransport(app=app, client=("127.0.0.9", 4242))
        self.runner = asyncio.Runner()
        self.tamper, self.resign = tamper, resign

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def go() -> httpx.Response:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            return response

        response = self.runner.run(go())
        body = response.content
        headers = httpx.Headers(response.headers)
        if self.tamper is not None:
            changed = self.tamper(request.url.path, body)
            if changed != body and self.resign is not None:
                # the peer itself lies: its answer is signed as any other
                headers[SIGNATURE_HEADER] = sign_response(
                    self.resign, request.headers.get(NONCE_HEADER, ""), request.method,
                    request.url.raw_path.decode("ascii"), changed)
            body = changed
        if "content-length" in headers:
            del headers["content-length"]
        return httpx.Response(response.status_code, headers=headers, content=body)

    def close(self) -> None:
        self.runner.close()


@pytest.fixture
def new_url(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[str],
                                                                                     str]:
    """A new, empty database on the backend of this test run. On SQLite a copy of the
    process's migrated template (``store_template.py``): a store opened on it migrates
    nothing, as witnessing needs a log, not a migration run. On PostgreSQL a fresh
    schema (migrated when opened): copying the template database costs as much."""
    def make(name: str) -> str:
        if db_url.startswith("sqlite"):
            return copy_to(request.getfixturevalue("store_template"),
                           f"sqlite:///{tmp_path / name}.sqlite")
        return pg_url(request.getfixturevalue("pg_server"))
    return make


@pytest.fixture
def dea(new_url: Callable[[str], str], tmp_path: Path) -> Iterator[Node]:
    store = Store.open(new_url("dea"))
    node = build_node(store, tmp_path)
    yield node
    node.close()
    store.close()


def semar_key(dea: Node) -> NodeKey:
    return load_node_key(dea.peers[SEMAR][1])


def partner(dea: Node) -> Partner:
    return Partner(dea.identity.name, dea.identity.agency, BASE, True,
                   dea.identity.verifier_key)


def client_of(dea: Node, store: Store | None = None, tamper: Tamper | None = None,
              resign: bool = False) -> TaxiiClient:
    """semar's TAXII client, talking to dea's app (over ``store``, default dea's own)."""
    app = create_app(store or dea.store, dea.identity, dea.key)
    client = TaxiiClient(BASE, check=SignedBy(dea.identity.verifier_key))
    assert client._http is not None
    headers = client._http.headers
    client._http.close()
    client._http = httpx.Client(
        transport=InProcess(UnsafeTlsScope(app, dea.peers[SEMAR][0].tls_certificate), tamper,
                            dea.key if resign else None),
        headers=headers, follow_redirects=False)
    return client


def grow(store: Store, tag: str, n: int = 3) -> None:
    to_semar = Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr-semar")
    store.write([build_record(f"p-{tag}-{i}", "Person", {"name": [f"Person {tag} {i}"]}, DEA,
                              to_semar, keyer=TEST_KEYER) for i in range(n)])


def kinds(store: Store, kind: str) -> list[dict[str, Any]]:
    with store.reading() as conn:
        return [json.loads(e.body) for e in audit_log.entries(conn, limit=1_000_000)
                if e.kind == kind]


def cosigned_by_semar(dea: Node) -> list[int]:
    with dea.store.reading() as conn:
        rows = conn.execute(select(at.audit_cosignatures.c.size, at.audit_cosignatures.c.witness)
                            .order_by(at.audit_cosignatures.c.size)).all()
    return [size for size, who in rows if who == SEMAR]


def assert_still_at(store: Store, dea: Node, size: int) -> None:
    """The witness's last cosigned checkpoint of ``dea`` and the log's cosignatures by the
    witness are both still of ``size``: nothing was cosigned since."""
    with store.reading() as conn:
        last = audit_checkpoints.last_witnessed(conn, dea.key.name, dea.key.public_key)
    assert last is not None and last.size == size
    assert cosigned_by_semar(dea) == [size]


def fork_of(dea: Node, new_url: Callable[[str], str], prefix: int,
            size: int | None = None) -> Store:
    """A second log of dea's: dea's first ``prefix`` entries, then others (up to ``size``)."""
    fork = Store.open(new_url("dea-fork"))
    with dea.store.reading() as conn:
        shared = [e.event() for e in audit_log.entries(conn, limit=prefix)]
    assert len(shared) == prefix
    with fork.transaction() as conn:
        audit_log.append(conn, shared)
        # what the app needs to serve semar: its units and the peer
        parties.put_agency(conn, Agency("mx.semar", "MX.SEMAR", "mx"), T)
        parties.put_unit(conn, Unit(SEMAR, "mx.semar", SEMAR), T)
        add_peer(conn, dea.peers[SEMAR][0], T)
    if size is None:
        return fork
    with fork.transaction() as conn:
        missing = size - audit_log.size(conn)
        assert missing >= 0, "the fork's own entries already exceed the size asked"
        audit_log.append(conn, [AuthFailed(at=now(), actor="system", channel="taxii",
                                           reason="missing", token_prefix=None)] * missing)
    return fork


def test_honest_witnessing_cosigns_each_extension_and_the_peer_keeps_it(
        store: Store, dea: Node) -> None:
    key = semar_key(dea)
    with client_of(dea) as client:
        first = witness(store, client, partner(dea), key, node_name=SEMAR)
        assert first.previous_size is None and first.cosigned_now
        same = witness(store, client, partner(dea), key, node_name=SEMAR)
        # dea's log grew by the cosignature it recorded, so there is a new checkpoint
        assert same.previous_size == first.size and same.size > first.size
        grow(dea.store, "later")
        later = witness(store, client, partner(dea), key, node_name=SEMAR)
    assert later.previous_size == same.size and later.size > same.size + 3
    with store.reading() as conn:
        state = audit_checkpoints.last_witnessed(conn, dea.key.name, dea.key.public_key)
        witnessed = conn.execute(select(func.count()).select_from(at.audit_witnessed)).scalar()
    assert state is not None and (state.size, state.root.hex()) == (later.size, later.root)
    assert witnessed == 3
    assert [e["size"] for e in kinds(store, "checkpoint.cosigned")] == [
        first.size, same.size, later.size]
    assert {e["log"] for e in kinds(store, "checkpoint.cosigned")} == {
        f"node:{dea.identity.name}"}
    assert cosigned_by_semar(dea) == [first.size, same.size, later.size]
    assert kinds(store, "checkpoint.refused") == []


def test_a_forked_log_is_a_split_view_and_the_sync_stops_with_nothing_stored(
        store: Store, dea: Node, new_url: Callable[[str], str]) -> None:
    key = semar_key(dea)
    with client_of(dea) as client:
        first = witness(store, client, partner(dea), key, node_name=SEMAR)
    prefix = first.size
    grow(dea.store, "honest", 20)
    with client_of(dea) as client:
        honest = witness(store, client, partner(dea), key, node_name=SEMAR)
    # the fork agrees with what semar cosigned first, then diverges to the very size
    # semar cosigned second: same size, another root
    fork = fork_of(dea, new_url, prefix, honest.size)
    try:
        with client_of(dea, fork) as client, pytest.raises(SplitViewError) as caught:
            Puller(store, partner(dea), node_key=key, own_agency="mx.semar",
                   node_name=SEMAR).run(client)
        text = caught.value.message
        assert "split view" in text.lower() and dea.identity.name in text
        assert f"size {honest.size}" in text and "two different roots" in text
        (refused,) = kinds(store, "checkpoint.refused")
        assert (refused["reason"], refused["size"], refused["log"]) == (
            "split-view", honest.size, f"node:{dea.identity.name}")
        # nothing pulled or stored, nothing cosigned
        with store.reading() as conn:
            assert conn.execute(select(func.count()).select_from(t.records)).scalar() == 0
            assert conn.execute(select(func.count()).select_from(t.statements)).scalar() == 0
            last = audit_checkpoints.last_witnessed(conn, dea.key.name, dea.key.public_key)
        assert last is not None and last.size == honest.size and last.root.hex() == honest.root
        with fork.reading() as conn:
            assert conn.execute(select(func.count()).select_from(
                at.audit_cosignatures)).scalar() == 0

        # the fork grows on: now a larger size whose proof from the cosigned one fails
        grow(fork, "forked", 2)
        with client_of(dea, fork) as client, pytest.raises(SplitViewError) as again:
            witness(store, client, partner(dea), key, node_name=SEMAR)
        assert "no valid consistency proof" in again.value.message
        # the honest log still extends what semar cosigned: witnessing goes on
        with client_of(dea) as client:
            witness(store, client, partner(dea), key, node_name=SEMAR)
    finally:
        fork.close()


def test_a_log_that_shrinks_below_what_was_cosigned_is_a_split_view(
        store: Store, dea: Node, new_url: Callable[[str], str]) -> None:
    key = semar_key(dea)
    grow(dea.store, "more", 10)
    with client_of(dea) as client:
        seen = witness(store, client, partner(dea), key, node_name=SEMAR)
    fork = fork_of(dea, new_url, 5)  # the first entries and the fork's own setup only
    try:
        with client_of(dea, fork) as client, pytest.raises(SplitViewError) as caught:
            witness(store, client, partner(dea), key, node_name=SEMAR)
        assert "smaller size" in caught.value.message
    finally:
        fork.close()
    with store.reading() as conn:
        last = audit_checkpoints.last_witnessed(conn, dea.key.name, dea.key.public_key)
    assert last is not None and last.size == seen.size


def tamper_proof(path: str, body: bytes) -> bytes:
    if not path.endswith("/tearline/checkpoint/"):
        return body
    doc = json.loads(body)
    if doc["consistency"]:
        first = bytearray(bytes.fromhex(doc["consistency"][0]))
        first[0] ^= 1
        doc["consistency"][0] = first.hex()
    return json.dumps(doc).encode()


def test_a_proof_tampered_on_the_way_is_refused_and_nothing_is_cosigned(
        store: Store, dea: Node) -> None:
    key = semar_key(dea)
    with client_of(dea) as client:
        first = witness(store, client, partner(dea), key, node_name=SEMAR)
    grow(dea.store, "next")
    with client_of(dea, tamper=tamper_proof) as client, pytest.raises(IntegrityError):
        Puller(store, partner(dea), node_key=key, own_agency="mx.semar",
               node_name=SEMAR).run(client)
    (refused,) = kinds(store, "federation.refused")  # once, by the sync
    assert (refused["reason"], refused["peer"]) == ("unverified", f"node:{dea.identity.name}")
    assert kinds(store, "checkpoint.refused") == []
    assert_still_at(store, dea, first.size)


def test_a_bad_proof_signed_by_the_peer_itself_is_a_split_view(
        store: Store, dea: Node) -> None:
    """The peer signs a wrong proof (a buggy or lying log): the answer verifies, the proof
    does not, and a log that cannot prove consistency is treated as forked."""
    key = semar_key(dea)
    with client_of(dea) as client:
        first = witness(store, client, partner(dea), key, node_name=SEMAR)
    grow(dea.store, "next")
    with client_of(dea, tamper=tamper_proof, resign=True) as client, pytest.raises(
            SplitViewError) as caught:
        witness(store, client, partner(dea), key, node_name=SEMAR)
    assert "no valid consistency proof" in caught.value.message
    (refused,) = kinds(store, "checkpoint.refused")
    assert refused["reason"] == "split-view"
    assert_still_at(store, dea, first.size)


def test_a_signed_answer_for_another_question_or_another_log_is_refused(
        store: Store, dea: Node) -> None:
    key = semar_key(dea)
    with client_of(dea) as client:
        first = witness(store, client, partner(dea), key, node_name=SEMAR)

    def answer_from_zero(path: str, body: bytes) -> bytes:  # an old answer, re-signed
        doc = json.loads(body)
        if path.endswith("/tearline/checkpoint/"):
            doc["from"], doc["consistency"] = 0, []
        return json.dumps(doc).encode()

    def not_a_list(path: str, body: bytes) -> bytes:
        doc = json.loads(body)
        if path.endswith("/tearline/checkpoint/"):
            doc["consistency"] = "00" * 32
        return json.dumps(doc).encode()

    for tamper in (answer_from_zero, not_a_list):
        with client_of(dea, tamper=tamper, resign=True) as client, pytest.raises(PeerError):
            witness(store, client, partner(dea), key, node_name=SEMAR)
    assert [e["reason"] for e in kinds(store, "federation.refused")] == ["malformed"] * 2
    with store.reading() as conn:
        last = audit_checkpoints.last_witnessed(conn, dea.key.name, dea.key.public_key)
    assert last is not None and last.size == first.size


def test_a_checkpoint_signed_by_another_key_under_the_peers_name_is_not_cosigned(
        store: Store, dea: Node) -> None:
    key = semar_key(dea)
    forger = load_node_key(dea.peers["mx.fgr.aic"][1]).private_key

    def forged(path: str, body: bytes) -> bytes:
        doc = json.loads(body)
        if path.endswith("/tearline/checkpoint/"):
            checkpoint = Checkpoint.from_body(parse_note(doc["checkpoint"]).text)
            doc["checkpoint"] = sign_note(checkpoint, dea.key.name, forger)
        return json.dumps(doc).encode()

    with client_of(dea, tamper=forged, resign=True) as client, pytest.raises(ProofError):
        witness(store, client, partner(dea), key, node_name=SEMAR)
    (refused,) = kinds(store, "checkpoint.refused")
    assert refused["reason"] == "bad-signature"
    with store.reading() as conn:
        assert audit_checkpoints.last_witnessed(conn, dea.key.name, dea.key.public_key) is None
    assert cosigned_by_semar(dea) == []
