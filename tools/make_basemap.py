"""Extract the bundled base map (``src/tearline/reports/data/basemap.json``) from world-atlas.

Usage: ``npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz`` then
``python tools/make_basemap.py package/countries-50m.json``.

world-atlas 2.0.2 (ISC licence) redistributes Natural Earth 4.1.0 admin-0 country
boundaries (public domain) as TopoJSON. This script decodes the TopoJSON arcs of the
countries listed in ``KEEP`` into plain longitude/latitude rings, keeps the rings that
touch the box ``BOX`` (Mexico, the border, the contiguous United States and Central
America), rounds coordinates to 0.01° (about 1 km, finer than the 1:50m source) and
writes one small JSON file the reports read at run time with no other dependency.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KEEP = {
    "484": "Mexico", "840": "United States of America", "320": "Guatemala", "084": "Belize",
    "340": "Honduras", "222": "El Salvador", "558": "Nicaragua", "192": "Cuba",
    "044": "Bahamas",
}
BOX = (-130.0, 5.0, -60.0, 52.0)  # west, south, east, north


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def inside(points: list[tuple[float, float]]) -> bool:
    west, south, east, north = BOX
    return any(west <= x <= east and south <= y <= north for x, y in points)


def main(source: Path, target: Path) -> None:
    topology = json.loads(source.read_text("utf-8"))
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = str(geometry.get("id", ""))
        if code not in KEEP:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            outer = ring(arcs, polygon[0])  # holes (lakes) are left out of a base map
            if inside(outer):
                rounded = [[round(x, 2), round(y, 2)] for x, y in outer]
                kept = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
                if len(kept) >= 4:
                    rings.append(kept)
        countries.append({"iso_n3": code, "name": KEEP[code], "rings": rings})
    document = {
        "source": "Natural Earth 4.1.0 admin-0 countries, 1:50m, via world-atlas 2.0.2 "
                  "(npm, countries-50m.json)",
        "licence": "Natural Earth: public domain; world-atlas packaging: ISC",
        "box": list(BOX),
        "countries": sorted(countries, key=lambda c: c["iso_n3"]),
    }
    target.write_text(json.dumps(document, separators=(",", ":")) + "\n", "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]),
         Path(__file__).resolve().parents[1] / "src/tearline/reports/data/basemap.json")
