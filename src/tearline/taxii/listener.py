"""The mutual-TLS listener peers pull from: uvicorn, an SSL context that knows only peers.

**Trust.** The context requires a client certificate and trusts exactly the pinned
certificates of the current peers (each self-signed certificate is its own trust
anchor: ``VERIFY_X509_PARTIAL_CHAIN``). A client presenting anything else — no
certificate, a certificate of a removed peer, one signed by any public CA — fails the
handshake; no HTTP is ever read from it. The refusal is written to the audit log
(``auth.failed``, channel ``taxii``) by :class:`AuditedSSLObject`, the SSL object class
of the context, whose ``do_handshake`` sees the failure as it happens. Peers added
later are trusted after a restart; a peer removed is refused at once by the
application, which checks every request's certificate against the current peers.

**Attribution.** :class:`PeerCertProtocol` (uvicorn's h11 protocol, one instance per
connection) reads the peer's DER certificate from the TLS object when the connection
is made and puts it, as PEM, into every request's ASGI ``tls`` extension
(``client_cert_chain``), where :mod:`tearline.taxii.pipeline` reads it. The ASGI TLS
extension was chosen over a private scope key so that the app runs unchanged behind
any server implementing it.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from tearline.audit.events import AuthFailed, now
from tearline.errors import ConfigError, tr
from tearline.federation.identity import NodeFiles, load_identity, load_tls_key
from tearline.keys import load_node_key
from tearline.store import Peer, Store, audit_log, peers
from tearline.taxii.app import create_app

log = logging.getLogger("tearline.federation")

Refusal = Literal["missing", "unknown"]


def refusal_of(exc: ssl.SSLError) -> Refusal | None:
    """Whether a failed handshake was a refused client certificate, and how."""
    text = f"{exc.reason or ''} {exc}".lower()
    if "peer did not return a certificate" in text or "certificate required" in text:
        return "missing"
    if isinstance(exc, ssl.SSLCertVerificationError) or "certificate" in text:
        return "unknown"
    return None


class AuditedSSLObject(ssl.SSLObject):
    """An SSL object whose failed handshakes are reported to its context's ``on_refused``."""

    def do_handshake(self) -> None:
        try:
            super().do_handshake()
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            raise  # not a failure: the handshake needs more bytes
        except ssl.SSLError as exc:
            hook = getattr(self.context, "on_refused", None)
            reason = refusal_of(exc)
            if hook is not None and reason is not None:
                try:
                    hook(reason)
                except Exception:  # the refusal stands even if it cannot be logged
                    log.exception("could not log a refused handshake")
            raise


class PeerContext(ssl.SSLContext):
    """A server context for peers, with a hook called on every refused certificate."""

    on_refused: Callable[[Refusal], None] | None = None


def peer_context(keys_dir: Path, trusted: Sequence[Peer],
                 on_refused: Callable[[Refusal], None] | None = None) -> PeerContext:
    """TLS 1.2+, the node's certificate, client certificates required, only ``trusted``."""
    files = NodeFiles(keys_dir)
    load_tls_key(keys_dir)  # refuses a key file readable by others
    context = PeerContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(str(files.tls_cert), str(files.tls_key))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(tr(
            "cannot load the node's TLS certificate and key: {exc}", exc=exc)) from exc
    context.verify_mode = ssl.CERT_REQUIRED
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    if trusted:
        context.load_verify_locations(cadata="".join(p.tls_certificate for p in trusted))
    context.sslobject_class = AuditedSSLObject
    context.on_refused = on_refused
    return context


def audit_refusal(store: Store) -> Callable[[Refusal], None]:
    """Log a refused handshake (no certificate material: the handshake did not finish)."""

    def record(reason: Refusal) -> None:
        with store.transaction() as conn:
            audit_log.append(conn, [AuthFailed(at=now(), actor="system", token_prefix=None,
                                               reason=reason, channel="taxii")])

    return record


class PeerCertProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, passing the peer certificate of the connection to the app."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        ssl_object = transport.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        if not der:
            return
        tls = {"client_cert_chain": [ssl.DER_cert_to_PEM_cert(der)],
               "tls_version": None, "cipher_suite": None}
        inner = self.app

        async def with_certificate(scope: Any, receive: Any, send: Any) -> None:
            scope = {**scope, "extensions": {**(scope.get("extensions") or {}), "tls": tls}}
            await inner(scope, receive, send)

        self.app = with_certificate


def build_server(store: Store, keys_dir: Path, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for the TAXII app over mutual TLS with the current peers."""
    identity = load_identity(keys_dir)
    key = load_node_key(keys_dir)
    with store.reading() as conn:
        trusted = peers.peers(conn)
    context = peer_context(keys_dir, trusted, audit_refusal(store))
    config = uvicorn.Config(
        create_app(store, identity, key),
        host=host,
        port=port,
        http=PeerCertProtocol,
        # asyncio's own loop: the refusal audit and the peer binding rely on its TLS
        # transport building connections from the context's ``sslobject_class``.
        loop="asyncio",
        ssl_context_factory=lambda _config, _default: context,
        # Peers are known by their certificates, never by addresses: no forwarded
        # header is believed (uvicorn's default trusts one from loopback).
        proxy_headers=False,
        access_log=False,
        server_header=False,
        log_level="warning",
        timeout_graceful_shutdown=5,
        lifespan="off",
    )
    return uvicorn.Server(config)


def serve(store: Store, keys_dir: Path, host: str, port: int) -> None:
    """Serve TAXII to the peers until interrupted."""
    build_server(store, keys_dir, host, port).run()
