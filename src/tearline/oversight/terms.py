"""When a draft is due: the term of each jurisdiction, in calendar or business days.

The term counts from the day of the exchange (day 0, in UTC): with the default of 3
calendar days, an exchange on Monday is due on Thursday and overdue from Friday. In
business days, Saturdays, Sundays and the jurisdiction's public holidays are not
counted; for Mexico those are the mandatory rest days of the Ley Federal del Trabajo
(art. 74): 1 January, the first Monday of February, the third Monday of March, 1 May,
16 September, the third Monday of November, 25 December, and 1 October of each year a
federal executive takes office (2024, 2030, …).

Terms are configured as text, one jurisdiction per item: ``mx=3:business,us=5:calendar``
(``TEARLINE_OVERSIGHT_TERMS``, ``docs/configuration.md``); a jurisdiction not named gets
:data:`DEFAULT`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from tearline.errors import ValidationError, tr

Status = Literal["pending", "due", "overdue"]


@dataclass(frozen=True, slots=True)
class Term:
    days: int
    business: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.days <= 365:
            raise ValidationError(tr(
                "an oversight term of {days} days: expected 1 to 365", days=self.days))


DEFAULT = Term(3)


def _nth_monday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def mexican_holidays(year: int) -> frozenset[date]:
    """The mandatory rest days of Mexico's Ley Federal del Trabajo (art. 74) in ``year``."""
    days = {date(year, 1, 1), _nth_monday(year, 2, 1), _nth_monday(year, 3, 3),
            date(year, 5, 1), date(year, 9, 16), _nth_monday(year, 11, 3),
            date(year, 12, 25)}
    if year >= 2024 and (year - 2024) % 6 == 0:
        days.add(date(year, 10, 1))
    return frozenset(days)


def holidays(jurisdiction: str, year: int) -> frozenset[date]:
    """Public holidays the business-day count skips (Mexico's; none known elsewhere)."""
    return mexican_holidays(year) if jurisdiction == "mx" else frozenset()


def due_date(day: date, term: Term, jurisdiction: str) -> date:
    """The last day of the term for an exchange on ``day``."""
    if not term.business:
        return day + timedelta(days=term.days)
    left, current = term.days, day
    while left:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays(jurisdiction, current.year):
            left -= 1
    return current


def status(due: date, today: date) -> Status:
    """``due`` on the last day of the term, ``overdue`` after it, ``pending`` before."""
    if today < due:
        return "pending"
    return "due" if today == due else "overdue"


def parse_terms(text: str) -> dict[str, Term]:
    """``mx=3:business,us=5:calendar`` → per jurisdiction (ISO 3166 alpha-2) its term."""
    out: dict[str, Term] = {}
    for item in filter(None, (i.strip() for i in text.split(","))):
        country, sep, rest = item.partition("=")
        days, _, kind = rest.partition(":")
        kind = kind or "calendar"
        if (not sep or len(country) != 2 or not country.isalpha() or not days.isdigit()
                or kind not in ("calendar", "business")):
            raise ValidationError(
                tr(
                    "oversight term {item!r}: expected COUNTRY=DAYS[:calendar|business], e.g. "
                    "mx=3:business", item=item))
        out[country.lower()] = Term(int(days), kind == "business")
    return out


def term_for(terms: Mapping[str, Term], jurisdiction: str) -> Term:
    return terms.get(jurisdiction, DEFAULT)
