"""Markings: the dissemination control carried by a record or a single statement.

A marking is a value: two markings with the same fields are the same marking, and
the store keeps each distinct marking once, keyed by :attr:`Marking.id` (a digest of
its canonical form). Interpreting a marking — who may see what — is the policy's
job (``tearline.policy``); this module only represents and validates it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tearline.errors import MarkingError, Problem, tr
from tearline.model.text import bidi_problem

_ID = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$")
_CAVEAT = re.compile(r"^[A-Z0-9][A-Z0-9 _/+-]{0,63}$")


def check_party_id(value: str, what: str = "party id") -> str:
    """Agency and unit ids are dotted lowercase names: ``us.dea``, ``mx.semar.uie``."""
    if not isinstance(value, str) or len(value) > 128 or not _ID.match(value):
        raise MarkingError(tr(
            "invalid {what} {value!r}: expected a dotted lowercase name", what=what, value=value))
    return value


class Tlp(StrEnum):
    """Traffic Light Protocol 2.0 levels, least to most restrictive."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @classmethod
    def parse(cls, value: str) -> Tlp:
        text = value.strip().upper().removeprefix("TLP:").replace("_", "+")
        if text == "WHITE":  # TLP 1.0 name, mapped as TLP 2.0 prescribes
            text = "CLEAR"
        try:
            return cls(text)
        except ValueError:
            levels = ", ".join(t.value for t in cls)
            raise MarkingError(tr(
                "unknown TLP level {value!r} (expected one of {levels})",
                value=value, levels=levels)) from None

    @property
    def rank(self) -> int:
        return list(Tlp).index(self)


class SelectorKind(StrEnum):
    AGENCY = "agency"
    UNIT = "unit"
    VETTED_BY = "vetted-by"


@dataclass(frozen=True, slots=True, order=True)
class Selector:
    """One entry of ``releasable_to``: ``agency:<id>``, ``unit:<id>``, ``vetted-by:<agency>``."""

    kind: SelectorKind
    value: str

    def __post_init__(self) -> None:
        check_party_id(self.value, f"{self.kind.value} in releasable_to")

    @classmethod
    def parse(cls, text: str) -> Selector:
        kind, sep, value = text.strip().partition(":")
        if not sep:
            raise MarkingError(
                tr(
                    "invalid releasable_to selector {text!r}: expected agency:<id>, unit:<id> or "
                    "vetted-by:<agency id>", text=text)
            )
        try:
            parsed = SelectorKind(kind.strip().lower())
        except ValueError:
            raise MarkingError(
                tr(
                    "invalid releasable_to selector {text!r}: unknown kind {kind!r}",
                    text=text, kind=kind)
            ) from None
        return cls(parsed, value.strip())

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.value}"


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise MarkingError(tr("timestamp {value} has no time zone", value=value.isoformat()))
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Marking:
    """A dissemination control: TLP level, releasability, ORCON, legal basis, caveats, expiry."""

    tlp: Tlp
    releasable_to: frozenset[Selector] = field(default_factory=frozenset)
    orcon: bool = False
    legal_basis: str | None = None
    caveats: frozenset[str] = field(default_factory=frozenset)
    expires_at: datetime | None = None

    def __post_init__(self) -> None:
        problems = []
        if self.tlp is Tlp.RED:
            wide = sorted(str(s) for s in self.releasable_to if s.kind is not SelectorKind.UNIT)
            if wide:
                problems.append(
                    Problem(tr(
                        "TLP:RED is for named individuals' units only; selectors {selectors} "
                        "would release it to whole agencies or groups. Name the units with "
                        "unit:<id>, or use AMBER.", selectors=", ".join(wide)))
                )
        if self.tlp in (Tlp.CLEAR, Tlp.GREEN) and self.orcon:
            problems.append(Problem(tr("ORCON makes no sense on TLP:{tlp} (public)",
                                       tlp=self.tlp.value)))
        for caveat in self.caveats:
            if not _CAVEAT.match(caveat):
                problems.append(Problem(tr("invalid caveat {caveat!r}: upper-case words, ≤64 "
                                           "chars", caveat=caveat)))
        if self.legal_basis is not None and not (0 < len(self.legal_basis) <= 128):
            problems.append(Problem(tr("legal basis must be 1 to 128 characters")))
        elif self.legal_basis is not None and (bidi := bidi_problem(self.legal_basis)):
            problems.append(Problem(tr("legal basis {problem}", problem=bidi)))
        if self.expires_at is not None:
            object.__setattr__(self, "expires_at", _utc(self.expires_at))
        if problems:
            raise MarkingError(tr("invalid marking"), problems)

    @property
    def id(self) -> str:
        """Content address: equal markings have equal ids on every node."""
        digest = hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()
        return f"mk-{digest[:32]}"

    def canonical(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "tlp": self.tlp.value,
            "releasable_to": sorted(str(s) for s in self.releasable_to),
            "orcon": self.orcon,
            "legal_basis": self.legal_basis,
            "caveats": sorted(self.caveats),
            "expires_at": None
            if self.expires_at is None
            else self.expires_at.isoformat().replace("+00:00", "Z"),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Marking:
        if not isinstance(data, Mapping):
            raise MarkingError(tr("a marking must be a JSON object"))
        unknown = set(data) - {
            "tlp",
            "releasable_to",
            "orcon",
            "legal_basis",
            "caveats",
            "expires_at",
        }
        if unknown:
            raise MarkingError(tr(
                "unknown marking fields: {unknown}", unknown=', '.join(sorted(unknown))))
        if "tlp" not in data or not isinstance(data["tlp"], str):
            raise MarkingError(tr("a marking needs a TLP level (tlp)"))
        expires = data.get("expires_at")
        return cls.build(
            tlp=data["tlp"],
            releasable_to=_strings(data.get("releasable_to") or [], "releasable_to"),
            orcon=_bool(data.get("orcon", False)),
            legal_basis=data.get("legal_basis"),
            caveats=_strings(data.get("caveats") or [], "caveats"),
            expires_at=parse_timestamp(expires) if expires else None,
        )

    @classmethod
    def build(
        cls,
        tlp: str | Tlp,
        releasable_to: Iterable[str | Selector] = (),
        orcon: bool = False,
        legal_basis: str | None = None,
        caveats: Iterable[str] = (),
        expires_at: datetime | None = None,
    ) -> Marking:
        level = tlp if isinstance(tlp, Tlp) else Tlp.parse(tlp)
        selectors = frozenset(
            s if isinstance(s, Selector) else Selector.parse(s) for s in releasable_to
        )
        if legal_basis is not None and not isinstance(legal_basis, str):
            raise MarkingError(tr("legal_basis must be a string"))
        return cls(
            tlp=level,
            releasable_to=selectors,
            orcon=orcon,
            legal_basis=legal_basis or None,
            caveats=frozenset(c.strip().upper() for c in caveats),
            expires_at=expires_at,
        )

    def reaches_outside(self, origin: str) -> list[Selector]:
        """The selectors of ``releasable_to`` that reach beyond the agency ``origin``.

        ``agency:X`` with X ≠ origin, ``unit:U`` with U not a unit of origin (unit ids
        extend their agency's id), and every ``vetted-by:`` selector (an agency vets
        only other agencies' units). CLEAR and GREEN are community dissemination,
        not a release to named parties, and name nobody.
        """
        out = []
        for sel in sorted(self.releasable_to):
            if sel.kind is SelectorKind.AGENCY and sel.value == origin:
                continue
            if sel.kind is SelectorKind.UNIT and sel.value.startswith(origin + "."):
                continue
            out.append(sel)
        return out

    def basis_problem(self, origin: str) -> str | None:
        """Why this marking, set by agency ``origin``, is not allowed (``None``: it is).

        Any release beyond the originating agency needs a legal basis.
        """
        outside = self.reaches_outside(origin)
        if outside and self.legal_basis is None:
            listed = ", ".join(str(s) for s in outside)
            return (
                f"a legal basis is required: releasable_to {listed} reaches beyond the "
                f"originating agency {origin}; cite the agreement (legal_basis / --legal-basis)"
            )
        return None

    def check_for_originator(self, origin: str) -> Marking:
        """This marking as set by agency ``origin``; :class:`MarkingError` if not allowed."""
        problem = self.basis_problem(origin)
        if problem:
            raise MarkingError(problem)
        return self

    def is_narrower_or_equal(self, other: Marking) -> bool:
        """A portion may narrow its record's marking, never widen it (TLP rank only)."""
        return self.tlp.rank >= other.tlp.rank

    def __str__(self) -> str:
        parts = [f"TLP:{self.tlp.value}"]
        if self.releasable_to:
            parts.append("REL TO " + ", ".join(sorted(str(s) for s in self.releasable_to)))
        if self.orcon:
            parts.append("ORCON")
        parts.extend(sorted(self.caveats))
        if self.legal_basis:
            parts.append(f"basis {self.legal_basis}")
        if self.expires_at:
            parts.append(f"expires {self.expires_at:%Y-%m-%dT%H:%MZ}")
        return " // ".join(parts)


def parse_timestamp(value: object) -> datetime:
    """Parse an ISO-8601 timestamp with a zone (``Z`` allowed) into UTC."""
    if isinstance(value, datetime):
        return _utc(value)
    if not isinstance(value, str):
        raise MarkingError(tr("invalid timestamp {value!r}", value=value))
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise MarkingError(tr(
            "invalid timestamp {value!r}: expected ISO 8601", value=value)) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _strings(value: object, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MarkingError(tr("{name} must be a list of strings", name=name))
    return list(value)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise MarkingError(tr("orcon must be true or false"))
    return value
