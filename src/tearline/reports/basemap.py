"""The base map under seizure places: country outlines bundled with the package.

``data/basemap.json`` holds the outlines of Mexico, the United States and their
neighbours, as longitude/latitude rings. They are Natural Earth's admin-0 country
boundaries (1:50m, version 4.1.0; public domain), taken from the npm package
``world-atlas`` 2.0.2 (ISC licence) by ``tools/make_basemap.py``, which says how.
Nothing is fetched at run time: a report is drawn from what the package carries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Country:
    iso_n3: str  # ISO 3166-1 numeric code, as Natural Earth gives it ("484": Mexico)
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]  # outer rings, (longitude, latitude)


@dataclass(frozen=True, slots=True)
class BaseMap:
    source: str
    licence: str
    countries: tuple[Country, ...]

    def country(self, iso_n3: str) -> Country:
        return next(c for c in self.countries if c.iso_n3 == iso_n3)


MEXICO = "484"
UNITED_STATES = "840"


@cache
def base_map() -> BaseMap:
    """The bundled outlines (read once per process)."""
    text = resources.files("tearline.reports").joinpath("data/basemap.json").read_text("utf-8")
    document = json.loads(text)
    return BaseMap(
        source=str(document["source"]),
        licence=str(document["licence"]),
        countries=tuple(
            Country(
                iso_n3=str(c["iso_n3"]),
                name=str(c["name"]),
                rings=tuple(tuple((float(x), float(y)) for x, y in ring) for ring in c["rings"]),
            )
            for c in document["countries"]
        ),
    )
