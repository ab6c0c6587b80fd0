"""Parties: agencies, units, analysts, vetting attestations and agreements.

Parties are values. The store keeps their history append-only: a change is a new
version that supersedes the old one; a vetting is ended by a separate revocation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tearline.errors import MarkingError, ValidationError, tr
from tearline.model.marking import check_party_id
from tearline.model.text import bidi_problem

_ANALYST = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}@[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$")
_AGREEMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")


def _ids(value: str, what: str) -> str:
    try:
        return check_party_id(value, what)
    except MarkingError as exc:  # a party's id is no marking: the party's own error class
        raise ValidationError(str(exc)) from None


def _name(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise ValidationError(tr("{what} must be 1 to 200 characters", what=what))
    bidi = bidi_problem(value)
    if bidi is not None:
        raise ValidationError(tr(
            "{what} {value!r}: {bidi}", what=what, value=value.strip()[:80], bidi=bidi))
    return value.strip()


@dataclass(frozen=True, slots=True)
class Agency:
    """An organization that runs a node: ``us.dea``, ``mx.semar``, ``mx.fgr``."""

    id: str
    name: str
    country: str

    def __post_init__(self) -> None:
        _ids(self.id, "agency id")
        object.__setattr__(self, "name", _name(self.name, "agency name"))
        if not re.fullmatch(r"[a-z]{2}", self.country):
            raise ValidationError(tr(
                "agency country {country!r}: expected ISO 3166 alpha-2", country=self.country))


@dataclass(frozen=True, slots=True)
class Unit:
    """A team inside an agency; its id extends the agency's: ``mx.semar.uie``."""

    id: str
    agency: str
    name: str

    def __post_init__(self) -> None:
        _ids(self.id, "unit id")
        _ids(self.agency, "agency id")
        object.__setattr__(self, "name", _name(self.name, "unit name"))
        if not self.id.startswith(self.agency + "."):
            raise ValidationError(
                tr(
                    "unit id {id!r} must start with its agency's id {agency!r}.",
                    id=self.id, agency=self.agency)
            )


@dataclass(frozen=True, slots=True)
class Analyst:
    """A person, member of one unit: ``ana@mx.semar.uie``."""

    id: str
    unit: str
    name: str

    def __post_init__(self) -> None:
        if not _ANALYST.match(self.id):
            raise ValidationError(tr("analyst id {id!r}: expected name@unit.id", id=self.id))
        _ids(self.unit, "unit id")
        if self.id.split("@", 1)[1] != self.unit:
            raise ValidationError(tr(
                "analyst id {id!r} must end with @{unit}", id=self.id, unit=self.unit))
        object.__setattr__(self, "name", _name(self.name, "analyst name"))


@dataclass(frozen=True, slots=True)
class Vetting:
    """Agency ``by`` attests that ``unit`` is vetted, for ``valid_from ≤ t < valid_until``."""

    id: str
    by: str
    unit: str
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None = None

    def __post_init__(self) -> None:
        _ids(self.by, "vetting agency id")
        _ids(self.unit, "vetted unit id")
        for moment in (self.valid_from, self.valid_until, self.revoked_at):
            if moment is not None and moment.tzinfo is None:
                raise ValidationError(tr("vetting times need a time zone"))
        if self.valid_until <= self.valid_from:
            raise ValidationError(tr("a vetting must end after it starts"))
        if self.unit.startswith(self.by + "."):
            raise ValidationError(tr("an agency does not vet its own units"))

    def active_at(self, at: datetime) -> bool:
        if self.revoked_at is not None and self.revoked_at <= at:
            return False
        return self.valid_from <= at < self.valid_until


@dataclass(frozen=True, slots=True)
class Agreement:
    """A legal basis that markings and releases cite: a bilateral agreement, an MLAT
    request, … binding its ``parties`` (agency ids), in force for ``valid_from ≤ t <
    valid_until`` (either end may be open)."""

    id: str
    title: str
    kind: str
    parties: frozenset[str]
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    KINDS = ("bilateral", "mlat", "memorandum", "treaty", "other")

    def __post_init__(self) -> None:
        if not _AGREEMENT.match(self.id):
            raise ValidationError(tr("agreement id {id!r}: letters, digits, . _ : / -", id=self.id))
        object.__setattr__(self, "title", _name(self.title, "agreement title"))
        if self.kind not in self.KINDS:
            raise ValidationError(tr(
                "agreement kind {kind!r}: one of {KINDS}",
                kind=self.kind, KINDS=', '.join(self.KINDS)))
        for agency in self.parties:
            _ids(agency, "agreement party")
        for moment in (self.valid_from, self.valid_until):
            if moment is not None and moment.tzinfo is None:
                raise ValidationError(tr("agreement validity times need a time zone"))
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError(tr("agreement {id!r} must end after it begins", id=self.id))

    def in_force(self, at: datetime) -> bool:
        return (self.valid_from is None or self.valid_from <= at) and (
            self.valid_until is None or at < self.valid_until
        )
