"""Response signatures bound to a nonce and a request; signed documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from tearline.errors import IntegrityError, ValidationError
from tearline.federation.signing import (
    check_nonce,
    new_nonce,
    sign_document,
    sign_response,
    verify_document,
    verify_response,
)
from tearline.keys import NodeKey, create_node_key

BODY = b'{"objects":[{"id":"identity--1"}]}'
PATH = "/taxii2/root/collections/c/objects/?limit=10"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[NodeKey, NodeKey]:
    base: Path = tmp_path_factory.mktemp("keys")
    return create_node_key(base / "a", "node.a")[0], create_node_key(base / "b", "node.b")[0]


def test_a_signed_response_verifies(keys: tuple[NodeKey, NodeKey]) -> None:
    key = keys[0]
    nonce = new_nonce()
    header = sign_response(key, nonce, "GET", PATH, BODY)
    assert header.startswith(f"v1;key={key.key_id()};sig=")
    verify_response(key.verifier_key(), header, nonce, "get", PATH, BODY)


@pytest.mark.parametrize("what", ["body", "nonce", "method", "path", "signer", "header"])
def test_anything_changed_fails(keys: tuple[NodeKey, NodeKey], what: str) -> None:
    key, other = keys
    nonce = new_nonce()
    header = sign_response(key, nonce, "GET", PATH, BODY)
    args = {"verifier": key.verifier_key(), "header": header, "nonce": nonce, "method": "GET",
            "path": PATH, "body": BODY}
    changed = {
        "body": {"body": BODY.replace(b"1", b"2")},
        "nonce": {"nonce": new_nonce()},  # a replayed response: signed for an earlier request
        "method": {"method": "POST"},
        "path": {"path": PATH.replace("10", "11")},
        "signer": {"verifier": other.verifier_key()},
        "header": {"header": header[:-2] + ("AA" if not header.endswith("AA") else "BB")},
    }[what]
    args.update(changed)
    with pytest.raises(IntegrityError):
        verify_response(str(args["verifier"]), str(args["header"]), str(args["nonce"]),
                        str(args["method"]), str(args["path"]), bytes(args["body"]))  # type: ignore[arg-type]


@pytest.mark.parametrize("header", [None, "", "v2;key=00000000;sig=x", "v1;key=zz;sig=abc"])
def test_missing_or_malformed_headers(keys: tuple[NodeKey, NodeKey], header: str | None) -> None:
    with pytest.raises(IntegrityError):
        verify_response(keys[0].verifier_key(), header, new_nonce(), "GET", PATH, BODY)


def test_a_signature_from_another_key_with_the_right_key_id_fails(
    keys: tuple[NodeKey, NodeKey],
) -> None:
    key, other = keys
    nonce = new_nonce()
    forged = sign_response(other, nonce, "GET", PATH, BODY).replace(other.key_id(), key.key_id())
    with pytest.raises(IntegrityError, match="does not verify"):
        verify_response(key.verifier_key(), forged, nonce, "GET", PATH, BODY)


def test_nonces() -> None:
    a, b = new_nonce(), new_nonce()
    assert a != b and len(a) == 22 and check_nonce(a) == a
    for bad in ["", "short", "a" * 23, "+" * 22]:
        with pytest.raises(ValidationError):
            check_nonce(bad)


def test_documents(keys: tuple[NodeKey, NodeKey]) -> None:
    key, other = keys
    doc = {"type": "receipt", "objects": ["x--1@2"], "n": 3, "nested": {"é": [1, None]}}
    signed = sign_document(key, doc)
    assert signed["signature"]["key_id"] == key.key_id()
    assert verify_document(key.verifier_key(), signed) == doc
    # reordering members does not matter: the signature is over canonical JSON
    assert verify_document(key.verifier_key(), dict(reversed(list(signed.items())))) == doc
    # re-signing replaces the signature instead of signing it
    assert verify_document(other.verifier_key(), sign_document(other, signed)) == doc
    with pytest.raises(IntegrityError):
        verify_document(other.verifier_key(), signed)
    with pytest.raises(IntegrityError):
        verify_document(key.verifier_key(), {**signed, "n": 4})
    with pytest.raises(IntegrityError):
        verify_document(key.verifier_key(), doc)
    with pytest.raises(IntegrityError):
        verify_document(key.verifier_key(), {**signed, "signature": {**signed["signature"],
                                                                    "sig": "!!"}})
    with pytest.raises(IntegrityError):
        verify_document(key.verifier_key(), [signed])
    with pytest.raises(IntegrityError):
        verify_document("not a key", signed)
