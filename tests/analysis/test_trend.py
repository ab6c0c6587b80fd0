"""Trend: least squares recovers a line; the moving average keeps a constant."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.analysis.engine import Selection
from tearline.analysis.frame import SeizureRow, seizure_frame
from tearline.analysis.trend import least_squares, month_range, monthly_trend, moving_average
from tearline.errors import ValidationError

small = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)


@given(small, small, st.integers(min_value=2, max_value=60))
def test_least_squares_recovers_a_line(intercept: float, slope: float, n: int) -> None:
    fit = least_squares([intercept + slope * i for i in range(n)])
    assert fit is not None
    assert fit[0] == pytest.approx(slope, abs=1e-6)
    assert fit[1] == pytest.approx(intercept, abs=1e-6)


@given(small, st.integers(min_value=1, max_value=40), st.sampled_from([1, 3, 5, 13]))
def test_moving_average_of_a_constant_is_the_constant(value: float, n: int, window: int) -> None:
    averaged = moving_average([value] * n, window)
    assert len(averaged) == n
    assert all(a is None or a == pytest.approx(value) for a in averaged)
    assert sum(a is None for a in averaged) == min(n, window - 1)


def test_even_window_is_refused() -> None:
    with pytest.raises(ValidationError):
        moving_average([1.0, 2.0], 2)


def test_month_range_crosses_years() -> None:
    assert month_range(date(2022, 11, 5), date(2023, 2, 1)) == [
        date(2022, 11, 1),
        date(2022, 12, 1),
        date(2023, 1, 1),
        date(2023, 2, 1),
    ]


def test_monthly_trend_fills_empty_months_with_zero() -> None:
    rows = [
        SeizureRow("a", date(2023, 1, 10), "fentanyl", gross_kg=1.0),
        SeizureRow("b", date(2023, 3, 2), "fentanyl", gross_kg=5.0),
    ]
    trend = monthly_trend(seizure_frame(rows), Selection(drugs=("fentanyl",)))
    assert trend.kg == (1.0, 0.0, 5.0)
    assert trend.slope_kg_per_month == pytest.approx(2.0)
    assert trend.moving_average == (None, 2.0, None)
    assert trend.mean_kg == pytest.approx(2.0)
    assert trend.slope_pct_of_mean_per_year == pytest.approx(1200.0)


def test_trend_of_nothing_is_empty() -> None:
    trend = monthly_trend(seizure_frame([]))
    assert trend.months == () and trend.slope_kg_per_month is None
