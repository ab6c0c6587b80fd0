"""The bytes of a TAXII answer: RFC 8785 whatever the body holds, found without parsing it back."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from tearline.errors import ValidationError
from tearline.taxii.wire import _may_hold_float, body_bytes

# Strings that hold what a float looks like in compact JSON, so that the scan for floats
# also meets them inside strings (where they are not floats).
LOOKALIKES = st.sampled_from([":1.5", ",2e5", "[-3.0", "NaN", "Infinity", "1.0", "[1E9",
                              ".5]", "e+16,", "x.0}", "1e-07"])
KEYS = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=5)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.text(max_size=8) | LOOKALIKES
    | st.floats(min_value=-(2.0**52), max_value=2.0**52),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | LOOKALIKES, inner,
                                                                max_size=4),
    max_leaves=12,
)


@given(VALUES)
def test_a_body_is_its_rfc_8785_bytes(value: object) -> None:
    assert body_bytes(value) == rfc8785.dumps(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [
    {"objects": [{"id": "x--1", "confidence": 0.5}]},
    [1e21], -0.0, 2.5, {"a": [1, {"b": 1e-7}]},
])
def test_floats_take_the_general_encoder(value: object) -> None:
    assert body_bytes(value) == rfc8785.dumps(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [float("nan"), {"x": float("inf")}, [float("-inf")]])
def test_what_json_cannot_carry_is_refused_not_sent(value: object) -> None:
    """``json.dumps`` writes NaN and Infinity, which are not JSON: never on the wire."""
    with pytest.raises(ValidationError):
        body_bytes(value)


def test_a_page_of_records_is_seen_to_hold_no_float() -> None:
    """What every page carries (timestamps, spec and extension versions, integers, text
    with digits) keeps the fast bytes: only a float, or its look inside a string, does not."""
    page = {"more": False, "objects": [{
        "created": "2025-06-01T00:00:00.000Z", "spec_version": "2.1", "version": "1.0.0",
        "extensions": {"x": {"version": 3, "statements": [{"value": "1964-02-14"}]}},
        "description": "Person. nationality: mx; birthDate: 1964-02-14"}]}
    assert not _may_hold_float(body_bytes(page))
    assert _may_hold_float(body_bytes({**page, "confidence": 0.5}))
