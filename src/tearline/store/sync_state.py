"""What the pull client remembers about each partner it pulls from.

* **cursors** — per partner and collection, the ``X-TAXII-Date-Added-Last`` of the last
  page stored. A cursor is current state, not history: it is replaced, and only in
  the transaction that stores the page it follows, so that the two never disagree.
* **received object versions** — (partner, STIX id, version) of every object taken
  from a page, with what became of it (``stored``, ``refused``, ``echo`` — our own
  record coming back — or ``skipped``). The key makes storage exactly once: a page
  fetched again after a crash finds its objects already received.
* **definitions** — the marking definitions a partner has sent, so that a later page
  may refer to a definition sent on an earlier one.
* **receipts** — the signed receipt for each page received, written in the same
  transaction and marked sent once the partner accepted it; a receipt that could not
  be delivered is sent again by the next sync.
* **sources** — standard TAXII servers (medallion, OpenCTI, MISP) this node pulls
  from without signatures. They are not peers: they never pull from us, have no
  verifier key, and are registered explicitly, with the agency they speak for, so
  that an unsigned answer is never taken from a server registered as a tearline peer.
  Append-only: a change or a removal is a new row; the newest row of a name holds.

The tables are defined in ``store/sync_tables.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, select

from tearline.errors import ValidationError, tr
from tearline.model.record import entity_properties
from tearline.store import tables as t
from tearline.store.bulk import executemany
from tearline.store.sync_tables import (
    sync_cursors,
    sync_definitions,
    sync_receipts,
    sync_received,
    sync_sources,
)

Outcome = Literal["stored", "refused", "echo", "skipped"]


@dataclass(frozen=True, slots=True)
class Source:
    """A standard TAXII server, pulled without signatures, speaking for ``agency``."""

    name: str
    agency: str
    url: str
    username: str | None = None
    password_env: str | None = None  # the environment variable holding the password
    tls_certificate: str | None = None  # PEM, pinned; None: the system trust store


@dataclass(frozen=True, slots=True)
class Received:
    object_id: str
    version: str
    entity_id: str | None
    outcome: Outcome


# -- sources -------------------------------------------------------------------------------


def add_source(conn: Connection, source: Source, at: datetime, by: str) -> None:
    if not source.url.startswith(("https://", "http://")):
        raise ValidationError(tr("source URL {url!r} is not http(s)", url=source.url))
    conn.execute(sync_sources.insert().values(
        name=source.name, agency=source.agency, url=source.url, username=source.username,
        password_env=source.password_env, tls_certificate=source.tls_certificate,
        removed=False, recorded_at=t.ts(at), recorded_by=by))


def remove_source(conn: Connection, name: str, at: datetime, by: str) -> bool:
    found = source_by_name(conn, name)
    if found is None:
        return False
    conn.execute(sync_sources.insert().values(
        name=name, agency=found.agency, url=found.url, removed=True, recorded_at=t.ts(at),
        recorded_by=by))
    return True


def sources(conn: Connection) -> list[Source]:
    latest: dict[str, Any] = {}
    for row in conn.execute(select(sync_sources).order_by(sync_sources.c.seq)):
        latest[row.name] = row
    return [Source(r.name, r.agency, r.url, r.username, r.password_env, r.tls_certificate)
            for r in latest.values() if not r.removed]


def source_by_name(conn: Connection, name: str) -> Source | None:
    return next((s for s in sources(conn) if s.name == name), None)


# -- cursors -------------------------------------------------------------------------------


def cursor(conn: Connection, partner: str, collection_id: str) -> str | None:
    c = sync_cursors.c
    found = conn.execute(select(c.date_added).where(
        c.partner == partner, c.collection_id == collection_id)).scalar()
    return None if found is None else str(found)


def cursors(conn: Connection, partner: str | None = None) -> list[dict[str, str]]:
    query = select(sync_cursors)
    if partner is not None:
        query = query.where(sync_cursors.c.partner == partner)
    return [dict(row._mapping) for row in conn.execute(query.order_by(
        sync_cursors.c.partner, sync_cursors.c.collection_id))]


def set_cursor(conn: Connection, partner: str, collection_id: str, api_root: str,
               date_added: str, at: datetime) -> None:
    """Move the cursor forward (never back: an older value leaves it as it is)."""
    current = cursor(conn, partner, collection_id)
    if current is None:
        conn.execute(sync_cursors.insert().values(
            partner=partner, collection_id=collection_id, api_root=api_root,
            date_added=date_added, updated_at=t.ts(at)))
    elif date_added > current:
        conn.execute(sync_cursors.update().where(
            sync_cursors.c.partner == partner, sync_cursors.c.collection_id == collection_id,
        ).values(date_added=date_added, api_root=api_root, updated_at=t.ts(at)))


# -- received object versions --------------------------------------------------------------


def already_received(conn: Connection, partner: str,
                     keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (object id, version) were taken from ``partner`` before."""
    c = sync_received.c
    found: set[tuple[str, str]] = set()
    ids = sorted({k[0] for k in keys})
    for i in range(0, len(ids), 500):
        rows = conn.execute(select(c.object_id, c.version).where(
            c.partner == partner, c.object_id.in_(ids[i:i + 500])))
        found.update((r.object_id, r.version) for r in rows)
    return found & set(keys)


def mark_received(conn: Connection, partner: str, collection_id: str,
                  items: Iterable[Received], at: datetime) -> None:
    stamp = t.ts(at)
    rows = [{"partner": partner, "object_id": r.object_id, "version": r.version,
             "collection_id": collection_id, "entity_id": r.entity_id, "outcome": r.outcome,
             "received_at": stamp} for r in items]
    executemany(conn, sync_received, rows, ["partner", "object_id", "version"])


def received(conn: Connection, partner: str) -> list[Received]:
    c = sync_received.c
    rows = conn.execute(select(c.object_id, c.version, c.entity_id, c.outcome)
                        .where(c.partner == partner).order_by(c.object_id, c.version))
    return [Received(r.object_id, r.version, r.entity_id, r.outcome) for r in rows]


# -- definitions ---------------------------------------------------------------------------


def definitions(conn: Connection, partner: str) -> list[dict[str, Any]]:
    c = sync_definitions.c
    rows = conn.execute(select(c.body).where(c.partner == partner).order_by(c.object_id))
    return [json.loads(body) for body in rows.scalars()]


def keep_definitions(conn: Connection, partner: str, objects: Iterable[dict[str, Any]]) -> None:
    rows = [{"partner": partner, "object_id": o["id"],
             "body": json.dumps(o, sort_keys=True, ensure_ascii=False)} for o in objects]
    executemany(conn, sync_definitions, rows, ["partner", "object_id"])


# -- receipts ------------------------------------------------------------------------------


def add_receipt(conn: Connection, receipt_id: str, partner: str, url: str,
                body: dict[str, Any], at: datetime) -> None:
    conn.execute(sync_receipts.insert().values(
        id=receipt_id, partner=partner, url=url,
        body=json.dumps(body, sort_keys=True, ensure_ascii=False), created_at=t.ts(at)))


def pending_receipts(conn: Connection, partner: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, url, signed body) of receipts not yet accepted by ``partner``, oldest first."""
    c = sync_receipts.c
    rows = conn.execute(select(c.id, c.url, c.body).where(
        c.partner == partner, c.sent_at.is_(None)).order_by(c.created_at, c.id))
    return [(r.id, r.url, json.loads(r.body)) for r in rows]


def receipt_sent(conn: Connection, receipt_id: str, at: datetime) -> None:
    conn.execute(sync_receipts.update().where(sync_receipts.c.id == receipt_id)
                 .values(sent_at=t.ts(at)))


# -- recalls -------------------------------------------------------------------------------


def delivered_by(conn: Connection, partner: str, entity_id: str) -> bool:
    """Whether ``partner`` delivered a version of ``entity_id`` that we stored."""
    c = sync_received.c
    return conn.execute(select(c.object_id).where(
        c.partner == partner, c.entity_id == entity_id, c.outcome == "stored").limit(1)
    ).first() is not None


def purge_delivered(conn: Connection, partner: str, entity_id: str,
                    own_agency: str | None) -> list[str]:
    """Delete the statements of a record ``partner`` delivered (never our own agency's),
    its search tokens, the record row once it has no statement left, and the received
    versions (so that a later release of the record is taken again). Returns the ids of
    the statements deleted, sorted."""
    s, tk = t.statements, t.tokens
    query = select(s.c.id).where(s.c.entity_id == entity_id)
    if own_agency is not None:
        query = query.where(s.c.origin != own_agency)
    ids = sorted(set(conn.execute(query).scalars()) | set(
        _references(conn, partner, entity_id, own_agency)))
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        conn.execute(tk.delete().where(tk.c.statement_id.in_(chunk)))
        conn.execute(s.delete().where(s.c.id.in_(chunk)))
    left = conn.execute(select(s.c.id).where(s.c.entity_id == entity_id).limit(1)).first()
    if left is None:
        conn.execute(t.records.delete().where(t.records.c.id == entity_id))
    forget_received(conn, partner, entity_id)
    return ids


def forget_received(conn: Connection, partner: str, entity_id: str) -> None:
    """Forget the versions of ``entity_id`` that ``partner`` delivered, whatever became of
    them (stored, refused, echoed): after a recall, a later release is received anew."""
    conn.execute(sync_received.delete().where(sync_received.c.partner == partner,
                                              sync_received.c.entity_id == entity_id))


def _references(conn: Connection, partner: str, entity_id: str,
                own_agency: str | None) -> list[str]:
    """Statements in other records ``partner`` delivered that point at ``entity_id`` (a
    phone's ``user``, a seizure's ``suspect``): they derive from the recalled record."""
    s, r = t.statements, sync_received
    query = select(s.c.id, s.c.schema, s.c.prop, s.c.entity_id).where(s.c.value == entity_id)
    if own_agency is not None:
        query = query.where(s.c.origin != own_agency)
    rows = conn.execute(query).all()
    if not rows:
        return []
    delivered = set(conn.execute(select(r.c.entity_id).where(
        r.c.partner == partner, r.c.outcome == "stored",
        r.c.entity_id.in_(sorted({row.entity_id for row in rows})))).scalars())
    return [row.id for row in rows
            if row.entity_id in delivered and row.prop in entity_properties(row.schema)]


def has_receipt(conn: Connection, receipt_id: str) -> bool:
    return conn.execute(select(sync_receipts.c.id).where(
        sync_receipts.c.id == receipt_id)).first() is not None
