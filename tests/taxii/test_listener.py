"""The mutual-TLS listener with real handshakes on loopback: peers get in with their pinned
certificate, everyone else is refused at the handshake and logged; taxii2-client reads
our collections through it."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from taxiiworld import Node, build_node

from tearline.federation.identity import NodeFiles, init_node
from tearline.federation.signing import NONCE_HEADER, SIGNATURE_HEADER, new_nonce, verify_response
from tearline.stix.export import object_id
from tearline.store import audit_log
from tearline.store.peers import remove_peer
from tearline.store.store import Store
from tearline.taxii.collection import collection_id
from tearline.taxii.listener import build_server
from waiting import HANG, wait_until

SEMAR = "mx.semar.uie"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def listening(node: Node, keys_dir: Path) -> Iterator[str]:
    port = free_port()
    server = build_server(node.store, keys_dir, "127.0.0.1", port)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), "the listener to start")
    assert server.started, "the listener did not start"
    try:
        yield f"https://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(HANG)


@pytest.fixture
def world(store: Store, tmp_path: Path) -> Iterator[tuple[Node, str, Path]]:
    node = build_node(store, tmp_path)
    with listening(node, tmp_path / "dea-keys") as url:
        yield node, url, tmp_path
    node.close()


def client_context(node_keys: Path, client_keys: Path | None) -> ssl.SSLContext:
    """Trust exactly the node's certificate; present ``client_keys``' certificate if given."""
    context = ssl.create_default_context(cafile=str(NodeFiles(node_keys).tls_cert))
    if client_keys is not None:
        files = NodeFiles(client_keys)
        context.load_cert_chain(str(files.tls_cert), str(files.tls_key))
    return context


def refusals(store: Store) -> list[dict[str, Any]]:
    with store.reading() as conn:
        return [json.loads(e.body) for e in audit_log.entries(conn, limit=100_000)
                if e.kind == "auth.failed"]


def test_a_peer_pulls_over_mutual_tls(world: tuple[Node, str, Path]) -> None:
    node, url, tmp = world
    context = client_context(tmp / "dea-keys", tmp / f"{SEMAR}-keys")
    with httpx.Client(verify=context, base_url=url) as client:
        nonce = new_nonce()
        target = f"/taxii2/api/collections/{collection_id('agr-semar')}/objects/"
        r = client.get(target, headers={NONCE_HEADER: nonce,
                                        "Accept": "application/taxii+json;version=2.1"})
        assert r.status_code == 200
        verify_response(node.identity.verifier_key, r.headers[SIGNATURE_HEADER], nonce, "GET",
                        r.request.url.raw_path.decode(), r.content)
        ids = {o["id"] for o in r.json()["objects"]}
        assert object_id("p-shared", "Person") in ids
        assert object_id("p-secret", "Person") not in ids
    served = [e for e in _log(node.store) if e["kind"] == "record.read"]
    assert {e["actor"] for e in served} == {f"node:{SEMAR}"}
    assert refusals(node.store) == []


def _log(store: Store) -> list[dict[str, Any]]:
    with store.reading() as conn:
        return [json.loads(e.body) for e in audit_log.entries(conn, limit=100_000)]


@pytest.mark.parametrize("who", ["stranger", "nobody"])
def test_unknown_or_missing_certificates_fail_the_handshake_and_are_logged(
    world: tuple[Node, str, Path], who: str,
) -> None:
    node, url, tmp = world
    keys = None
    if who == "stranger":  # same agency and unit as a peer, but not its pinned certificate
        keys = tmp / "stranger"
        init_node(keys, "mx.semar", "mx.semar.uie")
    context = client_context(tmp / "dea-keys", keys)
    port = int(url.rsplit(":", 1)[1])
    with pytest.raises((ssl.SSLError, ConnectionError, OSError)):  # noqa: PT012
        with socket.create_connection(("127.0.0.1", port), timeout=HANG) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                # TLS 1.3: the client learns of the refusal on its first read
                tls.sendall(b"GET /taxii2/ HTTP/1.1\r\nHost: x\r\n\r\n")
                assert tls.recv(1024) == b"", "the server answered an unknown client"
                raise ConnectionError("closed without an answer")
    wait_until(lambda: len(refusals(node.store)) == 1, "the refusal's audit entry")
    (entry,) = refusals(node.store)
    assert entry["channel"] == "taxii"
    assert entry["reason"] == ("unknown" if who == "stranger" else "missing")
    with httpx.Client(verify=context, base_url=url) as client, pytest.raises(httpx.HTTPError):
        client.get("/taxii2/")
    assert not [e for e in _log(node.store) if e["kind"] == "record.read"]


def test_a_peer_removed_while_serving_is_refused_by_the_app(
    world: tuple[Node, str, Path],
) -> None:
    node, url, tmp = world
    context = client_context(tmp / "dea-keys", tmp / f"{SEMAR}-keys")
    with node.store.transaction() as conn:
        remove_peer(conn, SEMAR, datetime.now(UTC))
    with httpx.Client(verify=context, base_url=url) as client:
        r = client.get("/taxii2/api/collections/")
    assert r.status_code == 401 and "collections" not in r.json()
    assert [e["reason"] for e in refusals(node.store)] == ["unknown"]


def test_taxii2_client_reads_our_collections(world: tuple[Node, str, Path],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from taxii2client.v21 import Server, as_pages

    # requests lets these variables override the session's own CA file (verify=…)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    node, url, tmp = world
    peer = NodeFiles(tmp / f"{SEMAR}-keys")
    server = Server(f"{url}/taxii2/", verify=str(NodeFiles(tmp / "dea-keys").tls_cert),
                    cert=(str(peer.tls_cert), str(peer.tls_key)))
    assert server.title.startswith("tearline node")
    root = server.default
    assert root is not None and root.versions == ["application/taxii+json;version=2.1"]
    (collection,) = root.collections
    assert collection.id == collection_id("agr-semar") and collection.can_read
    objects: list[dict[str, Any]] = []
    for envelope in as_pages(collection.get_objects, per_request=1):
        objects += envelope.get("objects", [])
    ids = {o["id"] for o in objects}
    assert {object_id("p-shared", "Person"), object_id("p-friend", "Person")} <= ids
    assert object_id("p-secret", "Person") not in ids
    manifest = collection.get_manifest()
    assert {m["id"] for m in manifest["objects"]} == ids
    one = collection.get_object(object_id("p-friend", "Person"))
    assert [o["id"] for o in one["objects"]] == [object_id("p-friend", "Person")]


def test_the_listener_believes_no_forwarded_header(store: Store, tmp_path: Path) -> None:
    """Peers are their certificates; uvicorn's default would rewrite the client address
    from X-Forwarded-For sent over loopback."""
    node = build_node(store, tmp_path)
    try:
        config = build_server(node.store, tmp_path / "dea-keys", "127.0.0.1", 0).config
        assert config.proxy_headers is False
        config.load()
        assert "ProxyHeaders" not in type(config.loaded_app).__name__
    finally:
        node.close()
