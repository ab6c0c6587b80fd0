"""The TAXII 2.1 ASGI application that peer nodes pull from.

Every request passes through :func:`_endpoint`, which (1) attributes it to a peer by
the client certificate of its TLS connection (the listener puts the certificate chain
into the ASGI ``tls`` extension; ``client_cert_chain``), (2) runs the endpoint, and
(3) answers with canonical JSON signed for the request's ``Tearline-Nonce``
(:mod:`tearline.federation.signing`). Errors leave the same way, as TAXII 2.1 error
message resources, signed too: a puller can tell a genuine "not found" from a forged
one. There is no other exit: unknown paths and methods are answered by the same
function, and a bug answers a fixed 500 message.

Starlette rather than FastAPI: the TAXII resources are fixed by the specification and
every body must be exactly the bytes that were signed, so routing is all this needs
from a framework.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tearline.audit.events import AuthFailed, now
from tearline.cursors import CursorBox
from tearline.errors import (
    AuthenticationError,
    InternalError,
    NotAcceptable,
    NotFound,
    PolicyDenied,
    TearlineError,
    TooLarge,
    UnsupportedMediaType,
    UnsupportedMethod,
    ValidationError,
)
from tearline.federation.deconflict_remote import EVALUATE, INDEX
from tearline.federation.identity import NodeIdentity
from tearline.federation.receipts import record_receipt
from tearline.federation.signing import NONCE_HEADER, SIGNATURE_HEADER, check_nonce, sign_response
from tearline.keys import NodeKey, cert_sha256, load_certificate
from tearline.store import Peer, Store, audit_log, peer_by_certificate, recalls_for
from tearline.taxii import deconflict, recalls, service, witnessing
from tearline.taxii.wire import (
    MAX_CONTENT_LENGTH,
    STIX_MEDIA,
    TAXII_MEDIA,
    Query,
    accepts_taxii,
    body_bytes,
    error_resource,
    parse_query,
)

log = logging.getLogger("tearline.taxii")

DISCOVERY = "/taxii2/"
ROOT = "/taxii2/api/"
_COLLECTION_PARAMS: frozenset[str] = frozenset()
_OBJECT_PARAMS = frozenset({"match[version]", "match[spec_version]", "added_after", "limit",
                            "next"})
_VERSIONS_PARAMS = frozenset({"match[spec_version]", "added_after", "limit", "next"})


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Node:
    """What the app needs of this node: its store, identity, signing key and cursors."""

    store: Store
    identity: NodeIdentity
    key: NodeKey
    cursors: CursorBox

    @property
    def signer(self) -> service.Signer:
        return service.Signer(self.key, self.identity.agency)


def _node(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


def _peer_certificate(request: Request) -> bytes | None:
    """DER of the client certificate the TLS connection presented, if any."""
    tls = request.scope.get("extensions", {}).get("tls") or {}
    chain = tls.get("client_cert_chain") or []
    if not chain:
        return None
    from cryptography.hazmat.primitives.serialization import Encoding

    return load_certificate(chain[0]).public_bytes(Encoding.DER)


def authenticate(node: Node, request: Request) -> Peer:
    """The current peer whose pinned certificate the connection presented; else logged and
    refused (:class:`AuthenticationError`)."""
    der = _peer_certificate(request)
    if der is not None:
        fingerprint = cert_sha256(der)
        with node.store.reading() as conn:
            peer = peer_by_certificate(conn, fingerprint)
        if peer is not None:
            return peer
    reason: Any = "missing" if der is None else "unknown"
    with node.store.transaction() as conn:
        audit_log.append(conn, [AuthFailed(
            at=now(), actor="system", channel="taxii", reason=reason,
            token_prefix=None if der is None else cert_sha256(der)[:8])])
    raise AuthenticationError("a client certificate of a current peer is required")


def _target(request: Request) -> str:
    """The request target as the client sent it: raw path and query."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode("utf-8")
    path = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


def _respond(node: Node, request: Request, reply: Reply, nonce: str) -> Response:
    body = body_bytes(reply.body)
    headers = dict(reply.headers)
    headers[SIGNATURE_HEADER] = sign_response(node.key, nonce, request.method,
                                              _target(request), body)
    return Response(body, status_code=reply.status, headers=headers, media_type=TAXII_MEDIA)


def _error(exc: TearlineError) -> Reply:
    status, body = error_resource(exc)
    headers = {"WWW-Authenticate": "Mutual-TLS"} if status == 401 else {}
    return Reply(status, body, headers)


Handler = Callable[[Node, Request, Peer], Reply]


def _endpoint(handler: Handler, post: bool = False) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        node = _node(request)
        nonce = request.headers.get(NONCE_HEADER, "")
        try:
            if nonce:
                check_nonce(nonce)
            if not accepts_taxii(request.headers.get("accept")):
                raise NotAcceptable(f"this server answers {TAXII_MEDIA} only")
            peer = await run_in_threadpool(authenticate, node, request)
            if post:
                request.state.body = await _read_body(request)
            reply = await run_in_threadpool(handler, node, request, peer)
        except TearlineError as exc:
            reply = _error(exc)
            nonce = nonce if _nonce_ok(nonce) else ""
        except Exception:  # a bug: a fixed message out, the traceback to the log
            log.exception("TAXII request failed")
            reply = _error(InternalError("internal error"))
            nonce = nonce if _nonce_ok(nonce) else ""
        return _respond(node, request, reply, nonce)

    return run


def _nonce_ok(nonce: str) -> bool:
    try:
        check_nonce(nonce)
    except TearlineError:
        return False
    return True


async def _read_body(request: Request) -> bytes:
    content_type = request.headers.get("content-type", "").replace(" ", "").lower()
    if not content_type.startswith("application/taxii+json"):
        raise UnsupportedMediaType(f"send {TAXII_MEDIA}")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_CONTENT_LENGTH:
        raise TooLarge(f"request bodies are limited to {MAX_CONTENT_LENGTH} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_CONTENT_LENGTH:
            raise TooLarge(f"request bodies are limited to {MAX_CONTENT_LENGTH} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _query(request: Request, allowed: frozenset[str] | None = None) -> Query:
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    return parse_query(params, allowed)


def _page_headers(page: service.Page) -> dict[str, str]:
    headers = {}
    if page.first_added:
        headers["X-TAXII-Date-Added-First"] = page.first_added
    if page.last_added:
        headers["X-TAXII-Date-Added-Last"] = page.last_added
    return headers


def _envelope(page: service.Page, key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = {"more": page.more}
    if page.next:
        body["next"] = page.next
    if items:
        body[key] = items
    return body


# -- endpoints --------------------------------------------------------------------------


def discovery(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    ident = node.identity
    return Reply(200, {
        "title": f"tearline node {ident.name}",
        "description": f"{ident.agency} ({ident.unit}): records released to your unit "
                       "by the dissemination policy, signed.",
        "default": ROOT,
        "api_roots": [ROOT],
    }, {})


def api_root(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    return Reply(200, {
        "title": f"tearline {node.identity.name}",
        "description": "One collection per agreement between your agency and ours.",
        "versions": [TAXII_MEDIA],
        "max_content_length": MAX_CONTENT_LENGTH,
    }, {})


def list_collections(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    with node.store.reading() as conn:
        found = service.collections(conn, peer, node.identity.agency)
    body: dict[str, Any] = {}
    if found:
        body["collections"] = [c.resource() for c in found]
    return Reply(200, body, {})


def _collection(node: Node, request: Request, peer: Peer) -> service.Collection:
    with node.store.reading() as conn:
        return service.find_collection(conn, peer, node.identity.agency,
                                       request.path_params["collection"])


def get_collection(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    return Reply(200, _collection(node, request, peer).resource(), {})


def get_objects(node: Node, request: Request, peer: Peer) -> Reply:
    coll = _collection(node, request, peer)
    page = service.page(node.store, peer, coll, _query(request), node.cursors,
                        datetime.now(UTC), "objects", node.signer)
    return Reply(200, _envelope(page, "objects", page.objects), _page_headers(page))


def post_objects(node: Node, request: Request, peer: Peer) -> Reply:
    _collection(node, request, peer)
    raise PolicyDenied(
        "this collection is read-only for your node: no agreement grants it write access",
        ["can_write is false"])


def get_manifest(node: Node, request: Request, peer: Peer) -> Reply:
    coll = _collection(node, request, peer)
    page = service.page(node.store, peer, coll, _query(request), node.cursors,
                        datetime.now(UTC), "manifest", node.signer)
    added = page.added_of()
    items = [{"id": o["id"], "date_added": added[o["id"]],
              "version": o.get("modified", o.get("created")), "media_type": STIX_MEDIA}
             for o in page.objects]
    return Reply(200, _envelope(page, "objects", items), _page_headers(page))


def get_object(node: Node, request: Request, peer: Peer) -> Reply:
    coll = _collection(node, request, peer)
    query = _query(request, _OBJECT_PARAMS)
    stix_id = request.path_params["object"]
    page = service.one_object(node.store, peer, coll, stix_id, query, node.cursors,
                              datetime.now(UTC), node.signer)
    objects = [o for o in page.objects if o["id"] == stix_id]
    return Reply(200, {"more": False, "objects": objects}, _page_headers(page))


def delete_object(node: Node, request: Request, peer: Peer) -> Reply:
    _collection(node, request, peer)
    raise PolicyDenied("objects are never deleted by a peer; the originator recalls them",
                       ["can_write is false"])


def get_versions(node: Node, request: Request, peer: Peer) -> Reply:
    coll = _collection(node, request, peer)
    query = _query(request, _VERSIONS_PARAMS)
    stix_id = request.path_params["object"]
    page = service.one_object(node.store, peer, coll, stix_id, query, node.cursors,
                              datetime.now(UTC), node.signer)
    versions = sorted({str(o.get("modified", o.get("created"))) for o in page.objects
                       if o["id"] == stix_id})
    return Reply(200, {"more": False, "versions": versions}, _page_headers(page))


def get_status(node: Node, request: Request, peer: Peer) -> Reply:
    # No POST is ever accepted (every collection is read-only), so no status exists.
    raise NotFound("no such status")


def post_receipt(node: Node, request: Request, peer: Peer) -> Reply:
    receipt = record_receipt(node.store, peer, request.state.body)
    return Reply(200, {"type": "tearline-receipt-recorded", "digest": receipt.digest,
                       "objects": len(receipt.objects)}, {})


def get_recalls(node: Node, request: Request, peer: Peer) -> Reply:
    _query(request, _COLLECTION_PARAMS)
    with node.store.reading() as conn:
        pending = recalls_for(conn, peer, datetime.now(UTC))
    return Reply(200, {"recalls": [r.resource() for r in pending]}, {})


def post_purge_receipt(node: Node, request: Request, peer: Peer) -> Reply:
    recall_id = recalls.record_purge_receipt(node.store, peer, request.state.body,
                                             datetime.now(UTC))
    return Reply(200, {"type": "tearline-purge-recorded", "recall_id": recall_id}, {})


def get_checkpoint(node: Node, request: Request, peer: Peer) -> Reply:
    params = request.query_params
    unknown = set(params.keys()) - {"from"}
    if unknown:
        raise ValidationError(f"unknown parameter(s): {', '.join(sorted(unknown))}")
    from_size = witnessing.parse_from(params.getlist("from"))
    return Reply(200, witnessing.checkpoint_answer(node.store, node.key, from_size), {})


def post_cosignature(node: Node, request: Request, peer: Peer) -> Reply:
    kept = witnessing.record_cosignature(node.store, node.key, node.identity.name, peer,
                                         request.state.body)
    return Reply(200, {"type": "tearline-cosignature-recorded", "size": kept.size,
                       "root": kept.root.hex(), "new": kept.new}, {})


def _not_found(node: Node, request: Request, peer: Peer) -> Reply:
    raise NotFound("no such resource")


def _method(node: Node, request: Request, peer: Peer) -> Reply:
    raise UnsupportedMethod(f"{request.method} is not allowed here")


def deconflict_routes() -> list[Route]:
    """Blind deconfliction on the same listener (:mod:`tearline.taxii.deconflict`)."""

    def wrap(handler: Callable[[Node, Request, Peer], tuple[int, dict[str, Any]]]) -> Handler:
        def run(node: Node, request: Request, peer: Peer) -> Reply:
            status, body = handler(node, request, peer)
            return Reply(status, body, {})

        return run

    return [
        Route(ROOT + EVALUATE, _endpoint(wrap(deconflict.evaluate), post=True),
              methods=["POST"]),
        Route(ROOT + INDEX, _endpoint(wrap(deconflict.index)), methods=["GET"]),
    ]


def create_app(store: Store, identity: NodeIdentity, key: NodeKey) -> Starlette:
    """The TAXII application of this node, serving ``store`` to its current peers."""
    c = ROOT + "collections/{collection}/"
    routes = [
        Route(DISCOVERY, _endpoint(discovery), methods=["GET"]),
        Route(ROOT, _endpoint(api_root), methods=["GET"]),
        Route(ROOT + "collections/", _endpoint(list_collections), methods=["GET"]),
        Route(c, _endpoint(get_collection), methods=["GET"]),
        Route(c + "objects/", _endpoint(get_objects), methods=["GET"]),
        Route(c + "objects/", _endpoint(post_objects, post=True), methods=["POST"]),
        Route(c + "objects/{object}/", _endpoint(get_object), methods=["GET"]),
        Route(c + "objects/{object}/", _endpoint(delete_object), methods=["DELETE"]),
        Route(c + "objects/{object}/versions/", _endpoint(get_versions), methods=["GET"]),
        Route(c + "manifest/", _endpoint(get_manifest), methods=["GET"]),
        Route(ROOT + "status/{status}/", _endpoint(get_status), methods=["GET"]),
        Route(ROOT + "tearline/receipts/", _endpoint(post_receipt, post=True),
              methods=["POST"]),
        Route(ROOT + "tearline/recalls/", _endpoint(get_recalls), methods=["GET"]),
        Route(ROOT + "tearline/purge-receipts/", _endpoint(post_purge_receipt, post=True),
              methods=["POST"]),
        Route(ROOT + "tearline/checkpoint/", _endpoint(get_checkpoint), methods=["GET"]),
        Route(ROOT + "tearline/cosignatures/", _endpoint(post_cosignature, post=True),
              methods=["POST"]),
        *deconflict_routes(),
    ]
    app = Starlette(routes=routes)
    app.router.redirect_slashes = False  # a redirect would leave unsigned
    app.state.node = Node(store, identity, key, service.cursor_box(key))
    not_found = _endpoint(_not_found)
    wrong_method = _endpoint(_method)

    async def on_404(request: Request, exc: Exception) -> Response:
        return await not_found(request)

    async def on_405(request: Request, exc: Exception) -> Response:
        return await wrong_method(request)

    app.add_exception_handler(404, on_404)
    app.add_exception_handler(405, on_405)
    return app
