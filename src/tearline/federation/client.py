"""A TAXII 2.1 client over httpx: discovery, API roots, collections, objects, manifests.

This is the edge through which a node pulls from a partner. It speaks plain TAXII 2.1
(so it reads any standard server, such as the OASIS reference server ``medallion``),
and adds what tearline peers need:

* **mutual TLS with a pinned server certificate**: the peer's self-signed certificate
  is the *only* trust anchor of the connection, and the SHA-256 of the certificate the
  server presents is compared with the pin on every response (a CA-issued certificate
  for the same name cannot take its place);
* **signed responses with nonces**: every request carries a fresh ``Tearline-Nonce``
  (128 random bits); a checker (``ResponseCheck``, built from
  :mod:`tearline.federation.signing` and the peer's verifier key) verifies the
  ``Tearline-Signature`` over nonce, method, path and body *before* the body is parsed.
  A replayed or altered response fails there with :class:`IntegrityError`.

Whether a peer may be unsigned is not decided here: the caller passes a checker for a
tearline peer and none for a standard TAXII source registered as such (see
:mod:`tearline.federation.partners`). The trust pieces (the pinned TLS configuration,
the response check) live in :mod:`tearline.federation.trust`, the resources read back
(collections, pages) in :mod:`tearline.federation.taxii_resources`: neither needs
httpx, which is kept to this module.

Errors: a peer that cannot be reached, times out, answers with a TAXII error or with
something that is not TAXII raises :class:`PeerError`; a response that fails
verification raises :class:`IntegrityError` (evidence, not an outage).
"""

from __future__ import annotations

import hashlib
import json
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from tearline.errors import IntegrityError, PeerError, PeerRefused, ValidationError, tr
from tearline.federation.jsonbody import decode, decode_object
from tearline.federation.signing import NONCE_HEADER, SIGNATURE_HEADER, new_nonce
from tearline.federation.taxii_resources import Collection, Page
from tearline.federation.trust import ResponseCheck, TlsConfig
from tearline.keys import cert_sha256

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
#: The largest response body read from a peer (a page of objects); more is refused.
MAX_BODY = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Answer:
    """A verified response: status, headers and the body as received."""

    status: int
    headers: httpx.Headers
    content: bytes
    target: str


@dataclass
class TaxiiClient:
    """A TAXII 2.1 client for one server.

    ``check`` verifies every response (tearline peers); ``None`` accepts unsigned
    responses (a standard TAXII server registered as such).
    """

    base_url: str
    tls: TlsConfig | None = None
    check: ResponseCheck | None = None
    auth: tuple[str, str] | None = None
    timeout: float = 60.0
    _http: httpx.Client | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.base_url.endswith("/"):
            self.base_url += "/"
        self._pin = (cert_sha256(self.tls.server_certificate)
                     if self.tls and self.tls.server_certificate else None)
        verify: ssl.SSLContext | bool = self.tls.context() if self.tls else True
        self._http = httpx.Client(
            verify=verify, timeout=self.timeout, auth=self.auth, follow_redirects=False,
            headers={"Accept": TAXII_MEDIA_TYPE, "User-Agent": "tearline-taxii-client/1"},
        )

    def __enter__(self) -> TaxiiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    # -- TAXII resources -----------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return self._object(self.get(self.base_url))

    def api_roots(self) -> list[str]:
        """Absolute URLs of the server's API roots (the default first)."""
        doc = self.discovery()
        roots = doc.get("api_roots") or []
        if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
            raise PeerError(tr("malformed TAXII discovery: api_roots must be a list of URLs"))
        out = [self._absolute(r) for r in roots]
        default = doc.get("default")
        if isinstance(default, str) and self._absolute(default) in out:
            out.remove(self._absolute(default))
            out.insert(0, self._absolute(default))
        return out

    def api_root(self, root: str) -> dict[str, Any]:
        return self._object(self.get(self._root(root)))

    def collections(self, root: str) -> list[Collection]:
        doc = self._object(self.get(self._root(root) + "collections/"))
        items = doc.get("collections") or []
        if not isinstance(items, list):
            raise PeerError(tr("malformed TAXII collections: not a list"))
        return [Collection.from_json(c) for c in items]

    def objects(self, root: str, collection_id: str, *, added_after: str | None = None,
                limit: int | None = None, next_token: str | None = None,
                match: Mapping[str, str] | None = None) -> Page:
        return self._page(self._root(root) + f"collections/{collection_id}/objects/",
                          added_after, limit, next_token, match)

    def manifest(self, root: str, collection_id: str, *, added_after: str | None = None,
                 limit: int | None = None, next_token: str | None = None,
                 match: Mapping[str, str] | None = None) -> Page:
        return self._page(self._root(root) + f"collections/{collection_id}/manifest/",
                          added_after, limit, next_token, match)

    def pages(self, root: str, collection_id: str, *, added_after: str | None = None,
              limit: int | None = None, manifest: bool = False) -> Iterator[Page]:
        """Every page from ``added_after`` on, following ``next`` (same filters each time,
        as TAXII requires)."""
        fetch = self.manifest if manifest else self.objects
        token: str | None = None
        while True:
            page = fetch(root, collection_id, added_after=added_after, limit=limit,
                         next_token=token)
            yield page
            if not page.more or not page.next:
                return
            token = page.next

    def get_json(self, url: str) -> dict[str, Any]:
        """GET a JSON object (e.g. a tearline extension endpoint), verified like the rest."""
        return self._object(self.get(self._absolute(url)))

    def post(self, url: str, document: Mapping[str, Any]) -> dict[str, Any]:
        """POST a JSON document (a signed receipt) and return the (verified) answer."""
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self._object(self._send("POST", self._absolute(url), body))

    # -- plumbing ------------------------------------------------------------------------

    def get(self, url: str, params: Mapping[str, str] | None = None) -> Answer:
        return self._send("GET", url, None, params)

    def _page(self, url: str, added_after: str | None, limit: int | None,
              next_token: str | None, match: Mapping[str, str] | None) -> Page:
        params: dict[str, str] = {}
        if added_after:
            params["added_after"] = added_after
        if limit is not None:
            params["limit"] = str(limit)
        if next_token:
            params["next"] = next_token
        for key, value in (match or {}).items():
            params[f"match[{key}]"] = value
        response = self._send("GET", url, None, params)
        doc = self._object(response)
        objects = doc.get("objects") or []
        if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
            raise PeerError(tr("malformed TAXII envelope: objects must be a list of objects"))
        more = doc.get("more", False)
        token = doc.get("next")
        return Page(
            objects=tuple(objects),
            more=more is True,
            next=token if isinstance(token, str) and token else None,
            date_added_first=response.headers.get("X-TAXII-Date-Added-First"),
            date_added_last=response.headers.get("X-TAXII-Date-Added-Last"),
            body_bytes=len(response.content),
        )

    def _send(self, method: str, url: str, body: bytes | None,
              params: Mapping[str, str] | None = None) -> Answer:
        if self._http is None:
            raise PeerError(tr("the TAXII client is closed"))
        nonce = new_nonce()
        headers = {NONCE_HEADER: nonce}
        if body is not None:
            headers["Content-Type"] = TAXII_MEDIA_TYPE
        try:
            request = self._http.build_request(method, url, params=params, content=body,
                                               headers=headers)
            response = self._http.send(request, stream=True)
            try:
                self._check_pin(response)
                content = self._read(response)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise PeerError(tr(
                "{method} {url}: the peer did not answer in time", method=method, url=url)) from exc
        except httpx.HTTPError as exc:
            raise PeerError(tr(
                "{method} {url}: {name}: {exc}",
                method=method, url=url, name=type(exc).__name__, exc=exc)) from exc
        except ssl.SSLError as exc:
            raise PeerError(tr(
                "{method} {url}: TLS failed: {exc}", method=method, url=url, exc=exc)) from exc
        target = request.url.raw_path.decode("ascii")
        if self.check is not None:
            # Verify before anything of the body is interpreted, errors included: an
            # unsigned error page from a peer that must sign is not believed either.
            self.check(nonce=nonce, method=method, target=target, body=content,
                       signature=response.headers.get(SIGNATURE_HEADER))
        if response.status_code >= 400:
            raise PeerRefused(tr(
                "{method} {target}: the peer answered {status_code}{error_text}",
                method=method, target=target, status_code=response.status_code,
                error_text=self._error_text(content)), response.status_code)
        return Answer(response.status_code, response.headers, content, target)

    def _check_pin(self, response: httpx.Response) -> None:
        if self._pin is None:
            return
        stream = response.extensions.get("network_stream")
        ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
        der = ssl_object.getpeercert(True) if ssl_object is not None else None
        if der is None:
            raise PeerError(tr("could not read the certificate the peer presented"))
        if hashlib.sha256(der).hexdigest() != self._pin:
            raise IntegrityError(tr("the peer presented a certificate other than the pinned one"))

    @staticmethod
    def _read(response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_BODY:
                raise PeerError(tr(
                    "the peer's answer exceeds {MAX_BODY:,} bytes", MAX_BODY=MAX_BODY))
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _error_text(content: bytes) -> str:
        try:
            doc = decode(content, "an error message")
        except ValidationError:
            return ""
        if isinstance(doc, dict):
            parts = [str(doc[k]) for k in ("title", "description") if doc.get(k)]
            return (": " + " — ".join(parts))[:500] if parts else ""
        return ""

    @staticmethod
    def _object(response: Answer) -> dict[str, Any]:
        kind = response.headers.get("Content-Type", "").replace(" ", "").lower()
        if not kind.startswith("application/taxii+json") and not kind.startswith(
                "application/json"):
            raise PeerError(tr(
                "expected {TAXII_MEDIA_TYPE}, the peer sent {value}",
                TAXII_MEDIA_TYPE=TAXII_MEDIA_TYPE, value=kind or 'nothing'))
        try:
            return decode_object(response.content, "the peer's answer")
        except ValidationError as exc:
            raise PeerError(exc.message) from exc

    def _absolute(self, url: str) -> str:
        return urljoin(self.base_url, url)

    def _root(self, root: str) -> str:
        url = self._absolute(root)
        return url if url.endswith("/") else url + "/"
