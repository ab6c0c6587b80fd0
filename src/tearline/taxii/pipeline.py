"""The way every TAXII request goes: attribute it to a peer, run it, sign the answer.

:func:`endpoint` wraps each handler of :mod:`tearline.taxii.handlers`: it (1)
attributes the request to a peer by the client certificate of its TLS connection (the
listener puts the certificate chain into the ASGI ``tls`` extension;
``client_cert_chain``), (2) runs the handler in a worker thread, and (3) answers with
canonical JSON signed for the request's ``Tearline-Nonce``
(:mod:`tearline.federation.signing`). Errors leave the same way, as TAXII 2.1 error
message resources, signed too: a puller can tell a genuine "not found" from a forged
one, and a bug answers a fixed 500 message. Kept apart from the handlers so that the
one exit every answer takes can be read, and reviewed, on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tearline.audit.events import AuthFailed, now
from tearline.cursors import CursorBox
from tearline.errors import (
    AuthenticationError,
    InternalError,
    NotAcceptable,
    TearlineError,
    TooLarge,
    UnsupportedMediaType,
    tr,
)
from tearline.federation.identity import NodeIdentity
from tearline.federation.signing import NONCE_HEADER, SIGNATURE_HEADER, check_nonce, sign_response
from tearline.keys import NodeKey, cert_sha256, load_certificate
from tearline.store import Peer, Store, audit_log, peer_by_certificate
from tearline.taxii.consents import Signer
from tearline.taxii.wire import (
    MAX_CONTENT_LENGTH,
    TAXII_MEDIA,
    accepts_taxii,
    body_bytes,
    error_resource,
)

log = logging.getLogger("tearline.taxii")


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
    def signer(self) -> Signer:
        return Signer(self.key, self.identity.agency)


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
    raise AuthenticationError(tr("a client certificate of a current peer is required"))


def _target(request: Request) -> str:
    """The request target as the client sent it: raw path and query."""
    raw = request.scope.get("raw_path") or request.scope["path"].encode("utf-8")
    path = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    query = request.scope.get("query_string", b"").decode("latin-1")
    return f"{path}?{query}" if query else path


def _respond(node: Node, request: Request, reply: Reply, nonce: str) -> Response:
    try:
        body = body_bytes(reply.body)
    except TearlineError:  # a value JSON cannot carry (NaN, say): a bug, answered as one
        log.exception("TAXII answer cannot be encoded")
        reply = _error(InternalError(tr("internal error")))
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


def endpoint(handler: Handler, post: bool = False) -> Callable[[Request], Awaitable[Response]]:
    async def run(request: Request) -> Response:
        node = _node(request)
        nonce = request.headers.get(NONCE_HEADER, "")
        try:
            if nonce:
                check_nonce(nonce)
            if not accepts_taxii(request.headers.get("accept")):
                raise NotAcceptable(tr(
                    "this server answers {TAXII_MEDIA} only", TAXII_MEDIA=TAXII_MEDIA))
            peer = await run_in_threadpool(authenticate, node, request)
            if post:
                request.state.body = await _read_body(request)
            reply = await run_in_threadpool(handler, node, request, peer)
        except TearlineError as exc:
            reply = _error(exc)
            nonce = nonce if _nonce_ok(nonce) else ""
        except Exception:  # a bug: a fixed message out, the traceback to the log
            log.exception("TAXII request failed")
            reply = _error(InternalError(tr("internal error")))
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
        raise UnsupportedMediaType(tr("send {TAXII_MEDIA}", TAXII_MEDIA=TAXII_MEDIA))
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_CONTENT_LENGTH:
        raise TooLarge(tr(
            "request bodies are limited to {MAX_CONTENT_LENGTH} bytes",
            MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_CONTENT_LENGTH:
            raise TooLarge(tr(
                "request bodies are limited to {MAX_CONTENT_LENGTH} bytes",
                MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH))
        chunks.append(chunk)
    return b"".join(chunks)
