"""RFC 8785 canonical bytes, and a typed error for what JSON cannot carry."""

from __future__ import annotations

import json

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from tearline.audit.canonical import canonical_bytes, canonical_bytes_no_floats
from tearline.errors import ValidationError

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.text(max_size=8)
    # Integral floats at or past 2**53 print as integers, which Python then reads back
    # as ints outside the exact range: keep floats below that.
    | st.floats(min_value=-(2.0**52), max_value=2.0**52),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


def test_rfc_8785_examples() -> None:
    # Keys sorted by UTF-16 code units, shortest number forms, minimal escapes.
    assert canonical_bytes({"b": 1, "a": [True, None, 1e21, 0.5]}) == (
        b'{"a":[true,null,1e+21,0.5],"b":1}'
    )
    assert canonical_bytes({"\u20ac": 1, "\r": 2, "1": 3, "\U0001f600": 4, "\u00f6": 5}) == (
        '{"\\r":2,"1":3,"\u00f6":5,"\u20ac":1,"\U0001f600":4}'.encode()
    )
    assert canonical_bytes("\u2028\x1f") == b'"\xe2\x80\xa8\\u001f"'


@given(json_values)
def test_canonical_bytes_are_the_reference_encoders(value: object) -> None:
    assert canonical_bytes(value) == rfc8785.dumps(value)  # type: ignore[arg-type]


@given(json_values)
def test_canonical_bytes_are_json_and_a_fixed_point(value: object) -> None:
    encoded = canonical_bytes(value)
    assert canonical_bytes(json.loads(encoded)) == encoded


@pytest.mark.parametrize(
    ("value", "where"),
    [
        (float("nan"), "$"),
        ({"x": float("inf")}, "x"),
        ({"a": {1: "b"}}, "a"),
        ({"a": [1, object()]}, "a[1]"),
        ({"n": 2**53}, "n"),
        ({"s": b"bytes"}, "s"),
    ],
)
def test_values_json_cannot_carry_are_a_validation_error(value: object, where: str) -> None:
    with pytest.raises(ValidationError) as caught:
        canonical_bytes(value)
    assert caught.value.problems and all(p.column in (where, None) for p in caught.value.problems)


def test_lone_surrogates_are_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="canonicalized"):
        canonical_bytes({"a": "\ud800"})


event_shaped = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(alphabet=st.characters(codec="ascii"), max_size=5), inner,
                          max_size=4)
    ),
    max_leaves=12,
)


@given(event_shaped)
def test_fast_encoder_writes_the_rfc_8785_bytes(value: object) -> None:
    assert canonical_bytes_no_floats(value) == rfc8785.dumps(value)  # type: ignore[arg-type]
    assert canonical_bytes(value) == rfc8785.dumps(value)  # type: ignore[arg-type]


def test_fast_encoder_rejects_lone_surrogates() -> None:
    with pytest.raises(ValidationError):
        canonical_bytes_no_floats({"a": "\ud800"})
