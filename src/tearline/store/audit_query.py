"""Who saw this record: the audit log read back through the asking subject's policy.

The rule (docs/audit.md, "Reading the log"):

* an entry about a record is shown only if that record exists for the subject now
  (the same visibility predicate as every read), and then
  - to units of the record's originating agency: every entry about it (the
    originator may know everyone who saw its data);
  - to anyone else: only the entries whose actor belongs to the subject's own agency;
* an entry about no record (a search, a figure, a party change) is shown only to
  units of the actor's own agency.

The asking is itself logged (``audit.queried``) in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from tearline.audit.events import AuditQueried
from tearline.policy.subject import Subject
from tearline.store import audit_log, parties, reader
from tearline.store import tables as t
from tearline.store.audit_events import now
from tearline.store.audit_log import Entry
from tearline.store.visibility import Visibility

PAGE = 1000


def agency_of(actor: str, unit_agency: dict[str, str]) -> str | None:
    """The agency of an audit actor (``unit:U``, ``analyst:x@U``, ``agency:G``)."""
    kind, _, rest = actor.partition(":")
    if kind == "agency":
        return rest
    if kind == "unit":
        return unit_agency.get(rest)
    if kind == "analyst":
        return unit_agency.get(rest.partition("@")[2])
    return None


def who_saw(
    conn: Connection,
    subject: Subject,
    at: datetime,
    entity_id: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    limit: int = 100,
) -> list[Entry]:
    """Entries the subject may see, oldest first, at most ``limit``; logged as asked."""
    unit_agency = {u.id: u.agency for u in parties.units(conn)}
    vis = Visibility(subject, at)
    shown: list[Entry] = []
    after: int | None = None
    while len(shown) < limit:
        page = audit_log.entries(conn, entity_id, [actor] if actor else None, since, after, PAGE)
        if not page:
            break
        after = page[-1].index
        ids = {e.entity_id for e in page if e.entity_id is not None}
        present = reader.visible_entities(conn, vis, ids) if ids else set()
        originators: dict[str, str] = {}
        if present:
            query = select(t.records.c.id, t.records.c.originator).where(
                t.records.c.id.in_(sorted(present))
            )
            originators = {row[0]: row[1] for row in conn.execute(query)}
        for e in page:
            own = agency_of(e.actor, unit_agency) == subject.agency
            if e.entity_id is None:
                allowed = own
            else:
                allowed = e.entity_id in present and (
                    originators.get(e.entity_id) == subject.agency or own
                )
            if allowed:
                shown.append(e)
                if len(shown) == limit:
                    break
    who = str(subject)
    audit_log.append(
        conn,
        [AuditQueried(at=now(), actor=who, subject=who, entity_id=entity_id,
                      result_count=len(shown))],
    )
    return shown
