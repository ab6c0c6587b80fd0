"""Who saw this record: the audit log read back through the asking subject's policy.

Each entry is shown to the asker whole, in a reduced form, or not at all, by the rule
of :mod:`tearline.audit.views` (docs/audit.md, "Reading the log"). This module gathers
what that rule needs to know, from the asker's own point of view: whether an entry's
record exists for the asker now (the visibility predicate of every read), its
originating agency, and the statements the asker is shown of it now (the tear line
of :func:`reader.read_records`, so that an id the asker cannot see is never shown).

Filters apply to what the asker is shown: ``actor`` matches the actor as shown (an
analyst of another unit appears as that unit and cannot be found by name).

The asking is itself logged (``audit.queried``) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from tearline.audit.events import AuditQueried, now
from tearline.audit.views import RecordFacts, View, Viewer, unit_of, view, whole
from tearline.policy.subject import Subject
from tearline.store import audit_log, parties, reader
from tearline.store.audit_log import Entry
from tearline.store.visibility import Visibility

PAGE = 1000
#: The actor of the oversight's questions (the node's operator, on the node itself).
OVERSIGHT = "system"


@dataclass(frozen=True, slots=True)
class Shown:
    """An entry as the asker is shown it; ``index`` and ``leaf_hash`` only when whole.

    ``position`` is the entry's place in the log whatever its form: where the next page
    starts (:func:`who_saw`'s ``after``). It is never printed; the API seals it in a
    cursor.
    """

    view: View
    index: int | None
    leaf_hash: str | None
    position: int

    @property
    def whole(self) -> bool:
        return self.view.form == "whole"

    def row(self) -> dict[str, Any]:
        """The entry as the command line and the API print it."""
        v = self.view
        return {"index": self.index, "at": v.at, "kind": v.kind, "actor": v.actor,
                "entity_id": v.entity_id, "form": v.form, "leaf_hash": self.leaf_hash,
                "detail": v.detail}


def _shown(entry: Entry, seen: View) -> Shown:
    if seen.form == "whole":
        return Shown(seen, entry.index, entry.leaf.hex(), entry.index)
    return Shown(seen, None, None, entry.index)


def _stored_actors(conn: Connection, actor: str | None) -> list[str] | None:
    """The stored actors whose entries may show as ``actor`` (a unit also as its analysts)."""
    if actor is None:
        return None
    if actor.startswith("unit:"):
        unit = actor.removeprefix("unit:")
        return [actor, *(f"analyst:{a.id}" for a in parties.analysts(conn) if a.unit == unit)]
    return [actor]


def _facts(conn: Connection, vis: Visibility, page: list[Entry]) -> dict[str, RecordFacts]:
    """Per record of the page that exists for the asker: its originator, what they see of it."""
    ids = sorted({e.entity_id for e in page if e.entity_id is not None})
    return {r.id: RecordFacts(r.originator, frozenset(s.id for s in r.statements))
            for r in reader.read_records(conn, vis, ids)}


def _asked(conn: Connection, who: str, entity_id: str | None, shown: int) -> None:
    audit_log.append(conn, [AuditQueried(at=now(), actor=who, subject=who, entity_id=entity_id,
                                         result_count=shown)])


def who_saw(
    conn: Connection,
    subject: Subject,
    at: datetime,
    entity_id: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    limit: int = 100,
    after: int | None = None,
) -> list[Shown]:
    """Entries as the subject may see them, oldest first, at most ``limit``, from the entry
    after position ``after`` (the last :attr:`Shown.position` of the previous page: many
    entries share one time, so ``since`` alone cannot page); logged as asked."""
    vis = Visibility(subject, at)
    viewer = Viewer(subject.unit, subject.agency)
    actors = _stored_actors(conn, actor)
    shown: list[Shown] = []
    while len(shown) < limit:
        page = audit_log.entries(conn, entity_id, actors, since, after, PAGE)
        if not page:
            break
        after = page[-1].index
        # Only entries the asker may possibly be shown are parsed and looked up: those
        # of its own unit, and those about a record.
        page = [e for e in page if e.entity_id is not None or unit_of(e.actor) == subject.unit]
        facts = _facts(conn, vis, page)
        for e in page:
            seen = view(e.event(), viewer,
                        facts.get(e.entity_id) if e.entity_id is not None else None)
            if seen is None or (actor is not None and seen.actor != actor):
                continue
            shown.append(_shown(e, seen))
            if len(shown) == limit:
                break
    _asked(conn, str(subject), entity_id, len(shown))
    return shown


def oversee(
    conn: Connection,
    entity_id: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    limit: int = 100,
) -> list[Shown]:
    """Every entry whole, for the node's oversight (its operator); logged as asked."""
    found = audit_log.entries(conn, entity_id, [actor] if actor else None, since, None, limit)
    _asked(conn, OVERSIGHT, entity_id, len(found))
    return [_shown(e, whole(e.event())) for e in found]
