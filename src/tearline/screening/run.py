"""Screening what a viewer may see: its records, or a file, against the designations it
may see; and the new designations of a re-imported list.

Records are read through the store's policy-filtered pages (every record read is in
the audit log, by the caller's path), so the designations and the parties of one
viewer's screening are exactly the records that exist for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tearline.model.record import Record
from tearline.policy.subject import Subject
from tearline.screening.matcher import REVIEW, Hit, Screener
from tearline.screening.parties import (
    LISTED,
    Designation,
    Party,
    designation_of,
    party_of,
    record_values,
)
from tearline.store import Store

#: records per page (the store's largest)
PAGE = 500


@dataclass(frozen=True)
class Visible:
    """The viewer's designations and the other parties it may see."""

    designations: tuple[Designation, ...]
    parties: tuple[Party, ...]


def _records(store: Store, subject: Subject, at: datetime, path: str) -> Iterator[Record]:
    for schema in sorted(LISTED):
        after: str | None = None
        while True:
            page = store.page(subject, at, schema=schema, after=after, limit=PAGE, path=path)
            if not page:
                break
            yield from page
            after = page[-1].id


def visible(store: Store, subject: Subject, at: datetime, path: str = "cli") -> Visible:
    designations: list[Designation] = []
    parties: list[Party] = []
    for record in _records(store, subject, at, path):
        designation = designation_of(record)
        if designation is not None:
            designations.append(designation)
            continue
        party = party_of(record.id, record.schema, record_values(record))
        if party is not None:
            parties.append(party)
    return Visible(tuple(designations), tuple(parties))


def screen(parties: Iterable[Party], designations: Iterable[Designation],
           min_score: float = REVIEW) -> list[Hit]:
    """Every hit of ``parties`` scoring at least ``min_score``, party by party."""
    screener = Screener(designations)
    return [hit for party in sorted(parties, key=lambda p: p.id)
            for hit in screener.screen(party) if hit.score >= min_score]


def new_designations(before: Iterable[Designation], listed: Iterable[str]) -> list[str]:
    """The list numbers of ``listed`` that no designation seen before carried."""
    seen = {d.list_id for d in before if d.list_id}
    return sorted(set(listed) - seen, key=lambda n: (len(n), n))


def hit_row(hit: Hit) -> dict[str, Any]:
    """A hit as the CLI and the API show it."""
    d = hit.designation
    return {"entity_id": hit.party.id, "name": hit.name, "designation": d.party.id,
            "list_id": d.list_id, "listed_name": hit.listed_name,
            "programs": list(d.programs), "score": hit.score, "decision": hit.decision,
            "evidence": list(hit.evidence)}


def parties_of(entities: Sequence[dict[str, Any]]) -> list[Party]:
    """The screenable parties of FollowTheMoney entity dicts (others are skipped)."""
    out = []
    for entity in entities:
        party = party_of(str(entity.get("id", "")), str(entity.get("schema", "")),
                         entity.get("properties") or {})
        if party is not None:
            out.append(party)
    return out
