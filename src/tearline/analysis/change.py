"""Year-on-year change of the seized weight, by calendar or fiscal year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
