"""Turning generated facts into synthetic records: ids, provenance, markings, portions.

The writer holds the generator's random state and hands out entity ids in order
(``demo<seed>-<kind>-<n>``), so that the same seed always gives the same ids. Every
record is built with :func:`tearline.model.record.build_record` (which validates and
normalizes each value) and flagged synthetic.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from tearline.demo import scenario as sc
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance, StatementKeyer

T = TypeVar("T")

#: Share of records that carry a portion where the schema allows one.
PORTION_SHARE: dict[tuple[str, str], float] = {
    ("Person", "birthDate"): 0.25,
    ("Phone", "number"): 0.3,
}


def weighted(rng: random.Random, choices: Sequence[tuple[T, int]]) -> T:
    """One value of ``(value, weight)`` pairs, drawn with ``rng``."""
    total = sum(w for _, w in choices)
    pick = rng.uniform(0, total)
    for value, w in choices:
        pick -= w
        if pick < 0:
            return value
    return choices[-1][0]


class RecordWriter:
    def __init__(self, rng: random.Random, fake: Any, prefix: str,
                 keyer: StatementKeyer) -> None:
        self.rng = rng
        self.keyer = keyer  # the statement ids' (the store's that will keep the records)
        self.fake = fake
        self.prefix = prefix
        self._counters: dict[str, int] = {}
        #: every id handed out, to check that links point to generated entities
        self.ids: set[str] = set()

    def peek(self, kind: str) -> str:
        """The id the next record of ``kind`` will get."""
        return f"{self.prefix}-{kind}-{self._counters.get(kind, 0) + 1:06d}"

    def next_id(self, kind: str) -> str:
        entity_id = self.peek(kind)
        self._counters[kind] = self._counters.get(kind, 0) + 1
        self.ids.add(entity_id)
        return entity_id

    def record(
        self,
        kind: str,
        schema: str,
        properties: Mapping[str, Sequence[str]],
        unit: str,
        category: str,
        at: datetime,
        reliability: Reliability,
        credibility: Credibility,
    ) -> Record:
        """Build one synthetic record authored by ``unit``, marked from its profiles."""
        agency = sc.agency_of(unit)
        marking = weighted(self.rng, [(p.marking, p.weight)
                                      for p in sc.profiles_for(agency, category)])
        portions = self._portions(schema, properties, unit, agency, marking)
        return build_record(
            self.next_id(kind),
            schema,
            properties,
            Provenance(agency, unit, at, reliability, credibility),
            marking,
            portions=portions or None,
            synthetic=True,
            keyer=self.keyer,
        )

    def _portions(
        self,
        schema: str,
        properties: Mapping[str, Sequence[str]],
        unit: str,
        agency: str,
        marking: Marking,
    ) -> dict[str, Marking]:
        out: dict[str, Marking] = {}
        for (schema_name, prop), share in PORTION_SHARE.items():
            if schema_name != schema or prop not in properties:
                continue
            if self.rng.random() >= share:
                continue
            if prop == "birthDate":
                portion = sc.informant_portion(unit)
            elif agency == sc.US_DEA:
                portion = sc.US_ONLY_SELECTOR
            else:
                continue
            if portion != marking and portion.tlp.rank > marking.tlp.rank:
                out[prop] = portion
        return out
