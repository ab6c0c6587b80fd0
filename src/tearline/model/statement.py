"""Statements: one value of one property of one record, with its provenance and marking.

This is the FollowTheMoney statement model extended with markings and Admiralty
grading: each value remembers which agency and unit asserted it, when it was first
and last seen, and under which marking it may be disseminated. Merging records
across agencies therefore never mixes up whose fact is whose.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking


def statement_id(entity_id: str, prop: str, value: str, origin: str, author: str) -> str:
    """Deterministic id: the same fact from the same unit is the same statement."""
    key = "\x1f".join((entity_id, prop, value, origin, author)).encode("utf-8")
    return "st-" + hashlib.sha1(key, usedforsecurity=False).hexdigest()


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who asserts a batch of statements, how reliable they are, and when they were seen."""

    origin: str  # originating agency
    author: str  # authoring unit
    seen_at: datetime
    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.CANNOT_JUDGE


@dataclass(frozen=True, slots=True)
class Statement:
    entity_id: str
    schema: str
    prop: str
    value: str
    origin: str
    author: str
    first_seen: datetime
    last_seen: datetime
    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.CANNOT_JUDGE
    original_value: str | None = None
    #: A stricter marking for this one value (a portion); ``None`` means the
    #: record's marking applies.
    marking: Marking | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(
                self,
                "id",
                statement_id(self.entity_id, self.prop, self.value, self.origin, self.author),
            )
        if self.original_value == self.value:
            object.__setattr__(self, "original_value", None)

    def sort_key(self) -> tuple[str, str, str]:
        return (self.prop, self.value, self.id)
