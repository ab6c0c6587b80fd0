"""A contact recorded by hand: a meeting, call or message with a foreign agent.

Who (our officials, the foreign agency and unit, the foreign agents by name), when,
where, and the subject in one line. The log's ``contact.logged`` entry holds the
metadata and :func:`details_digest` of the rest, which the store keeps beside it: the
report prints the details, and the digest proves they are the ones logged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from tearline.audit.canonical import canonical_bytes
from tearline.audit.envelope import utc_timestamp
from tearline.errors import ValidationError, tr
from tearline.oversight.drafts import check_text

MODES = ("meeting", "call", "message")


@dataclass(frozen=True, slots=True)
class Contact:
    unit: str  # ours, a unit id
    officials: tuple[str, ...]  # analyst ids of ours
    foreign_agency: str
    foreign_unit: str | None
    foreign_agents: str
    met_at: datetime
    place: str
    subject: str
    mode: str = "meeting"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValidationError(tr(
                "contact mode {mode!r}: one of {MODES}", mode=self.mode, MODES=', '.join(MODES)))
        if not self.officials:
            raise ValidationError(tr("a contact names at least one of our officials"))
        for analyst in self.officials:
            if analyst.rpartition("@")[2] != self.unit:
                raise ValidationError(tr(
                    "official {analyst!r} is not of unit {unit}", analyst=analyst, unit=self.unit))
        if self.foreign_unit and not self.foreign_unit.startswith(self.foreign_agency + "."):
            raise ValidationError(tr(
                "unit {foreign_unit!r} is not of agency {foreign_agency}",
                foreign_unit=self.foreign_unit, foreign_agency=self.foreign_agency))
        for name in ("foreign_agents", "place", "subject"):
            object.__setattr__(self, name, check_text(name, getattr(self, name)))
        if not self.subject:
            raise ValidationError(tr("a contact needs its subject (one line)"))
        utc_timestamp(self.met_at)  # refuses a time without a zone

    def details(self) -> dict[str, str]:
        """What stays in the store, not the log."""
        return {"foreign_agents": self.foreign_agents, "place": self.place,
                "subject": self.subject}


def details_digest(details: dict[str, str]) -> str:
    return hashlib.sha256(canonical_bytes(details)).hexdigest()
