"""The signed oversight report as a document: what it covers and what it lists.

The document is the JSON the officer signs off and the PDF renders: the agency and its
jurisdiction, the marking, the log range and the checkpoint it cites, the officer and
the time of signing, and every exchange of the range (``drafts.Draft.document``). Its
digest (SHA-256 of its RFC 8785 form) enters the log with ``oversight.signed``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tearline.audit.canonical import canonical_bytes
from tearline.errors import ValidationError, tr
from tearline.oversight.drafts import Draft

KIND = "tearline.oversight-report"
LANGUAGES = ("es", "en")


@dataclass(frozen=True, slots=True)
class Coverage:
    """The log range a report covers and the signed checkpoint of its end."""

    first: int
    size: int
    root: str  # hex
    checkpoint: str  # the signed note

    def __post_init__(self) -> None:
        if not 0 <= self.first <= self.size:
            raise ValidationError(tr(
                "log range {first}..{size} is empty or reversed", first=self.first, size=self.size))


def report_id(agency: str, coverage: Coverage) -> str:
    return f"or-{agency}-{coverage.first}-{coverage.size}"


def build(agency: str, jurisdiction: str, language: str, marking: Mapping[str, Any],
          coverage: Coverage, officer: str, signed_at: str,
          drafts: Sequence[Draft]) -> dict[str, Any]:
    if language not in LANGUAGES:
        raise ValidationError(tr(
            "report language {language!r}: one of {LANGUAGES}",
            language=language, LANGUAGES=', '.join(LANGUAGES)))
    return {
        "kind": KIND,
        "version": 1,
        "id": report_id(agency, coverage),
        "agency": agency,
        "jurisdiction": jurisdiction,
        "language": language,
        "marking": dict(marking),
        "log": {"first": coverage.first, "size": coverage.size, "root": coverage.root,
                "checkpoint": coverage.checkpoint},
        "signed": {"officer": officer, "at": signed_at},
        "exchanges": [d.document() for d in drafts],
    }


def digest(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(dict(document))).hexdigest()


def parse(document: object) -> dict[str, Any]:
    """A report read back from a file: the shape checked, nothing trusted yet."""
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise ValidationError(tr("not an oversight report (expected kind {KIND!r})", KIND=KIND))
    log = document.get("log")
    if (not isinstance(log, dict) or not isinstance(log.get("first"), int)
            or not isinstance(log.get("size"), int)
            or not isinstance(log.get("checkpoint"), str)
            or not isinstance(document.get("agency"), str)
            or not isinstance(document.get("exchanges"), list)
            or not all(isinstance(x, dict) for x in document["exchanges"])):
        raise ValidationError(tr(
            "oversight report: agency, log.first, log.size, log.checkpoint and exchanges are "
            "required"))
    return document
