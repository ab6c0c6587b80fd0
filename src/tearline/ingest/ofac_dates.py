"""Dates of birth as OFAC writes them, turned into FollowTheMoney date prefixes.

OFAC writes a date at one of three precisions — ``27 Sep 1961``, ``Sep 1961``,
``1961`` — optionally after ``circa``, and sometimes a range: ``1957 to 1962``,
``01 Jan 1977 to 31 Dec 1985``, ``circa 1979-1982``. FollowTheMoney stores dates
as ISO prefixes (``1961-09-27``, ``1961-09``, ``1961``); parsing goes through its
date type, never through a hand-written calendar.

Rules, with their reasons:

- **circa** keeps the precision of the date it qualifies (``circa 1960`` →
  ``1960``): FollowTheMoney has no "approximate" flag, and a year is already the
  honest precision of "circa a year". A circa full date is kept as written.
- **A range** becomes every value, at the coarsest precision, that the range covers
  exactly: ``01 Jan 1977 to 31 Dec 1985`` and ``1977 to 1985`` → the years 1977 …
  1985; ``01 Mar 1970 to 30 Apr 1970`` → ``1970-03`` and ``1970-04``. A range that
  does not fall on such boundaries becomes every year it touches. A screening
  system then matches any birth date inside the range, and never one outside the
  years it names.
- A range of more than :data:`MAX_RANGE_VALUES` values, or one that runs
  backwards, is not expanded: it is reported instead (OFAC's widest is 9 years).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from tearline.model.ftm import registry

#: The largest range that is expanded into single values.
MAX_RANGE_VALUES = 25

_FORMATS = (("%d %b %Y", 3), ("%b %Y", 2), ("%Y", 1))
_RANGE = re.compile(r"^(.+?)\s+to\s+(.+)$|^(\d{4})\s*-\s*(\d{4})$", re.IGNORECASE)
_CIRCA = re.compile(r"^circa\s+", re.IGNORECASE)
_DAYS_MONTHS_YEAR = re.compile(r"^(\d{1,2} )?([A-Za-z]{3} )?\d{4}$")


class DateFormatError(ValueError):
    """A date, as written in the Remarks, that cannot be read."""


@dataclass(frozen=True, slots=True)
class _Point:
    """A date at a precision: 1 = year, 2 = month, 3 = day."""

    year: int
    month: int
    day: int
    precision: int

    @property
    def first(self) -> tuple[int, int, int]:
        return (self.year, self.month if self.precision >= 2 else 1, self.day)

    @property
    def last(self) -> tuple[int, int, int]:
        if self.precision == 1:
            return (self.year, 12, 31)
        if self.precision == 2:
            return (self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return (self.year, self.month, self.day)


def _point(text: str) -> _Point:
    text = text.strip().rstrip(".").strip()
    if not _DAYS_MONTHS_YEAR.match(text):
        raise DateFormatError(f"not a date: {text!r}")
    for fmt, precision in _FORMATS:
        value = registry.date.clean_text(text, format=fmt)
        if value is not None and len(value) == {1: 4, 2: 7, 3: 10}[precision]:
            parts = [int(p) for p in value.split("-")] + [1, 1]
            return _Point(parts[0], parts[1], parts[2], precision)
    raise DateFormatError(f"not a date: {text!r}")


def _iso(point: _Point) -> str:
    fields = (f"{point.year:04d}", f"{point.month:02d}", f"{point.day:02d}")
    return "-".join(fields[: point.precision])


def _expand(low: _Point, high: _Point) -> list[str]:
    start, end = low.first, high.last
    if start > end:
        raise DateFormatError("the range ends before it starts")
    years = list(range(start[0], end[0] + 1))
    whole_years = start[1:] == (1, 1) and end[1:] == (12, 31)
    month_end = calendar.monthrange(end[0], end[1])[1]
    whole_months = start[2] == 1 and end[2] == month_end
    if not whole_years and whole_months:
        months = [
            f"{year:04d}-{month:02d}"
            for year in years
            for month in range(1, 13)
            if start[:2] <= (year, month) <= end[:2]
        ]
        if len(months) <= MAX_RANGE_VALUES:
            return months
    if start == end:
        return [_iso(low)]
    if len(years) > MAX_RANGE_VALUES:
        raise DateFormatError(f"a range of {len(years)} years is too wide to expand")
    return [f"{year:04d}" for year in years]


def parse_birth_dates(text: str) -> list[str]:
    """The FollowTheMoney date values for one OFAC date text (after ``DOB``).

    >>> parse_birth_dates("27 Sep 1961")
    ['1961-09-27']
    >>> parse_birth_dates("circa 1979-1982")
    ['1979', '1980', '1981', '1982']

    Raises :class:`DateFormatError` for anything else.
    """
    text = _CIRCA.sub("", text.strip().rstrip(".").strip())
    match = _RANGE.match(text)
    if match is None:
        return [_iso(_point(text))]
    low_text = match.group(1) or match.group(3)
    high_text = match.group(2) or match.group(4)
    low, high = _point(_CIRCA.sub("", low_text)), _point(_CIRCA.sub("", high_text))
    return _expand(low, high)
