"""Monthly weight by region, split by kind of region and filled over every month.

A Seizure's ``region`` is free text: a Mexican unit writes the state ("Colima",
"Michoacán"), a U.S. unit or CBP writes a CBP region ("Southwest Border"). The two
are different geographies at different scales (a state against a stretch of border
two thousand miles long), so they are never drawn on one chart: :func:`classify`
puts each region into one kind, and :func:`monthly_by_region` gives one
:class:`RegionSeries` per kind present.

Every series runs over the same months, from the first to the last month of the
window (or of the data where the window is open), and a month without a seizure is
0 kg: a chart joins real months only, never draws a straight line across months
with nothing seized, and a region seen in one month is still a point of its own.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Literal

from tearline.analysis.engine import ALL, Selection, Weight
from tearline.analysis.frame import SeizureFrame
from tearline.analysis.totals import totals
from tearline.analysis.trend import month_range

RegionKind = Literal["mx-state", "cbp-region", "other"]
KINDS: tuple[RegionKind, ...] = ("mx-state", "cbp-region", "other")
TITLES: dict[RegionKind, str] = {
    "mx-state": "Mexican states",
    "cbp-region": "U.S. CBP regions",
    "other": "other or unknown regions",
}

#: The 32 federal entities of Mexico (INEGI names), with the short forms units write.
MX_STATES: tuple[str, ...] = (
    "Aguascalientes", "Baja California", "Baja California Sur", "Campeche", "Chiapas",
    "Chihuahua", "Ciudad de México", "Coahuila", "Coahuila de Zaragoza", "Colima",
    "Durango", "Guanajuato", "Guerrero", "Hidalgo", "Jalisco", "Estado de México",
    "México", "Michoacán", "Michoacán de Ocampo", "Morelos", "Nayarit", "Nuevo León",
    "Oaxaca", "Puebla", "Querétaro", "Quintana Roo", "San Luis Potosí", "Sinaloa",
    "Sonora", "Tabasco", "Tamaulipas", "Tlaxcala", "Veracruz",
    "Veracruz de Ignacio de la Llave", "Yucatán", "Zacatecas", "CDMX", "Distrito Federal",
)  # fmt: skip
#: CBP's published regions, and the one the synthetic data uses for ports of entry.
CBP_REGIONS: tuple[str, ...] = (
    "Southwest Border", "Northern Border", "Coastal/Interior", "Field Operations",
)


def _fold(text: str) -> str:
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    return " ".join(bare.casefold().split())


_KIND: dict[str, RegionKind] = {
    **{_fold(name): "mx-state" for name in MX_STATES},
    **{_fold(name): "cbp-region" for name in CBP_REGIONS},
}


def classify(region: str | None) -> RegionKind:
    """The kind of a region name (case, accents and spacing ignored); unknown: ``other``."""
    return "other" if region is None else _KIND.get(_fold(region), "other")


@dataclass(frozen=True, slots=True)
class RegionSeries:
    """The monthly weights of the regions of one kind, aligned on ``months``."""

    kind: RegionKind
    months: tuple[date, ...]
    kg: dict[str, tuple[float, ...]]  # region → one value per month (0.0: none seized)

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    def monthly_totals(self) -> tuple[tuple[date, float], ...]:
        """Each month with the weight of all the series' regions together: the values
        behind a chart, printed beside it for readers who cannot see the drawing."""
        return tuple((month, sum(values[i] for values in self.kg.values()))
                     for i, month in enumerate(self.months))

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "title": self.title,
            "months": [m.isoformat() for m in self.months],
            "kg": {region: list(values) for region, values in self.kg.items()},
        }


def monthly_by_region(
    frame: SeizureFrame, selection: Selection = ALL, weight: Weight = "gross"
) -> tuple[RegionSeries, ...]:
    """One zero-filled monthly series per region, grouped by kind (see module doc)."""
    cells: dict[RegionKind, dict[str, dict[date, float]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for group in totals(frame, ("region", "month"), selection, weight).groups:
        region = None if group.key[0] is None else str(group.key[0])
        month = date.fromisoformat(f"{group.key[1]}-01")
        cells[classify(region)][region or "unknown"][month] = group.kg
    if not cells:
        return ()
    seen = [m for kind in cells.values() for per in kind.values() for m in per]
    months = tuple(month_range(selection.start or min(seen), selection.end or max(seen)))
    return tuple(
        RegionSeries(
            kind=kind,
            months=months,
            kg={
                region: tuple(per.get(m, 0.0) for m in months)
                for region, per in sorted(cells[kind].items())
            },
        )
        for kind in KINDS
        if kind in cells
    )
