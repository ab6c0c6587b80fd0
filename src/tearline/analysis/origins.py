"""Origin comparison: how much of one drug came from each of a few origin countries.

The question analysts ask is, for example, "fentanyl seized in the United States that
originated in Mexico, against that originating in China, by total gross weight".
Each named origin gets its events and weight, its share of the *compared* weight
(the named origins together) and of *all* the drug's weight in the selection
(unknown and other origins included), and a per-year breakdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from tearline.analysis.change import YearKind
from tearline.analysis.engine import ALL, Selection, Weight
from tearline.analysis.frame import SeizureFrame
from tearline.analysis.totals import totals
from tearline.analysis.units import kg_to_lb


@dataclass(frozen=True, slots=True)
class OriginFigure:
    origin: str
    events: int
    kg: float
    share_of_compared: float
    share_of_all: float
    kg_by_year: tuple[tuple[int, float], ...]
    synthetic_events: int

    @property
    def lb(self) -> float:
        return kg_to_lb(self.kg)

    def to_dict(self) -> dict[str, object]:
        return {
            "origin": self.origin,
            "events": self.events,
            "kg": self.kg,
            "lb": self.lb,
            "share_of_compared": self.share_of_compared,
            "share_of_all": self.share_of_all,
            "kg_by_year": [[y, kg] for y, kg in self.kg_by_year],
            "synthetic_events": self.synthetic_events,
        }


@dataclass(frozen=True, slots=True)
class OriginComparison:
    drug: str
    weight: Weight
    period: YearKind
    figures: tuple[OriginFigure, ...]
    all_kg: float  # the drug's total weight in the selection, every origin

    def to_dict(self) -> dict[str, object]:
        return {
            "drug": self.drug,
            "weight": self.weight,
            "period": self.period,
            "all_kg": self.all_kg,
            "figures": [f.to_dict() for f in self.figures],
        }


def compare_origins(
    frame: SeizureFrame,
    origins: Sequence[str] = ("mx", "cn"),
    drug: str = "fentanyl",
    selection: Selection = ALL,
    weight: Weight = "gross",
    period: YearKind = "year",
) -> OriginComparison:
    wanted = tuple(o.strip().lower() for o in origins)
    scoped = replace(selection, drugs=(drug,))
    by_origin = totals(frame, ("origin",), scoped, weight)
    by_year = totals(frame, ("origin", period), replace(scoped, origins=wanted), weight)
    all_kg = sum((Decimal(repr(g.kg)) for g in by_origin.groups), Decimal(0))
    compared = sum(
        (Decimal(repr(g.kg)) for g in by_origin.groups if g.key[0] in wanted), Decimal(0)
    )
    figures = []
    for origin in wanted:
        group = by_origin.get(origin)
        kg = Decimal(repr(group.kg)) if group else Decimal(0)
        years = tuple((int(str(g.key[1])), g.kg) for g in by_year.groups if g.key[0] == origin)
        figures.append(
            OriginFigure(
                origin=origin,
                events=group.events if group else 0,
                kg=float(kg),
                share_of_compared=float(kg / compared) if compared else 0.0,
                share_of_all=float(kg / all_kg) if all_kg else 0.0,
                kg_by_year=years,
                synthetic_events=group.synthetic_events if group else 0,
            )
        )
    return OriginComparison(drug.lower(), weight, period, tuple(figures), float(all_kg))
