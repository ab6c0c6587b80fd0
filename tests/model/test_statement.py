"""Statements built by the fast constructor are the statements the dataclass builds."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.statement import Provenance, Statement, checked_statement, statement_id

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
    fast = checked_statement("ofac-1", "Person", "name", value, original, marking, prov)
    slow = Statement(
        entity_id="ofac-1", schema="Person", prop="name", value=value, origin="us.dea",
        author="us.dea.sod", first_seen=SEEN, last_seen=SEEN, reliability=reliability,
        credibility=credibility, original_value=original, marking=marking,
    )
    assert fast == slow
    assert hash(fast) == hash(slow)
    # every field is set (an unset slot would raise here), and equal one by one
    for f in dataclasses.fields(Statement):
        assert getattr(fast, f.name) == getattr(slow, f.name), f.name
    assert fast.original_value is (None if original == value else original)
    assert fast.id == statement_id("ofac-1", "name", value, "us.dea", "us.dea.sod")


def test_checked_statement_is_frozen() -> None:
    prov = Provenance("us.dea", "us.dea.sod", SEEN)
    stmt = checked_statement("ofac-1", "Person", "name", "X", None, None, prov)
    with pytest.raises(dataclasses.FrozenInstanceError):
        stmt.value = "Y"  # type: ignore[misc]


def test_statement_id_separates_fields() -> None:
    """The separator keeps ``ab|c`` and ``a|bc`` apart."""
    assert statement_id("e", "name", "ab", "us.dea", "x") != statement_id(
        "e", "name", "a", "bus.dea", "x"
    )
