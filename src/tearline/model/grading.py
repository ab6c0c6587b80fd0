"""Admiralty grading (NATO AJP-2.1): source reliability A–F, information credibility 1–6."""

from __future__ import annotations

from enum import StrEnum

from tearline.errors import ValidationError, tr


class Reliability(StrEnum):
    """How far the source has proved reliable in the past."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged

    @classmethod
    def parse(cls, value: str) -> Reliability:
        try:
            return cls(value.strip().upper())
        except ValueError:
            raise ValidationError(
                tr("invalid source reliability {value!r}: expected a letter A–F", value=value)
            ) from None


class Credibility(StrEnum):
    """How far the information is confirmed by other sources."""

    CONFIRMED = "1"
    PROBABLY_TRUE = "2"
    POSSIBLY_TRUE = "3"
    DOUBTFUL = "4"
    IMPROBABLE = "5"
    CANNOT_JUDGE = "6"

    @classmethod
    def parse(cls, value: str | int) -> Credibility:
        try:
            return cls(str(value).strip())
        except ValueError:
            raise ValidationError(
                tr("invalid information credibility {value!r}: expected a digit 1–6", value=value)
            ) from None


def grade(reliability: Reliability, credibility: Credibility) -> str:
    """The usual two-character grade, e.g. ``B2``."""
    return f"{reliability.value}{credibility.value}"
