"""Calibration: split a CBP monthly total into incident-level seizure weights.

CBP publishes pounds per month and drug, not incidents. For each (month, drug) cell:

1. The target is ``round(pounds × scale × 453.59237)`` grams (1 lb = 0.45359237 kg).
2. The number of incidents is the cell's full-scale count — the total divided by the
   drug's mean seizure size, at least one — times ``scale``, at least one. A smaller
   scale is therefore a proportional sample: fewer incidents of the same sizes, whose
   weights sum exactly to ``scale`` × the CBP total of every cell, so monthly shapes,
   drug mixes and totals divided by ``scale`` stay those of CBP.
3. Sizes are drawn log-normal (many small seizures, a few large ones), then scaled to
   the target and rounded to whole grams by the largest-remainder method, so that the
   integer grams add up to the target exactly and every incident weighs at least 1 g.

Gross weights are written in kilograms with three decimals (whole grams), so the sum
of a cell's ``grossWeight`` values equals the target to the gram.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from datetime import date

GRAMS_PER_POUND = 453.59237


def target_grams(pounds: float, scale: float) -> int:
    """The grams a cell's seizures must add up to."""
    return round(pounds * scale * GRAMS_PER_POUND)


def incident_count(pounds: float, mean_kg: float, scale: float) -> int:
    """Incidents for a cell: full-scale count (total ÷ mean size) times ``scale``."""
    if pounds <= 0:
        return 0
    full = max(1, round(pounds * GRAMS_PER_POUND / 1000 / mean_kg))
    return max(1, round(full * scale))


def split_grams(rng: random.Random, total: int, count: int, spread: float) -> list[int]:
    """``count`` positive integer weights (log-normal shape) that sum exactly to ``total``."""
    if total <= 0 or count <= 0:
        return []
    count = min(count, total)
    return share_grams(total, [rng.lognormvariate(0.0, spread) for _ in range(count)])


def share_grams(total: int, draws: list[float]) -> list[int]:
    """Positive integer weights in proportion to ``draws`` that sum exactly to ``total``
    (at most ``total`` of them: each gets at least 1 g)."""
    if total <= 0 or not draws:
        return []
    draws = draws[:total]
    count = len(draws)
    spare = total - count  # every incident gets 1 g, the rest is shared out
    norm = sum(draws)
    shares = [spare * d / norm for d in draws]
    grams = [math.floor(s) for s in shares]
    left = spare - sum(grams)
    order = sorted(range(count), key=lambda i: (grams[i] - shares[i], i))
    for i in order[:left]:
        grams[i] += 1
    return [g + 1 for g in grams]


def kilograms(grams: int) -> str:
    """Whole grams as kilograms with three decimals: ``12345`` → ``"12.345"``."""
    return f"{grams // 1000}.{grams % 1000:03d}"


def grams_of(kilogram_text: str) -> int:
    """The inverse of :func:`kilograms` (exact for three decimals)."""
    whole, _, fraction = kilogram_text.partition(".")
    return int(whole) * 1000 + int((fraction + "000")[:3])


def cells_in_range(
    cbp_months: Mapping[tuple[date, str], float],
    drugs: Iterable[str],
    start: date | None,
    end: date | None,
) -> list[tuple[date, str, float]]:
    """The (month, drug, pounds) cells to generate, in a stable order."""
    wanted = set(drugs)
    cells = [
        (month, drug, pounds)
        for (month, drug), pounds in cbp_months.items()
        if drug in wanted
        and (start is None or month >= start.replace(day=1))
        and (end is None or month <= end.replace(day=1))
    ]
    return sorted(cells)
