"""Bodies the TAXII endpoints parse, on both backends: a deeply nested or non-JSON body
is a signed 400 in the TAXII error shape, audited as refused, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from taxiiworld import ROOT, Node, build_node, log

from tearline.store.store import Store

SEMAR = "mx.semar.uie"
#: each endpoint that parses a body, and the audit entry a refused body leaves
ENDPOINTS = {
    "receipts/": "receipt.refused",
    "purge-receipts/": "receipt.refused",
    "cosignatures/": "checkpoint.refused",
}


@pytest.fixture
def node(store: Store, tmp_path: Path) -> Iterator[Node]:
    built = build_node(store, tmp_path)
    yield built
    built.close()


def nested(depth: int) -> bytes:
    return b'{"type":' * depth + b'"tearline-receipt"' + b"}" * depth


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_deeply_nested_and_broken_bodies_are_400_taxii_errors(node: Node, endpoint: str) -> None:
    semar = node.as_peer(SEMAR)
    url = f"{ROOT}tearline/{endpoint}"
    bodies = [nested(100), nested(950), nested(100_000), b"[" * 100_000,
              b"\xff not json", b"[1, 2]"]
    for body in bodies:
        answer = semar.request("POST", url, body=body)  # the answer's signature is checked
        assert answer.status == 400, (body[:20], answer.body)
        assert set(answer.body) == {"title", "description", "error_code", "http_status",
                                    "details"}
        assert answer.body["http_status"] == "400"
        assert answer.body["error_code"] == "validation_failed"
    refused = [e["reason"] for e in log(node.store, ENDPOINTS[endpoint])]
    assert refused == ["malformed"] * len(bodies)
    # and the node goes on serving
    assert semar.get(ROOT).status == 200
