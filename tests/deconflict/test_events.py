"""Planned operations meet when their cells are the same or neighbours and times share
a window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import h3
import pytest

from tearline.deconflict import events
from tearline.errors import SelectorError

MST = timezone(timedelta(hours=-7))  # Sinaloa
NIGHT = (datetime(2026, 12, 12, 22, tzinfo=MST), datetime(2026, 12, 13, 3, tzinfo=MST))
CULIACAN = (24.8091, -107.3940)


def op(lat: float, lon: float, start: datetime, end: datetime) -> events.PlannedOperation:
    return events.PlannedOperation(lat, lon, start, end)


def meet(a: events.PlannedOperation, b: events.PlannedOperation) -> bool:
    found = bool(set(events.registered(a)) & set(events.probes(b)))
    assert found == bool(set(events.registered(b)) & set(events.probes(a)))  # symmetric
    return found


def neighbour_point(distance: int) -> tuple[float, float]:
    origin = h3.latlng_to_cell(*CULIACAN, events.RESOLUTION)
    ring = sorted(h3.grid_ring(origin, distance))
    lat, lon = h3.cell_to_latlng(ring[0])
    return float(lat), float(lon)


def test_same_cell_same_night_meets() -> None:
    a = op(*CULIACAN, *NIGHT)
    b = op(CULIACAN[0] + 0.002, CULIACAN[1] - 0.002, NIGHT[0] + timedelta(hours=1),
           NIGHT[1] + timedelta(hours=1))
    assert meet(a, b)


def test_neighbouring_cell_meets_and_two_cells_away_does_not() -> None:
    a = op(*CULIACAN, *NIGHT)
    assert meet(a, op(*neighbour_point(1), *NIGHT))
    assert not meet(a, op(*neighbour_point(2), *NIGHT))


def test_another_night_does_not_meet() -> None:
    a = op(*CULIACAN, *NIGHT)
    assert not meet(a, op(*CULIACAN, NIGHT[0] + timedelta(days=1), NIGHT[1] + timedelta(days=1)))


def test_windows_are_fixed_utc_and_cover_the_operation() -> None:
    got = events.windows(*NIGHT)  # 05:00Z to 10:00Z
    assert got == ("2026-12-13T00:00Z", "2026-12-13T06:00Z")


@pytest.mark.parametrize(("lat", "lon", "start", "end", "why"), [
    (91.0, 0.0, NIGHT[0], NIGHT[1], "latitude"),
    (24.0, -107.0, NIGHT[1], NIGHT[0], "ends after"),
    (24.0, -107.0, NIGHT[0].replace(tzinfo=None), NIGHT[1], "time zone"),
    (24.0, -107.0, NIGHT[0], NIGHT[0] + timedelta(days=4), "at most"),
])
def test_bad_operations_are_refused(lat: float, lon: float, start: datetime, end: datetime,
                                    why: str) -> None:
    with pytest.raises(SelectorError, match=why):
        op(lat, lon, start, end)
