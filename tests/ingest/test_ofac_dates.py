"""OFAC date texts → FollowTheMoney date prefixes (circa, ranges, precisions)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.ingest.ofac_dates import MAX_RANGE_VALUES, DateFormatError, parse_birth_dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 Sep 1961", ["1961-09-27"]),
        ("Sep 1961", ["1961-09"]),
        ("1961", ["1961"]),
        ("1961.", ["1961"]),
        ("circa 1960", ["1960"]),
        ("circa 01 Jul 1960", ["1960-07-01"]),
        ("1957 to 1962", ["1957", "1958", "1959", "1960", "1961", "1962"]),
        ("01 Jan 1960 to 31 Dec 1962", ["1960", "1961", "1962"]),
        ("01 Mar 1970 to 30 Apr 1970", ["1970-03", "1970-04"]),
        ("Mar 1970 to Mar 1970", ["1970-03"]),
        ("01 Mar 1970 to 01 Mar 1970", ["1970-03-01"]),
        ("15 Mar 1970 to 20 Apr 1971", ["1970", "1971"]),
        ("circa 1979-1982", ["1979", "1980", "1981", "1982"]),
    ],
)
def test_forms_found_in_the_list(text: str, expected: list[str]) -> None:
    assert parse_birth_dates(text) == expected


@pytest.mark.parametrize(
    "text", ["27 Se", "19", "31 Feb 1961", "1962 to 1960", "1900 to 1990", "sometime", ""]
)
def test_unreadable_dates_raise(text: str) -> None:
    with pytest.raises(DateFormatError):
        parse_birth_dates(text)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(2100, 12, 31)))
def test_any_full_date_round_trips(day: date) -> None:
    assert parse_birth_dates(day.strftime("%d %b %Y")) == [day.isoformat()]


@given(st.integers(1000, 2100), st.integers(0, MAX_RANGE_VALUES - 1))
def test_a_year_range_lists_each_year_once(low: int, width: int) -> None:
    high = min(low + width, 2100)
    years = parse_birth_dates(f"{low} to {high}")
    assert years == [str(year) for year in range(low, high + 1)]
