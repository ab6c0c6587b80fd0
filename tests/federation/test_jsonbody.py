"""Decoding what another party sent: not JSON, or nested too deep, is a typed error."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.errors import ValidationError
from tearline.federation.jsonbody import MAX_DEPTH, decode, decode_object, depth_exceeds


def nested(depth: int, kinds: str = "[{") -> bytes:
    """``depth`` levels of arrays and objects (alternating as ``kinds`` says) around 1."""
    opening = "".join('{"a":' if kinds[n % len(kinds)] == "{" else "[" for n in range(depth))
    closing = "".join("}" if kinds[n % len(kinds)] == "{" else "]"
                      for n in reversed(range(depth)))
    return (opening + "1" + closing).encode()


def test_nesting_up_to_the_limit_decodes() -> None:
    assert decode(nested(MAX_DEPTH), "a receipt") == json.loads(nested(MAX_DEPTH))
    assert decode(b'{"type": "tearline-receipt", "objects": []}', "a receipt")["objects"] == []


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 990, 5_000, 200_000])
def test_deeper_nesting_is_a_validation_error(depth: int) -> None:
    """Below the interpreter's recursion limit (990) as well as far beyond it."""
    for kinds in ("[", "{", "[{"):
        with pytest.raises(ValidationError, match=f"deeper than {MAX_DEPTH} levels"):
            decode(nested(depth, kinds), "a receipt")


@pytest.mark.parametrize("body", [b"", b"{", b"nope", b"\xff\xfe", b'{"a": 1} x'])
def test_what_is_not_json_is_a_validation_error(body: bytes) -> None:
    with pytest.raises(ValidationError, match="a receipt is not a JSON document"):
        decode(body, "a receipt")


def test_an_object_is_required_where_one_is_expected() -> None:
    with pytest.raises(ValidationError, match="a cosignature is a JSON object"):
        decode_object(b"[1, 2]", "a cosignature")


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner,
                                                                max_size=3),
    max_leaves=40)


@given(value=JSON, limit=st.integers(0, 8))
def test_the_depth_walk_agrees_with_the_recursive_definition(value: object, limit: int) -> None:
    assert depth_exceeds(value, limit) == (_depth(value) > limit)
