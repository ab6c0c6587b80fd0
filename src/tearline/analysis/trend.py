"""Trend of the monthly seized weight: least-squares slope and a centred moving average.

Method (deliberately simple, so that a reader can redo it by hand):

1. Monthly totals (kg) from the first to the last month of the selection (or of the
   data, where the selection has no dates); a month with no seizure counts as 0 kg.
2. Slope: ordinary least squares of the monthly total on the month index
   0, 1, …, n−1: ``slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²``, in kg per month, with
   ``intercept = ȳ − slope·x̄``. Reported also per year (×12) and relative to the
   mean month. It describes the direction and size of the change over the window;
   it is not a forecast and carries no significance test.
3. Smoothing: a centred moving average over ``window`` months (3 by default; odd
   windows only), left empty at the ends where the window does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tearline.analysis.engine import ALL, Selection, Weight
from tearline.analysis.frame import SeizureFrame
from tearline.analysis.totals import totals
from tearline.errors import Problem, ValidationError, tr


@dataclass(frozen=True, slots=True)
class Trend:
    months: tuple[date, ...]
    kg: tuple[float, ...]
    moving_average: tuple[float | None, ...]
    window: int
    slope_kg_per_month: float | None  # None with fewer than two months
    intercept_kg: float | None
    mean_kg: float

    @property
    def slope_kg_per_year(self) -> float | None:
        return None if self.slope_kg_per_month is None else 12.0 * self.slope_kg_per_month

    @property
    def slope_pct_of_mean_per_year(self) -> float | None:
        if self.slope_kg_per_month is None or self.mean_kg == 0:
            return None
        return 100.0 * 12.0 * self.slope_kg_per_month / self.mean_kg

    def fitted(self) -> tuple[float, ...]:
        if self.slope_kg_per_month is None or self.intercept_kg is None:
            return ()
        return tuple(self.intercept_kg + self.slope_kg_per_month * i for i in range(len(self.kg)))

    def to_dict(self) -> dict[str, object]:
        return {
            "method": "ordinary least squares on monthly totals; centred moving average",
            "months": [m.isoformat() for m in self.months],
            "kg": list(self.kg),
            "moving_average": list(self.moving_average),
            "window": self.window,
            "slope_kg_per_month": self.slope_kg_per_month,
            "slope_kg_per_year": self.slope_kg_per_year,
            "slope_pct_of_mean_per_year": self.slope_pct_of_mean_per_year,
            "intercept_kg": self.intercept_kg,
            "mean_kg": self.mean_kg,
        }


def month_range(first: date, last: date) -> list[date]:
    months: list[date] = []
    current = date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def least_squares(values: list[float]) -> tuple[float, float] | None:
    """(slope, intercept) of values against 0..n-1, or None with fewer than 2 values."""
    n = len(values)
    if n < 2:
        return None
    mean_x = (n - 1) / 2.0
    mean_y = sum(values) / n
    sxx = sum((i - mean_x) ** 2 for i in range(n))
    sxy = sum((i - mean_x) * (y - mean_y) for i, y in enumerate(values))
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def moving_average(values: list[float], window: int) -> list[float | None]:
    if window < 1 or window % 2 == 0:
        raise ValidationError(tr("bad window"), [Problem(tr(
            "{window} is not odd", window=window), column="window")])
    half = window // 2
    return [
        sum(values[i - half : i + half + 1]) / window if half <= i < len(values) - half else None
        for i in range(len(values))
    ]


def monthly_trend(
    frame: SeizureFrame, selection: Selection = ALL, weight: Weight = "gross", window: int = 3
) -> Trend:
    per_month = {str(g.key[0]): g.kg for g in totals(frame, ("month",), selection, weight).groups}
    if not per_month and (selection.start is None or selection.end is None):
        return Trend((), (), (), window, None, None, 0.0)
    seen = [date.fromisoformat(m + "-01") for m in per_month]
    first = selection.start or min(seen)
    last = selection.end or max(seen)
    months = month_range(first, last)
    values = [per_month.get(m.strftime("%Y-%m"), 0.0) for m in months]
    fit = least_squares(values)
    return Trend(
        months=tuple(months),
        kg=tuple(values),
        moving_average=tuple(moving_average(values, window)),
        window=window,
        slope_kg_per_month=None if fit is None else fit[0],
        intercept_kg=None if fit is None else fit[1],
        mean_kg=sum(values) / len(values) if values else 0.0,
    )
