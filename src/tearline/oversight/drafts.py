"""A draft per exchange: the metadata the report lists, the term, the free text.

A draft holds what the law asks and nothing a record holds: when, which foreign agency
and unit, which unit and officials of ours, the nature of the exchange, how many
records of which kinds, the agreement (legal basis). A contact recorded by hand adds
its place, the foreign agents named and its subject line; the designated officer may
edit the free-text fields (:data:`FREE_TEXT`) before signing — never the metadata,
which comes from the log and is proved against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tearline.errors import ValidationError, tr
from tearline.oversight.exchanges import Exchange
from tearline.oversight.terms import Status, Term, due_date, status

#: The fields an officer may write; each one line, at most this many characters.
FREE_TEXT = ("subject", "place", "foreign_agents", "notes")
MAX_TEXT = 500


def check_text(name: str, text: str) -> str:
    """A free-text value: one line of printable text, at most :data:`MAX_TEXT` long."""
    if name not in FREE_TEXT:
        raise ValidationError(tr(
            "{name!r} is not a free-text field of a draft: one of {FREE_TEXT}",
            name=name, FREE_TEXT=', '.join(FREE_TEXT)))
    clean = text.strip()
    if len(clean) > MAX_TEXT:
        raise ValidationError(tr(
            "{name}: at most {MAX_TEXT} characters ({clean_count} given)",
            name=name, MAX_TEXT=MAX_TEXT, clean_count=len(clean)))
    if any(not c.isprintable() for c in clean):
        raise ValidationError(tr(
            "{name}: one line of printable text (no line breaks or control characters)", name=name))
    return clean


@dataclass(frozen=True, slots=True)
class Draft:
    exchange: Exchange
    due: date
    text: Mapping[str, str] = field(default_factory=dict)

    def status(self, today: date) -> Status:
        return status(self.due, today)

    def document(self) -> dict[str, Any]:
        """The draft as the report's JSON lists it (metadata, then the free text)."""
        x = self.exchange
        return {
            "id": x.id,
            "entries": [[i, leaf] for i, leaf in x.entries],
            "at": x.at,
            "due": self.due.isoformat(),
            "nature": x.nature,
            "foreign_agency": x.foreign_agency,
            "foreign_unit": x.foreign_unit,
            "unit": x.unit,
            "officials": list(x.officials),
            "agreement": x.agreement,
            "records": {"count": x.record_count,
                        "kinds": {k: n for k, n in x.record_kinds}},
            "text": {k: self.text.get(k, "") for k in FREE_TEXT},
        }


def draft(exchange: Exchange, term: Term, jurisdiction: str,
          text: Mapping[str, str] | None = None) -> Draft:
    day = date.fromisoformat(exchange.at[:10])
    return Draft(exchange, due_date(day, term, jurisdiction), dict(text or {}))


#: The fields of a listed exchange that come from the log and are proved against it.
METADATA = ("id", "entries", "at", "nature", "foreign_agency", "foreign_unit", "unit",
            "officials", "agreement", "records")
