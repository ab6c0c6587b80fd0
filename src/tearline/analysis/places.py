"""Seizure places: the rows that carry coordinates, for a map."""

from __future__ import annotations

from dataclasses import dataclass

from tearline.analysis.engine import ALL, Selection, Weight, query, weight_sql
from tearline.analysis.frame import SeizureFrame


@dataclass(frozen=True, slots=True)
class Place:
    latitude: float
    longitude: float
    events: int
    kg: float
    synthetic_events: int

    def to_dict(self) -> dict[str, object]:
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "events": self.events,
            "kg": self.kg,
            "synthetic_events": self.synthetic_events,
        }


def places(
    frame: SeizureFrame, selection: Selection = ALL, weight: Weight = "gross"
) -> tuple[Place, ...]:
    """Seizures grouped by exact coordinates (rows without both coordinates are left out)."""
    where, params = selection.where()
    sql = (
        "SELECT latitude, longitude, CAST(sum(events) AS BIGINT), "
        f"COALESCE(sum({weight_sql(weight)}), 0), "
        "CAST(sum(CASE WHEN synthetic THEN events ELSE 0 END) AS BIGINT) "
        f"FROM seizures WHERE {where} AND latitude IS NOT NULL AND longitude IS NOT NULL "
        "AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180 "
        "GROUP BY latitude, longitude ORDER BY latitude, longitude"
    )
    return tuple(
        Place(float(str(a)), float(str(b)), int(str(c)), float(str(d)), int(str(e)))
        for a, b, c, d, e in query(frame, sql, params)
    )
