"""Seizure places on a map of Mexico and the border (matplotlib, SVG).

Drawn like every chart of :mod:`tearline.reports.charts` (same settings, text drawn
literally), over the country outlines bundled with the package
(:mod:`tearline.reports.basemap`): nothing is fetched at run time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import matplotlib
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from tearline.reports.basemap import MEXICO, base_map
from tearline.reports.charts import PALETTE, RC, ChartFormat, label, render

#: Mexico and the border, the least a map of seizure places shows: (west, south, east, north).
MEXICO_VIEW = (-118.5, 14.0, -86.0, 34.5)


def places_figure(points: Sequence[tuple[float, float, float, bool]], title: str,
                  gettext: Callable[[str], str] = str) -> Figure:
    """Seizure places on a map of Mexico and the border, marker area by weight.

    ``points`` are (longitude, latitude, kg, synthetic). Country outlines come from
    the bundled base map (:mod:`tearline.reports.basemap`); the view holds Mexico and
    the border, widened to every point. Plate carrée, with the aspect of the view's
    middle latitude so that shapes are not stretched.
    """
    figure = Figure(figsize=(7.0, 4.6), dpi=100)
    figure.subplots_adjust(left=0.09, right=0.98, bottom=0.1, top=0.92)
    axes = figure.add_subplot()
    west, south, east, north = MEXICO_VIEW
    if points:
        west = min(west, *(p[0] - 1 for p in points))
        east = max(east, *(p[0] + 1 for p in points))
        south = min(south, *(p[1] - 1 for p in points))
        north = max(north, *(p[1] + 1 for p in points))
    world = base_map()
    for country in world.countries:
        home = country.iso_n3 == MEXICO
        axes.add_collection(PatchCollection(
            [Polygon(ring, closed=True) for ring in country.rings],
            facecolor="#f3ead8" if home else "#ececec", edgecolor="#6f6f6f",
            linewidth=0.5, zorder=1, gid=f"country-{country.iso_n3}",
        ))  # fmt: skip
    largest = max((p[2] for p in points), default=1.0) or 1.0
    kinds = ((False, PALETTE[0], gettext("recorded")), (True, PALETTE[4], gettext("synthetic")))
    for synthetic, color, kind in kinds:
        chosen = [p for p in points if p[3] is synthetic]
        if not chosen:
            continue
        axes.scatter(
            [p[0] for p in chosen],
            [p[1] for p in chosen],
            s=[20 + 280 * p[2] / largest for p in chosen],
            color=color,
            alpha=0.7,
            edgecolors="black",
            linewidths=0.4,
            label=kind,
            zorder=3,
        )
    axes.set_xlim(west, east)
    axes.set_ylim(south, north)
    axes.set_aspect(1.0 / math.cos(math.radians((south + north) / 2)))
    axes.set_facecolor("#dbe9f4")  # sea
    axes.set_xlabel(gettext("longitude (°)"))
    axes.set_ylabel(gettext("latitude (°)"))
    axes.set_title(label(title), loc="left")
    if points:
        axes.legend(frameon=True, fontsize=8, loc="lower left")
    return figure


def places_map(points: Sequence[tuple[float, float, float, bool]], title: str,
               fmt: ChartFormat = "svg", gettext: Callable[[str], str] = str) -> bytes:
    """:func:`places_figure` as SVG (or PNG)."""
    with matplotlib.rc_context(RC):
        return render(places_figure(points, title, gettext), fmt)
