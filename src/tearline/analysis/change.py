"""Year-on-year change of the seized weight, by calendar or fiscal year.

Within a window (a report for FY2023), the first year is compared with the same
span one year earlier, even though that span lies outside the window: FY2023 is
compared with FY2022, May 2023 with May 2022. Without that, a one-year window would
show a year and nothing to compare it with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from tearline.analysis.engine import ALL, Dimension, Key, Selection, Weight
from tearline.analysis.frame import SeizureFrame
from tearline.analysis.totals import totals

YearKind = Literal["year", "fiscal_year"]


@dataclass(frozen=True, slots=True)
class YearChange:
    key: tuple[Key, ...]  # the values of ``by`` (empty for the whole selection)
    year: int
    kg: float
    previous_kg: float | None  # None for the first year of a group
    change_kg: float | None
    change_pct: float | None  # None when there is no previous year or it was zero

    def to_dict(self) -> dict[str, object]:
        return {
            "key": list(self.key),
            "year": self.year,
            "kg": self.kg,
            "previous_kg": self.previous_kg,
            "change_kg": self.change_kg,
            "change_pct": self.change_pct,
        }


def year_on_year(
    frame: SeizureFrame,
    period: YearKind = "fiscal_year",
    by: Sequence[Dimension] = (),
    selection: Selection = ALL,
    weight: Weight = "gross",
) -> tuple[YearChange, ...]:
    """Weight per year and its change from the year before, within each group of ``by``.

    Years between a group's first and last year with no seizure count as 0 kg, so a
    gap is shown as a fall to zero rather than skipped over.
    """
    result = totals(frame, (*by, period), selection, weight)
    per_group: dict[tuple[Key, ...], dict[int, float]] = {}
    for group in result.groups:
        *key, year = group.key
        if isinstance(year, int):
            per_group.setdefault(tuple(key), {})[year] = group.kg
    changes: list[YearChange] = []
    for group_key, years in per_group.items():
        previous: float | None = None
        for year in range(min(years), max(years) + 1):
            kg = years.get(year, 0.0)
            change = None if previous is None else kg - previous
            pct = None if previous in (None, 0.0) or change is None else 100.0 * change / previous
            changes.append(YearChange(group_key, year, kg, previous, change, pct))
            previous = kg
    return tuple(changes)


def year_of(day: date, period: YearKind) -> int:
    """The calendar or fiscal year (beginning 1 October) a day falls in."""
    return day.year + 1 if period == "fiscal_year" and day.month >= 10 else day.year


def year_end(year: int, period: YearKind) -> date:
    return date(year, 9, 30) if period == "fiscal_year" else date(year, 12, 31)


def year_earlier(day: date) -> date:
    """The same day one year earlier (29 February becomes 28 February)."""
    return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else day.day))


def compared_with_year_before(
    frame: SeizureFrame,
    period: YearKind = "fiscal_year",
    by: Sequence[Dimension] = (),
    selection: Selection = ALL,
    weight: Weight = "gross",
) -> tuple[YearChange, ...]:
    """:func:`year_on_year` within ``selection``, its first year compared with the year before.

    The comparison span is the first year's part of the window moved back one year.
    Where the frame holds no seizure at all in that span (the data begins later),
    there is nothing to compare with and the change stays ``None``; where it holds
    seizures but none of a group, that group's previous weight is 0 kg.
    """
    changes = year_on_year(frame, period, by, selection, weight)
    if selection.start is None:
        return changes
    first = year_of(selection.start, period)
    last_day = year_end(first, period)
    if selection.end is not None:
        last_day = min(last_day, selection.end)
    earlier = replace(selection, drugs=(), origins=(), start=year_earlier(selection.start),
                      end=year_earlier(last_day + timedelta(days=1)) - timedelta(days=1))
    if totals(frame, (), earlier, weight).events == 0:
        return changes
    before = {
        tuple(g.key): g.kg
        for g in totals(frame, by, replace(earlier, drugs=selection.drugs,
                                           origins=selection.origins), weight).groups
    }
    out: list[YearChange] = []
    for change in changes:
        if change.year == first:
            previous = before.get(change.key, 0.0)
            delta = change.kg - previous
            pct = None if previous == 0.0 else 100.0 * delta / previous
            change = YearChange(change.key, change.year, change.kg, previous, delta, pct)
        out.append(change)
    return tuple(out)
