"""The figures of a threat assessment, computed from the analytics (no I/O, no markup)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from tearline.analysis.change import YearChange, YearKind, compared_with_year_before
from tearline.analysis.engine import Selection, Weight
from tearline.analysis.frame import SeizureFrame
from tearline.analysis.origins import OriginComparison, compare_origins
from tearline.analysis.places import Place, places
from tearline.analysis.regions import RegionSeries, monthly_by_region
from tearline.analysis.totals import Share, Totals, shares_by_origin, top_n, totals
from tearline.analysis.trend import Trend, monthly_trend


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything an assessment shows, from one frame (records or aggregates)."""

    label: str
    grain: str
    events: int  # of the chosen drug
    kg: float
    synthetic_events: int  # of the chosen drug
    all_events: int  # every drug in the period
    all_synthetic_events: int  # every drug in the period
    by_drug: Totals
    monthly_by_region: tuple[RegionSeries, ...]  # one per kind of region, never mixed
    origins: OriginComparison | None  # None for aggregates without origins
    shares: tuple[Share, ...]
    trend: Trend
    change: tuple[YearChange, ...]
    top_ports: Totals
    top_conveyance: Totals
    top_concealment: Totals
    places: tuple[Place, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "grain": self.grain,
            "events": self.events,
            "kg": self.kg,
            "synthetic_events": self.synthetic_events,
            "all_events": self.all_events,
            "all_synthetic_events": self.all_synthetic_events,
            "by_drug": self.by_drug.to_dict(),
            "monthly_by_region": [series.to_dict() for series in self.monthly_by_region],
            "origins": None if self.origins is None else self.origins.to_dict(),
            "shares_by_origin": [s.to_dict() for s in self.shares],
            "trend": self.trend.to_dict(),
            "year_on_year": [c.to_dict() for c in self.change],
            "top_ports": self.top_ports.to_dict(),
            "top_conveyance": self.top_conveyance.to_dict(),
            "top_concealment": self.top_concealment.to_dict(),
            "places": [p.to_dict() for p in self.places],
        }


def compute_figures(
    frame: SeizureFrame,
    label: str,
    *,
    drug: str,
    window: Selection,
    origins: tuple[str, ...],
    weight: Weight,
    period: YearKind,
    top: int,
) -> Figures:
    """All figures for ``drug`` within ``window`` (dates), plus totals over every drug."""
    selection = replace(window, drugs=(drug,))
    whole = totals(frame, (), selection, weight)
    has_origins = frame.grain == "incident"
    by_drug = totals(frame, ("drug",), window, weight, order="weight")
    return Figures(
        label=label,
        grain=frame.grain,
        events=whole.events,
        kg=whole.kg,
        synthetic_events=sum(g.synthetic_events for g in whole.groups),
        all_events=by_drug.events,
        all_synthetic_events=sum(g.synthetic_events for g in by_drug.groups),
        by_drug=by_drug,
        monthly_by_region=monthly_by_region(frame, selection, weight),
        origins=compare_origins(frame, origins, drug, window, weight, period)
        if has_origins
        else None,
        shares=shares_by_origin(frame, selection, weight) if has_origins else (),
        trend=monthly_trend(frame, selection, weight),
        change=compared_with_year_before(frame, period, (), selection, weight),
        top_ports=top_n(frame, "port", top, selection, weight),
        top_conveyance=top_n(frame, "conveyance", top, selection, weight),
        top_concealment=top_n(frame, "concealment", top, selection, weight),
        places=places(frame, selection, weight),
    )
