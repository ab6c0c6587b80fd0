"""Seizure places: only rows with both coordinates, grouped by exact place."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv

from tearline.analysis.engine import Selection
from tearline.analysis.frame import seizure_frame
from tearline.analysis.places import places

DATA = Path(__file__).resolve().parent / "data"


def test_places_group_rows_with_coordinates() -> None:
    frame = seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))
    found = places(frame)
    # 11 rows, 3 without coordinates; s01 and s10 share San Ysidro
    assert len(found) == 7
    san_ysidro = next(p for p in found if (p.latitude, p.longitude) == (32.5422, -117.0297))
    assert (san_ysidro.events, san_ysidro.kg, san_ysidro.synthetic_events) == (2, 87.75, 1)
    fentanyl = places(frame, Selection(drugs=("fentanyl",)))
    assert sum(p.events for p in fentanyl) == 5
