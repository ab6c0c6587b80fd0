"""Statements built by the fast constructor are the statements the dataclass builds;
statement ids are keyed with a node's secret."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statement_keys import TEST_KEYER
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.statement import Provenance, Statement, StatementKeyer, checked_statement

SEEN = datetime(2024, 5, 3, 12, 0, tzinfo=UTC)
texts = st.text(min_size=1, max_size=30)


@given(
    value=texts,
    original=st.none() | texts,
    same=st.booleans(),
    reliability=st.sampled_from(list(Reliability)),
    credibility=st.sampled_from(list(Credibility)),
    portion=st.booleans(),
)
def test_checked_statement_equals_the_dataclass(
    value: str, original: str | None, same: bool, reliability: Reliability,
    credibility: Credibility, portion: bool,
) -> None:
    original = value if same else original
    marking = Marking.build("RED") if portion else None
    prov = Provenance("us.dea", "us.dea.sod", SEEN, reliability, credibility)
    fast = checked_statement("ofac-1", "Person", "name", value, original, marking, prov,
                             TEST_KEYER)
    slow = Statement(
        entity_id="ofac-1", schema="Person", prop="name", value=value, origin="us.dea",
        author="us.dea.sod", first_seen=SEEN, last_seen=SEEN, reliability=reliability,
        credibility=credibility, original_value=original, marking=marking,
        id=TEST_KEYER("ofac-1", "name", value, "us.dea", "us.dea.sod"),
    )
    assert fast == slow
    assert hash(fast) == hash(slow)
    # every field is set (an unset slot would raise here), and equal one by one
    for f in dataclasses.fields(Statement):
        assert getattr(fast, f.name) == getattr(slow, f.name), f.name
    assert fast.original_value is (None if original == value else original)


def test_checked_statement_is_frozen() -> None:
    prov = Provenance("us.dea", "us.dea.sod", SEEN)
    stmt = checked_statement("ofac-1", "Person", "name", "X", None, None, prov, TEST_KEYER)
    with pytest.raises(dataclasses.FrozenInstanceError):
        stmt.value = "Y"  # type: ignore[misc]


def test_statement_id_separates_fields() -> None:
    """The separator keeps ``ab|c`` and ``a|bc`` apart."""
    assert TEST_KEYER("e", "name", "ab", "us.dea", "x") != TEST_KEYER(
        "e", "name", "a", "bus.dea", "x"
    )


def test_a_statement_has_no_default_id() -> None:
    """No statement gets an id from a fixed or empty key: the builder passes a keyer."""
    with pytest.raises(ValueError, match="StatementKeyer"):
        Statement("e", "Person", "name", "X", "us.dea", "us.dea.sod", SEEN, SEEN)


@given(key=st.binary(min_size=16, max_size=64), other=st.binary(min_size=16, max_size=64),
       value=texts)
def test_ids_are_the_keys_blake2b_and_differ_between_keys(key: bytes, other: bytes,
                                                           value: str) -> None:
    content = f"p-1\x1fbirthDate\x1f{value}\x1fus.dea\x1fus.dea.sod".encode()
    expected = hashlib.blake2b(content, key=key, digest_size=20).hexdigest()
    assert StatementKeyer(key)("p-1", "birthDate", value, "us.dea", "us.dea.sod") == (
        "st-" + expected)
    if other != key:
        assert StatementKeyer(other)("p-1", "birthDate", value, "us.dea", "us.dea.sod") != (
            "st-" + expected)


@pytest.mark.parametrize("key", [b"", b"short", b"x" * 65])
def test_a_key_of_the_wrong_size_is_refused(key: bytes) -> None:
    with pytest.raises(ValueError, match="16 to 64 bytes"):
        StatementKeyer(key)


def test_the_key_is_never_shown() -> None:
    key = b"0123456789abcdef-a secret key"
    keyer = StatementKeyer(key)
    assert key.hex() not in repr(keyer) and "0123456789" not in repr(keyer)
    assert repr(keyer) == str(keyer) == "StatementKeyer(<secret>)"
