"""Signatures between nodes: every TAXII response, and signed documents (receipts).

**Responses.** The body of every TAXII response is canonical JSON (RFC 8785) and the
response carries ``Tearline-Signature: v1;key=<key id hex>;sig=<base64url>``, an Ed25519
signature over::

    b"tearline-taxii-v1\\n" + nonce + b"\\n" + method + b" " + path_and_query + b"\\n" + body

The nonce is the client's ``Tearline-Nonce`` request header (128 random bits,
base64url), echoed into the signed bytes: a response recorded earlier, or for another
request, does not verify against a fresh nonce, so replay and substitution are caught
by the puller, not only tampering. TLS already protects the channel; the signature is
what the puller can keep and show later (the originator's node said exactly this).

**Documents.** :func:`sign_document` adds a ``signature`` member to a JSON object: an
Ed25519 signature over ``b"tearline-document-v1\\n"`` + the canonical JSON of the object
without that member. Receipts and purge receipts are such documents.

Every verification failure is an :class:`IntegrityError`: the caller refuses the data
whatever the cause (bad key id, bad base64, wrong signature).
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tearline.audit.canonical import canonical_bytes
from tearline.audit.note import key_id, parse_verifier_key
from tearline.errors import IntegrityError, ProofError, ValidationError, tr
from tearline.federation.jsonbody import decode_object
from tearline.keys import NodeKey

SIGNATURE_HEADER = "Tearline-Signature"
NONCE_HEADER = "Tearline-Nonce"
RESPONSE_CONTEXT = b"tearline-taxii-v1\n"
DOCUMENT_CONTEXT = b"tearline-document-v1\n"
SIGNATURE_MEMBER = "signature"

_NONCE = re.compile(r"[A-Za-z0-9_-]{22}")  # 16 bytes, base64url without padding
_HEADER = re.compile(r"v1;key=([0-9a-f]{8});sig=([A-Za-z0-9_-]{86})")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_nonce() -> str:
    """A fresh request nonce: 128 random bits, base64url."""
    return b64url(os.urandom(16))


def check_nonce(nonce: str) -> str:
    """The nonce if well-formed; :class:`ValidationError` otherwise."""
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        raise ValidationError(
            tr(
                "invalid {NONCE_HEADER} header: expected 128 random bits in base64url (22 "
                "characters)", NONCE_HEADER=NONCE_HEADER)
        )
    return nonce


def response_bytes(nonce: str, method: str, path_and_query: str, body: bytes) -> bytes:
    """The exact bytes a response signature covers."""
    return (
        RESPONSE_CONTEXT + nonce.encode("ascii") + b"\n" + method.upper().encode("ascii")
        + b" " + path_and_query.encode("utf-8") + b"\n" + body
    )


def sign_response(key: NodeKey, nonce: str, method: str, path_and_query: str,
                  body: bytes) -> str:
    """The ``Tearline-Signature`` header value for a response."""
    signature = key.private_key.sign(response_bytes(nonce, method, path_and_query, body))
    return f"v1;key={key.key_id()};sig={b64url(signature)}"


def _public_key(verifier_key: str) -> tuple[Ed25519PublicKey, str]:
    try:
        name, public = parse_verifier_key(verifier_key)
    except ProofError as exc:
        raise IntegrityError(tr("unusable verifier key: {message}", message=exc.message)) from exc
    return public, key_id(name, public).hex()


def verify_response(verifier_key: str, header: str | None, nonce: str, method: str,
                    path_and_query: str, body: bytes) -> None:
    """Check a response signature; :class:`IntegrityError` unless it is the signer's, over
    exactly these bytes and this nonce."""
    public, expected_id = _public_key(verifier_key)
    match = _HEADER.fullmatch(header or "")
    if match is None:
        raise IntegrityError(tr(
            "missing or malformed {SIGNATURE_HEADER} header", SIGNATURE_HEADER=SIGNATURE_HEADER))
    if match.group(1) != expected_id:
        raise IntegrityError(
            tr(
                "response signed with key {group}, expected the peer's key {expected_id}",
                group=match.group(1), expected_id=expected_id)
        )
    try:
        public.verify(unb64url(match.group(2)),
                      response_bytes(nonce, method, path_and_query, body))
    except (InvalidSignature, binascii.Error, ValueError) as exc:
        raise IntegrityError(
            tr("response signature does not verify: tampered, replayed or for another request")
        ) from exc


# -- signed documents ----------------------------------------------------------------------


def _document_bytes(doc: Mapping[str, Any]) -> bytes:
    unsigned = {k: v for k, v in doc.items() if k != SIGNATURE_MEMBER}
    return DOCUMENT_CONTEXT + canonical_bytes(unsigned)


def sign_document(key: NodeKey, doc: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``doc`` with a ``signature`` member (any earlier one replaced)."""
    signature = key.private_key.sign(_document_bytes(doc))
    out = {k: v for k, v in doc.items() if k != SIGNATURE_MEMBER}
    out[SIGNATURE_MEMBER] = {
        "alg": "ed25519",
        "signer": key.name,
        "key_id": key.key_id(),
        "sig": b64url(signature),
    }
    return out


def verify_document(verifier_key: str, doc: object) -> dict[str, Any]:
    """The document without its signature, if ``verifier_key`` signed exactly it;
    :class:`IntegrityError` otherwise."""
    if not isinstance(doc, dict):
        raise IntegrityError(tr("a signed document is a JSON object"))
    public, expected_id = _public_key(verifier_key)
    sig = doc.get(SIGNATURE_MEMBER)
    if not isinstance(sig, dict) or sig.get("alg") != "ed25519":
        raise IntegrityError(tr("the document carries no ed25519 signature"))
    if sig.get("key_id") != expected_id:
        raise IntegrityError(
            tr(
                "document signed with key {sig!r}, expected {expected_id}",
                sig=sig.get('key_id'), expected_id=expected_id)
        )
    raw = sig.get("sig")
    try:
        signature = unb64url(raw) if isinstance(raw, str) else b""
        public.verify(signature, _document_bytes(doc))
    except (InvalidSignature, binascii.Error, ValueError) as exc:
        raise IntegrityError(tr("document signature does not verify")) from exc
    except ValidationError as exc:  # not canonicalizable: cannot have been signed
        raise IntegrityError(tr(
            "document cannot be canonicalized: {message}", message=exc.message)) from exc
    return {k: v for k, v in doc.items() if k != SIGNATURE_MEMBER}


def read_signed_document(verifier_key: str, body: bytes, what: str) -> dict[str, Any]:
    """The JSON object in ``body``, verified as signed by ``verifier_key``, without its
    signature; :class:`ValidationError` if it is not a JSON object (``what`` names it in
    the message), :class:`IntegrityError` if the signature does not check."""
    return verify_document(verifier_key, decode_object(body, what))
