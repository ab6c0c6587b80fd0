"""Seizure sizes per drug and conveyance, calibrated to CBP's published distributions.

CBP publishes, per month, office and drug, the number of seizure events and the
pounds seized — no single seizure and no conveyance. What it does show is how sizes
differ between kinds of place, and those are the slices a synthetic seizure is drawn
from (:data:`SLICES`, by the kind of place the seizure happens at):

- ``port`` — Office of Field Operations, Southwest Border: the land ports of entry
  (passenger vehicles, commercial trucks, pedestrians, buses);
- ``coastal`` — Office of Field Operations, Coastal/Interior: the sea and air ports,
  mail and express-consignment facilities (international mail, express consignment,
  container and fishing vessels);
- ``patrol`` — U.S. Border Patrol, Southwest Border: vehicles stopped away from the
  ports, the nearest published analogue of a Mexican unit's inland seizure.

Per drug and slice, over the merged series (each month once, FY2019–FY2023):

1. ``mean_kg`` = kilograms ÷ events;
2. ``sigma``, the log-normal shape: the variance of a single seizure's size is
   estimated from how the published rows' means (kg ÷ events) scatter around the
   slice's mean, each row weighted by its events —
   ``var = Σ eventsᵢ (meanᵢ − mean)² / (rows − 1)`` — and the log-normal with that mean
   and variance has ``sigma² = ln(1 + var / mean²)`` (method of moments; at most
   :data:`MAX_SIGMA`);
3. ``cap_kg``, the largest seizure the data show happened: the largest row mean (a row
   of n events holds at least one seizure as large as its mean) — no synthetic
   seizure is drawn larger.

The result is bundled as ``data/seizure_sizes.json`` (regenerate it with ``python
tools/make_seizure_sizes.py DATA_DIR``); a test derives it again from the reference
files and compares. This module reads no file but that one: the CBP rows are handed
in (any objects with the :class:`PublishedRow` attributes, such as
``tearline.sources.cbp.CbpRow``).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Protocol

from tearline.analysis.units import lb_to_kg

#: CBP slice of each kind of synthetic place: (component, region).
SLICES: dict[str, tuple[str, str]] = {
    "port": ("Office of Field Operations", "Southwest Border"),
    "coastal": ("Office of Field Operations", "Coastal/Interior"),
    "patrol": ("U.S. Border Patrol", "Southwest Border"),
}
#: The slice each kind of place (``tearline.demo.places.Place.kind``) draws from.
PLACE_SLICE: dict[str, str] = {
    "land-port": "port", "mail-facility": "coastal", "seaport": "coastal", "inland": "patrol",
}  # fmt: skip
DRUGS: tuple[str, ...] = ("fentanyl", "methamphetamine", "cocaine", "heroin", "marijuana")
#: An upper bound on the shape: beyond it a handful of huge rows would decide every size.
MAX_SIGMA = 2.5
DATA = "data/seizure_sizes.json"


class PublishedRow(Protocol):
    """One published monthly aggregate, as ``tearline.sources.cbp.CbpRow`` holds it."""

    @property
    def component(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def drug(self) -> str: ...
    @property
    def events(self) -> int: ...
    @property
    def pounds(self) -> float: ...


@dataclass(frozen=True, slots=True)
class SizeProfile:
    drug: str
    slice: str
    events: int
    rows: int
    mean_kg: float
    sigma: float
    cap_kg: float

    @property
    def mu(self) -> float:
        """The log-normal's location, so that its mean is ``mean_kg``."""
        return math.log(self.mean_kg) - self.sigma**2 / 2


def derive(rows: Iterable[PublishedRow]) -> list[SizeProfile]:
    """The size profile of every drug and slice (see the module's method)."""
    cells: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for row in rows:
        for name, (component, region) in SLICES.items():
            if row.component == component and row.region == region and row.drug in DRUGS \
                    and row.events > 0:
                cells.setdefault((row.drug, name), []).append((row.events, lb_to_kg(row.pounds)))
    profiles: list[SizeProfile] = []
    for (drug, name), cell in sorted(cells.items()):
        events = sum(n for n, _ in cell)
        mean = sum(kg for _, kg in cell) / events
        spread = sum(n * (kg / n - mean) ** 2 for n, kg in cell) / max(1, len(cell) - 1)
        sigma = min(MAX_SIGMA, math.sqrt(math.log(1 + spread / mean**2)))
        profiles.append(SizeProfile(
            drug=drug, slice=name, events=events, rows=len(cell), mean_kg=round(mean, 4),
            sigma=round(sigma, 4), cap_kg=round(max(kg / n for n, kg in cell), 3),
        ))  # fmt: skip
    return profiles


def to_json(profiles: Iterable[SizeProfile], files: Iterable[str]) -> str:
    document = {
        "method": "tearline.demo.sizes: per drug and CBP slice, mean = kg / events; "
                  "log-normal sigma by the method of moments from the event-weighted "
                  "scatter of the rows' means; cap = the largest row mean",
        "source": sorted(files),
        "place_slice": PLACE_SLICE,
        "profiles": [asdict(p) for p in profiles],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


@cache
def profiles() -> dict[tuple[str, str], SizeProfile]:
    """The bundled profiles by (drug, kind of place)."""
    text = resources.files("tearline.demo").joinpath(DATA).read_text("utf-8")
    by_slice = {(p["drug"], p["slice"]): SizeProfile(**p) for p in json.loads(text)["profiles"]}
    return {
        (drug, kind): by_slice[(drug, name)]
        for kind, name in PLACE_SLICE.items()
        for drug in DRUGS
        if (drug, name) in by_slice
    }


def draw_kg(rng: random.Random, drug: str, kind: str) -> float:
    """One seizure's size for ``drug`` at a place of ``kind``: log-normal, capped."""
    profile = profiles()[(drug, kind)]
    return min(profile.cap_kg, rng.lognormvariate(profile.mu, profile.sigma))
