"""Dates of birth as compared: full or partial, with the typos clerks make.

Two full dates agree exactly, or by a typo: day and month swapped (03/07 for 07/03),
or one digit different. Partial dates (a year, a year and month) agree or not on
what they both have. Each outcome is a :class:`DateLevel` with the reason shown.
"""

from __future__ import annotations

import re
from datetime import date
from enum import IntEnum

_ISO = re.compile(r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


class DateLevel(IntEnum):
    """How two dates of birth compare; higher is stronger agreement."""

    DIFFERENT = 0
    YEAR = 1  # the year agrees and one side has no more than the year (or month)
    TYPO = 2  # day and month swapped, or one digit different
    EXACT = 3


REASONS = {
    DateLevel.DIFFERENT: "dates of birth differ",
    DateLevel.YEAR: "years of birth agree",
    DateLevel.TYPO: "dates of birth differ by a typo",
    DateLevel.EXACT: "dates of birth agree",
}


def normalize_date(text: str | date | None) -> str:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` from the forms records use; "" if none."""
    if text is None:
        return ""
    if isinstance(text, date):
        return text.isoformat()
    raw = text.strip()
    dmy = _DMY.match(raw)
    if dmy:
        day, month, year = dmy.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    iso = _ISO.match(raw)
    if not iso:
        return ""
    return "-".join(part for part in iso.groups() if part)


def compare_dates(a: str, b: str) -> DateLevel | None:
    """How two normalized dates compare; ``None`` when either is missing."""
    if not a or not b:
        return None
    if a == b:
        return DateLevel.EXACT
    if len(a) == len(b) == 10:
        ya, ma, da = a.split("-")
        yb, mb, db = b.split("-")
        if ya == yb and ma == db and da == mb:
            return DateLevel.TYPO
        if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            return DateLevel.TYPO
    if a[:4] == b[:4] and len(a) != len(b):
        return DateLevel.YEAR
    return DateLevel.DIFFERENT
