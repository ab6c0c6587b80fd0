"""The one exit of every TAXII answer: a body JSON cannot carry leaves as a signed 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from starlette.requests import Request

from tearline.federation.signing import SIGNATURE_HEADER, new_nonce, verify_response
from tearline.keys import NodeKey, create_node_key
from tearline.taxii.pipeline import Node, Reply, _respond

PATH = "/taxii2/collections/"


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> NodeKey:
    return create_node_key(Path(tmp_path_factory.mktemp("keys")), "node.a")[0]


def request() -> Request:
    return Request({"type": "http", "method": "GET", "path": PATH, "raw_path": PATH.encode(),
                    "query_string": b"", "headers": []})


def node(key: NodeKey) -> Node:
    # _respond needs the node's key only; the store, identity and cursors are not reached
    return Node(store=None, identity=None, key=key, cursors=None)  # type: ignore[arg-type]


def answer(key: NodeKey, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    nonce = new_nonce()
    response = _respond(node(key), request(), Reply(200, body, {}), nonce)
    content = bytes(response.body)
    verify_response(key.verifier_key(), response.headers[SIGNATURE_HEADER], nonce, "GET",
                    PATH, content)
    return response.status_code, json.loads(content)


def test_an_answer_leaves_signed_as_it_was_built(key: NodeKey) -> None:
    assert answer(key, {"collections": [], "more": False}) == (
        200, {"collections": [], "more": False})


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_body_json_cannot_carry_is_a_signed_internal_error(key: NodeKey, bad: float,
                                                             caplog: pytest.LogCaptureFixture
                                                             ) -> None:
    status, body = answer(key, {"objects": [{"confidence": bad}]})
    assert status == 500
    assert body["http_status"] == "500" and body["description"] == "internal error"
    assert "cannot be encoded" in caplog.text
