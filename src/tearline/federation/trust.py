"""How a TAXII client trusts a server: the pinned certificate and signed responses.

* :class:`TlsConfig`: mutual TLS with the peer's self-signed certificate as the *only*
  trust anchor (the pin, not the host name, identifies the peer);
* :class:`ResponseCheck` / :class:`SignedBy`: the check of every response's
  ``Tearline-Signature`` over our nonce, method, path and body, made with the peer's
  verifier key (:mod:`tearline.federation.signing`).

Kept apart from the client (:mod:`tearline.federation.client`) because they hold no
network library: the partners (:mod:`tearline.federation.partners`) build them from
the registered peers and sources, and the client only applies them.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tearline.errors import PeerError, tr
from tearline.federation.signing import verify_response


class ResponseCheck(Protocol):
    """Verifies one response; raises :class:`IntegrityError` if it does not verify."""

    def __call__(self, *, nonce: str, method: str, target: str, body: bytes,
                 signature: str | None) -> None: ...


@dataclass(frozen=True, slots=True)
class SignedBy:
    """The check for a tearline peer: its verifier key signed the response for our nonce."""

    verifier_key: str

    def __call__(self, *, nonce: str, method: str, target: str, body: bytes,
                 signature: str | None) -> None:
        verify_response(self.verifier_key, signature, nonce, method, target, body)


@dataclass(frozen=True, slots=True)
class TlsConfig:
    """Client certificate (mutual TLS) and the pinned server certificate."""

    server_certificate: str | None = None  # PEM; None: the system's trust store
    client_certificate: Path | None = None
    client_key: Path | None = None

    def context(self) -> ssl.SSLContext:
        if self.server_certificate is None:
            ctx = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        else:
            # The pinned certificate is the only trust anchor; the pin, not the host
            # name, identifies the peer (nodes are reached by address on loopback or
            # private networks), so the name check is replaced by the pin check. The
            # system's CA store is not read: it would not be used.
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_REQUIRED
            try:
                ctx.load_verify_locations(cadata=self.server_certificate)
            except ssl.SSLError as exc:
                raise PeerError(tr(
                    "the pinned server certificate is not usable: {exc}", exc=exc)) from exc
        if self.client_certificate is not None:
            try:
                ctx.load_cert_chain(self.client_certificate, self.client_key)
            except (OSError, ssl.SSLError) as exc:
                raise PeerError(tr("the client certificate is not usable: {exc}", exc=exc)) from exc
        return ctx
