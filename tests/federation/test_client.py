"""The TAXII 2.1 client against real servers: medallion (standard, unsigned) on loopback,
and small TLS servers for the pinned certificate and mutual TLS."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from medallion_server import API_ROOT, COLLECTION, Medallion, medallion_fixture

from tearline.errors import IntegrityError, PeerError
from tearline.federation.client import TaxiiClient
from tearline.federation.identity import init_node
from tearline.federation.signing import NONCE_HEADER, SIGNATURE_HEADER, sign_response
from tearline.federation.trust import SignedBy, TlsConfig

medallion = medallion_fixture(count=60, page_size=25)


def client_for(server: Medallion, **kw: Any) -> TaxiiClient:
    return TaxiiClient(server.url, auth=server.auth, **kw)


def test_discovery_roots_and_collections(medallion: Medallion) -> None:
    with client_for(medallion) as client:
        roots = client.api_roots()
        assert roots == [medallion.url.replace("/taxii2/", f"/{API_ROOT}/")]
        assert "versions" in client.api_root(roots[0])
        (collection,) = client.collections(roots[0])
        assert collection.id == COLLECTION and collection.can_read


def test_paging_follows_next_and_returns_every_object_once(medallion: Medallion) -> None:
    with client_for(medallion) as client:
        root = client.api_roots()[0]
        pages = list(client.pages(root, COLLECTION, limit=25))
    ids = [o["id"] for p in pages for o in p.objects]
    assert len(pages) == -(-len(medallion.objects) // 25) > 2
    assert sorted(ids) == sorted(o["id"] for o in medallion.objects)
    assert all(p.more for p in pages[:-1]) and not pages[-1].more
    assert all(p.date_added_last for p in pages)


def test_added_after_and_manifest(medallion: Medallion) -> None:
    with client_for(medallion) as client:
        root = client.api_roots()[0]
        manifest = [e for p in client.pages(root, COLLECTION, limit=25, manifest=True)
                    for e in p.objects]
        assert {e["id"] for e in manifest} == {o["id"] for o in medallion.objects}
        last = max(e["date_added"] for e in manifest)
        later = client.objects(root, COLLECTION, added_after=last)
        assert later.objects == () and not later.more


def test_wrong_password_and_unknown_collection_are_peer_errors(medallion: Medallion) -> None:
    with TaxiiClient(medallion.url, auth=("puller", "wrong")) as client, pytest.raises(
            PeerError, match="401"):
        client.discovery()
    with client_for(medallion) as client, pytest.raises(PeerError, match="404"):
        client.objects(client.api_roots()[0], "00000000-0000-0000-0000-000000000000")


def test_unreachable_peer_is_a_peer_error() -> None:
    with TaxiiClient("http://127.0.0.1:9/taxii2/", timeout=2) as client, pytest.raises(
            PeerError):
        client.discovery()


def test_a_signature_check_refuses_medallions_unsigned_answers(medallion: Medallion) -> None:
    seen: list[str] = []

    def check(*, nonce: str, method: str, target: str, body: bytes,
              signature: str | None) -> None:
        seen.append(target)
        SignedBy("x+00000000+AAAA")(nonce=nonce, method=method, target=target, body=body,
                                    signature=signature)

    with client_for(medallion, check=check) as client, pytest.raises(IntegrityError):
        client.discovery()
    assert seen == ["/taxii2/"]


# -- TLS: a pinned self-signed certificate, mutual TLS, signed answers ---------------------


class _Handler(BaseHTTPRequestHandler):
    body = b"{}"
    sign_with: Any = None
    replay: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.dumps({"title": "signed", "api_roots": []}).encode()
        nonce = self.headers.get(NONCE_HEADER, "")
        self.send_response(200)
        self.send_header("Content-Type", "application/taxii+json;version=2.1")
        if self.sign_with is not None:
            if "sig" in self.replay:  # an answer signed for an earlier request
                header = self.replay["sig"]
            else:
                header = sign_response(self.sign_with, nonce, "GET", self.path, body)
                self.replay["sig"] = header
            self.send_header(SIGNATURE_HEADER, header)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _serve(context: ssl.SSLContext, handler: type[BaseHTTPRequestHandler]
           ) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"https://127.0.0.1:{server.server_address[1]}/taxii2/"


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[dict[str, Any]]:
    a = init_node(tmp_path / "a", "us.dea", "us.dea.sod")
    b = init_node(tmp_path / "b", "mx.semar", "mx.semar.uie")
    c = init_node(tmp_path / "c", "mx.fgr", "mx.fgr.femdo")
    yield {"a": (a, tmp_path / "a"), "b": (b, tmp_path / "b"), "c": (c, tmp_path / "c")}


def _server_context(keys: Path, client_ca: str | None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(keys / "tls.crt", keys / "tls.key")
    if client_ca is not None:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cadata=client_ca)
    return ctx


def test_pinned_certificate_and_mutual_tls(nodes: dict[str, Any]) -> None:
    (a, a_keys), (b, b_keys), (c, _) = nodes["a"], nodes["b"], nodes["c"]

    class Handler(_Handler):
        sign_with = a.key
        replay: dict[str, str] = {}

    server, url = _serve(_server_context(a_keys, b.identity.tls_certificate), Handler)
    try:
        mine = TlsConfig(a.identity.tls_certificate, b_keys / "tls.crt", b_keys / "tls.key")
        check = SignedBy(a.identity.verifier_key)
        with TaxiiClient(url, tls=mine, check=check) as client:
            assert client.discovery()["title"] == "signed"
            # the same signed answer again, for a new nonce: a replay
            with pytest.raises(IntegrityError, match="does not verify"):
                client.discovery()
        # pinned to another node's certificate: the handshake fails
        other = TlsConfig(c.identity.tls_certificate, b_keys / "tls.crt", b_keys / "tls.key")
        with TaxiiClient(url, tls=other, check=check) as client, pytest.raises(PeerError):
            client.discovery()
        # no client certificate: the server refuses the handshake
        anonymous = TlsConfig(a.identity.tls_certificate)
        with TaxiiClient(url, tls=anonymous, check=check) as client, pytest.raises(PeerError):
            client.discovery()
        # the right server, but a verifier key of another node
        Handler.replay.clear()
        wrong_key = SignedBy(c.identity.verifier_key)
        with TaxiiClient(url, tls=mine, check=wrong_key) as client, pytest.raises(
                IntegrityError, match="expected the peer's key"):
            client.discovery()
    finally:
        server.shutdown()
        server.server_close()


def test_a_pinned_context_trusts_the_pin_alone_without_reading_the_system_store(
        nodes: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The system's CA store would not be used beside a pin: reading it (tens of
    milliseconds, on every client a node builds) is not done at all."""
    (a, _), (_, b_keys) = nodes["a"], nodes["b"]

    def unread(*_args: Any, **_kwargs: Any) -> ssl.SSLContext:
        raise AssertionError("the system's trust store was read")

    monkeypatch.setattr(ssl, "create_default_context", unread)
    ctx = TlsConfig(a.identity.tls_certificate, b_keys / "tls.crt", b_keys / "tls.key").context()
    assert ctx.cert_store_stats()["x509"] == 1  # the pin, and nothing of the system's
    assert ctx.verify_mode == ssl.CERT_REQUIRED
    assert ctx.minimum_version == ssl.TLSVersion.TLSv1_2


# -- a hostile peer's answers ------------------------------------------------------------


class _Nested(BaseHTTPRequestHandler):
    """Answers every GET with JSON nested far deeper than any TAXII resource."""

    status = 200

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = b'{"title":' * 50_000 + b'"x"' + b"}" * 50_000
        self.send_response(self.status)
        self.send_header("Content-Type", "application/taxii+json;version=2.1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.parametrize("status", [200, 404])
def test_a_deeply_nested_answer_is_a_peer_error(status: int) -> None:
    """The answer and the error page alike: a typed error, never a RecursionError."""

    class Handler(_Nested):
        pass

    Handler.status = status
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/taxii2/"
        with TaxiiClient(url, timeout=10) as client, pytest.raises(
                PeerError, match="deeper than" if status == 200 else "404"):
            client.discovery()
    finally:
        server.shutdown()
        server.server_close()
