"""Planned operations as selectors: an H3 geo-cell × a time window.

An operation's place becomes the H3 cell (resolution ``RESOLUTION``, cells about
1.4 km across) that holds it, and its time the fixed UTC windows of ``WINDOW_HOURS``
that it touches. It *registers* one selector per (its own cell, window) and *probes*
with (its cell and the six around it, window): two operations meet when one's cell is
the other's or a neighbour (H3 grid distance ≤ 1) and their times share a window.
The relation is symmetric, so whichever operation is registered second finds the
first, and both units are told.

The windows are fixed, not sliding, so that two nodes compute the same ones: two
operations at 23:00–02:00 and 01:00–04:00 share the 00:00–06:00 window; two in the
same window that do not overlap in time also meet ("nearby in time" is the point).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import h3

from tearline.deconflict.selectors import Selector
from tearline.errors import SelectorError, tr

RESOLUTION = 7
WINDOW_HOURS = 6
#: The longest operation taken as one event (longer ones are split by the planner).
MAX_DURATION = timedelta(hours=72)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PlannedOperation:
    """Where (WGS 84 degrees) and when (aware datetimes, end after start)."""

    latitude: float
    longitude: float
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if not (-90.0 <= self.latitude <= 90.0 and -180.0 <= self.longitude <= 180.0):
            raise SelectorError(tr(
                "an operation's place is a latitude in [-90, 90] and a longitude in [-180, 180]"))
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise SelectorError(tr("an operation's times carry their time zone"))
        if not self.start < self.end:
            raise SelectorError(tr("an operation ends after it starts"))
        if self.end - self.start > MAX_DURATION:
            raise SelectorError(tr(
                "an operation lasts at most {MAX_DURATION}; split it", MAX_DURATION=MAX_DURATION))

    @property
    def cell(self) -> str:
        return str(h3.latlng_to_cell(self.latitude, self.longitude, RESOLUTION))


def windows(start: datetime, end: datetime) -> tuple[str, ...]:
    """The fixed UTC windows [start, end) touches, named by their start (ISO 8601)."""
    step = timedelta(hours=WINDOW_HOURS)
    first = _EPOCH + step * ((start.astimezone(UTC) - _EPOCH) // step)
    out = []
    at = first
    while at < end.astimezone(UTC):
        out.append(at.strftime("%Y-%m-%dT%H:%MZ"))
        at += step
    return tuple(out)


def _selector(cell: str, window: str) -> Selector:
    return Selector("event", f"h3r{RESOLUTION}:{cell}@{window}")


def registered(op: PlannedOperation) -> tuple[Selector, ...]:
    """The selectors an operation registers: its own cell in each of its windows."""
    return tuple(_selector(op.cell, w) for w in windows(op.start, op.end))


def probes(op: PlannedOperation) -> tuple[Selector, ...]:
    """The selectors an operation checks: its cell and its neighbours, in its windows."""
    cells = sorted(str(c) for c in h3.grid_disk(op.cell, 1))
    return tuple(_selector(c, w) for c in cells for w in windows(op.start, op.end))
