"""Subjects: the unit (or an analyst acting for it) a decision is made for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from tearline.model.parties import Vetting


@dataclass(frozen=True, slots=True)
class Subject:
    """A unit of an agency, optionally the analyst acting for it."""

    unit: str
    agency: str
    analyst: str | None = None

    def __str__(self) -> str:
        return f"analyst:{self.analyst}" if self.analyst else f"unit:{self.unit}"


@dataclass(frozen=True, slots=True)
class VettingFacts:
    """The vetting attestations the policy may consult (all of them, with history)."""

    vettings: tuple[Vetting, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, vettings: Iterable[Vetting]) -> VettingFacts:
        return cls(tuple(vettings))

    def vetted_by(self, unit: str, at: datetime) -> frozenset[str]:
        """Agencies that vet ``unit`` at ``at``: valid_from ≤ at < valid_until, not revoked."""
        return frozenset(v.by for v in self.vettings if v.unit == unit and v.active_at(at))
