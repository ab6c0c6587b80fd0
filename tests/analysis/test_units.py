"""One conversion constant between pounds and kilograms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.analysis.units import KG_PER_LB, kg_to_lb, lb_to_kg


def test_the_pound_is_exactly_0_45359237_kg() -> None:
    assert KG_PER_LB == 0.45359237
    assert lb_to_kg(1.0) == 0.45359237
    assert round(kg_to_lb(1000.0), 4) == 2204.6226


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_round_trip(pounds: float) -> None:
    assert kg_to_lb(lb_to_kg(pounds)) == pytest.approx(pounds, rel=1e-12, abs=1e-12)
