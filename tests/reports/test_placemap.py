"""Seizure places are drawn on a map of Mexico and the border from the bundled outlines."""

from __future__ import annotations

from matplotlib.collections import PatchCollection
from matplotlib.path import Path as MplPath

from tearline.reports.basemap import MEXICO, UNITED_STATES, base_map
from tearline.reports.placemap import MEXICO_VIEW, places_figure

MANZANILLO = (-104.305, 19.058)
CULIACAN = (-107.394, 24.8091)
SAN_YSIDRO_US = (-117.0297, 32.5422)


def _inside(iso_n3: str, point: tuple[float, float]) -> bool:
    country = base_map().country(iso_n3)
    return any(MplPath(ring).contains_point(point) for ring in country.rings)


def test_the_bundled_outlines_are_natural_earth_mexico_and_the_us() -> None:
    world = base_map()
    assert "Natural Earth" in world.source and "public domain" in world.licence
    assert _inside(MEXICO, CULIACAN) and not _inside(UNITED_STATES, CULIACAN)
    assert _inside(UNITED_STATES, (-110.97, 32.22))  # Tucson
    assert not _inside(MEXICO, (-110.97, 32.22))
    # the border runs between Tijuana and San Diego
    assert _inside(MEXICO, (-117.02, 32.50)) and _inside(UNITED_STATES, (-117.10, 32.72))


def test_places_are_drawn_over_the_countries_in_a_view_of_mexico_and_the_border() -> None:
    points = [(*MANZANILLO, 461.0, True), (*SAN_YSIDRO_US, 12.0, False)]
    axes = places_figure(points, "fentanyl: seizure places").axes[0]
    outlines = [c for c in axes.collections if isinstance(c, PatchCollection)]
    gids = {c.get_gid() for c in outlines}
    assert {f"country-{MEXICO}", f"country-{UNITED_STATES}"} <= gids
    mexico = next(c for c in outlines if c.get_gid() == f"country-{MEXICO}")
    assert len(mexico.get_paths()) == len(base_map().country(MEXICO).rings)
    drawn = [tuple(xy) for c in axes.collections if not isinstance(c, PatchCollection)
             for xy in c.get_offsets()]
    assert sorted(drawn) == sorted([MANZANILLO, SAN_YSIDRO_US])
    west, east = axes.get_xlim()
    south, north = axes.get_ylim()
    assert (west, south, east, north) == MEXICO_VIEW  # both points lie inside the default view


def test_the_view_widens_to_every_place() -> None:
    jfk = (-73.7781, 40.6413)
    axes = places_figure([(*jfk, 3.0, True)], "t").axes[0]
    assert axes.get_xlim()[1] > jfk[0] and axes.get_ylim()[1] > jfk[1]
    assert axes.get_xlim()[0] <= MEXICO_VIEW[0]  # Mexico stays in view
