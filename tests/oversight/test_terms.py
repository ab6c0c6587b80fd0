"""When a draft is due: calendar and business days, Mexico's rest days, configuration."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.errors import ValidationError
from tearline.oversight.terms import (
    DEFAULT,
    Term,
    due_date,
    mexican_holidays,
    parse_terms,
    status,
    term_for,
)

MONDAY = date(2026, 1, 5)


def test_default_three_calendar_days_due_on_day_three_overdue_on_day_four() -> None:
    due = due_date(MONDAY, DEFAULT, "mx")
    assert due == date(2026, 1, 8)
    assert [status(due, MONDAY + timedelta(days=n)) for n in range(5)] == [
        "pending", "pending", "pending", "due", "overdue"]


def test_mexican_rest_days() -> None:
    assert mexican_holidays(2026) == {
        date(2026, 1, 1), date(2026, 2, 2), date(2026, 3, 16), date(2026, 5, 1),
        date(2026, 9, 16), date(2026, 11, 16), date(2026, 12, 25)}
    assert date(2024, 10, 1) in mexican_holidays(2024)  # a federal executive took office
    assert date(2025, 10, 1) not in mexican_holidays(2025)


def test_business_days_skip_weekends_and_rest_days() -> None:
    friday = date(2026, 1, 30)
    # Mon 2 Feb is Constitution Day: Tue 3, Wed 4, Thu 5
    assert due_date(friday, Term(3, business=True), "mx") == date(2026, 2, 5)
    assert due_date(friday, Term(3, business=True), "us") == date(2026, 2, 4)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
       st.integers(min_value=1, max_value=30))
def test_business_terms_count_exactly_n_business_days(day: date, n: int) -> None:
    due = due_date(day, Term(n, business=True), "mx")
    assert due.weekday() < 5 and due not in mexican_holidays(due.year)
    counted = sum(1 for k in range(1, (due - day).days + 1)
                  if (d := day + timedelta(days=k)).weekday() < 5
                  and d not in mexican_holidays(d.year))
    assert counted == n
    assert due >= due_date(day, Term(n), "mx")  # never earlier than in calendar days


def test_terms_from_configuration() -> None:
    terms = parse_terms("mx=5:business, us=10")
    assert terms == {"mx": Term(5, True), "us": Term(10)}
    assert term_for(terms, "co") == DEFAULT and term_for({}, "mx") == Term(3)
    for bad in ("mx", "mx=three", "mex=3", "mx=3:weekly", "mx=0"):
        with pytest.raises(ValidationError):
            parse_terms(bad)
