"""Dates of birth compared with typo tolerance (resolve/dates.py)."""

from __future__ import annotations

import pytest

from tearline.resolve.dates import DateLevel, compare_dates, normalize_date


@pytest.mark.parametrize(("text", "iso"), [
    ("04/04/1957", "1957-04-04"), ("1957-04-04", "1957-04-04"), ("19570404", "1957-04-04"),
    ("1957", "1957"), ("1957-04", "1957-04"), ("unknown", ""), ("", ""),
])
def test_normalize_date(text: str, iso: str) -> None:
    assert normalize_date(text) == iso


@pytest.mark.parametrize(("a", "b", "level"), [
    ("1980-03-07", "1980-03-07", DateLevel.EXACT),
    ("1980-03-07", "1980-07-03", DateLevel.TYPO),  # day and month swapped
    ("1980-03-07", "1980-03-08", DateLevel.TYPO),  # one digit
    ("1980-03-07", "1981-03-07", DateLevel.TYPO),
    ("1980-03-07", "1980", DateLevel.YEAR),
    ("1980-03-07", "1980-11-25", DateLevel.DIFFERENT),
    ("1980-03-07", "1975-03-07", DateLevel.DIFFERENT),
    ("1980-03-07", "", None),
])
def test_compare_dates(a: str, b: str, level: DateLevel | None) -> None:
    assert compare_dates(a, b) == level
    assert compare_dates(b, a) == level
