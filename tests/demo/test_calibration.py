"""Splitting a CBP monthly total into incident weights: exact sums, positive weights."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from tearline.demo.calibration import (
    grams_of,
    incident_count,
    kilograms,
    split_grams,
    target_grams,
)


@given(st.integers(0, 2**32), st.integers(1, 10**9), st.integers(1, 3000),
       st.floats(0.1, 2.0))
def test_split_sums_exactly_and_every_incident_weighs_something(
    seed: int, total: int, count: int, spread: float
) -> None:
    grams = split_grams(random.Random(seed), total, count, spread)
    assert sum(grams) == total
    assert len(grams) == min(count, total)
    assert min(grams) >= 1


@given(st.integers(0, 10**12))
def test_kilograms_round_trip(grams: int) -> None:
    assert grams_of(kilograms(grams)) == grams


def test_pounds_to_grams_and_counts() -> None:
    assert target_grams(1.0, 1.0) == 454
    assert target_grams(1000.0, 0.5) == round(500 * 453.59237)
    assert incident_count(0.0, 4.3, 1.0) == 0
    assert incident_count(100.0, 4.3, 1.0) == round(45.359237 / 4.3)
    assert incident_count(100.0, 4.3, 0.01) == 1
    assert kilograms(1) == "0.001" and kilograms(12345) == "12.345"
