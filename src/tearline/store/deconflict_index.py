"""The deconfliction index in the store: signed documents kept as received, and rows.

Each document (registration, withdrawal, notice) is stored once, by id, exactly as its
node signed it (``deconflict_documents``), and applied to the rows that queries read.
Storing is idempotent: a document pulled twice, or pulled back from the node that
made it, changes nothing. A lookup returns the registrations of the given tokens that
are in force at the given time: not withdrawn, not expired.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select

from tearline.deconflict import documents as docs
from tearline.errors import NotFound, ValidationError, tr
from tearline.store import deconflict_tables as dt
from tearline.store import tables as t
from tearline.store.engine import driver_cursor, marker
from tearline.store.tables import ts

#: Index documents served per page to a pulling peer, and about the most bytes of
#: them (a batch of registrations is a large document: a page holds a few).
PAGE = 1000
PAGE_BYTES = 4_000_000
#: The columns of a registration row, in the order a batch's rows are written.
_REGISTRATION_ORDER = ("id", "token", "kind", "agency", "unit", "contact", "since",
                       "expires_at", "origin", "doc_seq")
#: A lookup of tokens in the index (:func:`in_force`): the registration's fields in
#: :class:`~tearline.deconflict.documents.Registration`'s order.
_IN_FORCE = (
    f"SELECT r.id, r.token, r.kind, r.agency, r.unit, r.contact, r.since, r.expires_at,"
    f" r.origin FROM {dt.registrations.name} r LEFT JOIN {dt.withdrawals.name} w"
    f" ON w.registration_id = r.id WHERE r.token IN ({{marks}})"
    f" AND w.registration_id IS NULL AND r.expires_at > {{at}} ORDER BY r.id")
#: The same for a notice row (a check with thousands of hits stores a row per hit).
_NOTICE_ORDER = ("id", "registration_id", "checker_unit", "checker_agency", "agreement_id",
                 "at", "doc_seq")


@dataclass(frozen=True, slots=True)
class Stored:
    """A registration row, with its withdrawal time if withdrawn."""

    registration: docs.Registration
    withdrawn_at: str | None


def store_document(conn: Connection, document: docs.Document, signed: dict[str, Any],
                   origin: str, at: datetime) -> bool:
    """Keep ``signed`` (the document with its signature) and apply it; False if known."""
    return bool(store_documents(conn, [(document, signed)], origin, at))


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def store_documents(conn: Connection, items: Sequence[tuple[docs.Document, dict[str, Any]]],
                    origin: str, at: datetime) -> list[docs.Document]:
    """Keep and apply many documents at once (a registration batch, a pulled page); those
    already known are left as they are. Returns the documents that were new."""
    d = dt.documents.c
    known = document_origins(conn, [doc.id for doc, _ in items])
    fresh: dict[str, tuple[docs.Document, dict[str, Any]]] = {}
    for doc, signed in items:
        if doc.id not in known and doc.id not in fresh:
            fresh[doc.id] = (doc, signed)
    if not fresh:
        return []
    conn.execute(insert(dt.documents), [
        {"doc_id": doc.id, "doc_type": docs.TYPES[signed["type"]], "origin": origin,
         "addressed_to": (doc.holder_agency if isinstance(doc, docs.Notice | docs.NoticeBatch)
                          else None),
         "received_at": ts(at),
         "body": json.dumps(signed, ensure_ascii=False, sort_keys=True, separators=(",", ":"))}
        for doc, signed in fresh.values()])
    seq: dict[str, int] = {}
    for part in _chunks(list(fresh)):
        seq.update((r.doc_id, int(r.seq)) for r in conn.execute(
            select(d.doc_id, d.seq).where(d.doc_id.in_(part))))
    rows: dict[Any, list[dict[str, Any]]] = {dt.registrations: [], dt.withdrawals: []}
    made_rows: list[tuple[Any, ...]] = []
    notice_rows: list[tuple[Any, ...]] = []
    for doc, _ in fresh.values():
        if isinstance(doc, docs.Batch):  # thousands of rows: as tuples, to the driver
            made_rows.extend((i, token, kind, doc.agency, doc.unit, doc.contact, doc.since,
                              doc.expires, doc.node, seq[doc.id])
                             for i, token, kind in doc.entries)
        elif isinstance(doc, docs.Registration):
            rows[dt.registrations].append({
                "id": doc.id, "token": doc.token, "kind": doc.kind, "agency": doc.agency,
                "unit": doc.unit, "contact": doc.contact, "since": doc.since,
                "expires_at": doc.expires, "origin": doc.node, "doc_seq": seq[doc.id]})
        elif isinstance(doc, docs.Withdrawal):
            rows[dt.withdrawals].append({"registration_id": doc.registration_id,
                                         "withdrawn_at": doc.withdrawn_at,
                                         "doc_seq": seq[doc.id]})
        elif isinstance(doc, docs.Notice):
            notice_rows.append((doc.id, doc.registration_id, doc.checker_unit,
                                doc.checker_agency, doc.agreement_id, doc.at, seq[doc.id]))
        else:  # a batch's notices: as tuples, to the driver
            notice_rows.extend((i, registration, doc.checker_unit, doc.checker_agency,
                                doc.agreement_id, doc.at, seq[doc.id])
                               for i, registration in doc.entries)
    for table, values in rows.items():
        if values:
            conn.execute(insert(table), values)
    for name, order, tuples in ((dt.registrations.name, _REGISTRATION_ORDER, made_rows),
                                (dt.notices.name, _NOTICE_ORDER, notice_rows)):
        if tuples:
            _insert_tuples(conn, name, order, tuples)
    return [doc for doc, _ in fresh.values()]


def _insert_tuples(conn: Connection, table: str, order: Sequence[str],
                   values: Sequence[tuple[Any, ...]]) -> None:
    """Rows of ``table`` as tuples in ``order`` of columns, written by the driver (no
    SQLAlchemy parameter processing: for thousands of rows it cost more than the rows)."""
    with driver_cursor(conn) as cursor:
        cursor.executemany(f"INSERT INTO {table} ({', '.join(order)})"
                           f" VALUES ({', '.join([marker(conn)] * len(order))})", values)


def document_origins(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """The node each of ``ids`` was stored from, for those already stored."""
    d = dt.documents.c
    out: dict[str, str] = {}
    for part in _chunks(ids):
        out.update((r.doc_id, r.origin) for r in conn.execute(
            select(d.doc_id, d.origin).where(d.doc_id.in_(part))))
    return out


def registrations_known(conn: Connection, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` name registrations already stored (by any document)."""
    r = dt.registrations.c
    known: set[str] = set()
    for part in _chunks(ids):
        known |= set(conn.execute(select(r.id).where(r.id.in_(part))).scalars())
    return known


def _registration(row: Any) -> docs.Registration:
    return docs.Registration(id=row.id, token=row.token, kind=row.kind, agency=row.agency,
                             unit=row.unit, contact=row.contact, since=row.since,
                             expires=row.expires_at, node=row.origin)


def registration(conn: Connection, registration_id: str) -> Stored:
    row = conn.execute(
        select(dt.registrations, dt.withdrawals.c.withdrawn_at)
        .outerjoin(dt.withdrawals,
                   dt.withdrawals.c.registration_id == dt.registrations.c.id)
        .where(dt.registrations.c.id == registration_id)).first()
    if row is None:
        raise NotFound(tr("no registration {registration_id}", registration_id=registration_id))
    return Stored(_registration(row), row.withdrawn_at)


def registrations(conn: Connection, ids: Sequence[str]) -> dict[str, docs.Registration]:
    """The stored registrations of ``ids`` (withdrawn or not), by id; unknown ids absent."""
    r = dt.registrations.c
    out: dict[str, docs.Registration] = {}
    for part in _chunks(ids):
        out.update((row.id, _registration(row))
                   for row in conn.execute(select(dt.registrations).where(r.id.in_(part))))
    return out


def in_force(conn: Connection, tokens: Iterable[str], at: datetime
             ) -> dict[str, list[docs.Registration]]:
    """The registrations in force at ``at`` of each token that has any, each token's in
    the order of their ids.

    Asked of the driver directly, as tuples: a check of 1,000 selectors looks up 1,000
    tokens and reads back a row per hit, and SQLAlchemy's statement and row handling
    cost more than the index lookups themselves."""
    wanted = sorted(set(tokens))
    out: dict[str, list[docs.Registration]] = {}
    mark = marker(conn)
    with driver_cursor(conn) as cursor:
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            cursor.execute(_IN_FORCE.format(marks=", ".join([mark] * len(part)), at=mark),
                           (*part, ts(at)))
            for row in cursor.fetchall():
                out.setdefault(row[1], []).append(docs.Registration(*row))
    return out


def agreements_version(conn: Connection) -> tuple[int, int]:
    """How many agreement rows are recorded, and the newest one's seq: the table is
    append-only (a changed agreement is a new row), so this changes whenever any
    agreement is recorded — the key under which a process may keep the agreements."""
    count, newest = conn.execute(select(func.count(), func.max(t.agreements.c.seq))).one()
    return int(count), int(newest or 0)


def of_unit(conn: Connection, unit: str) -> list[Stored]:
    rows = conn.execute(
        select(dt.registrations, dt.withdrawals.c.withdrawn_at)
        .outerjoin(dt.withdrawals,
                   dt.withdrawals.c.registration_id == dt.registrations.c.id)
        .where(dt.registrations.c.unit == unit).order_by(dt.registrations.c.since,
                                                         dt.registrations.c.id))
    return [Stored(_registration(r), r.withdrawn_at) for r in rows]


def notices_for_unit(conn: Connection, unit: str) -> list[docs.Notice]:
    """The hits on ``unit``'s registrations that this node was told of."""
    rows = conn.execute(
        select(dt.notices, dt.registrations.c.agency.label("holder_agency"),
               dt.registrations.c.origin.label("holder_node"))
        .join(dt.registrations, dt.registrations.c.id == dt.notices.c.registration_id)
        .where(dt.registrations.c.unit == unit).order_by(dt.notices.c.at, dt.notices.c.id))
    return [docs.Notice(id=r.id, registration_id=r.registration_id,
                        holder_agency=r.holder_agency, checker_agency=r.checker_agency,
                        checker_unit=r.checker_unit, agreement_id=r.agreement_id, at=r.at,
                        node=r.holder_node) for r in rows]


@dataclass(frozen=True, slots=True)
class FeedPage:
    documents: list[dict[str, Any]]
    last: str | None  # the id of the page's last document: where the next page starts
    more: bool


def feed(conn: Connection, origin: str, after: str | None, for_agency: str,
         limit: int = PAGE) -> FeedPage:
    """This node's own documents after the document ``after`` for a peer of
    ``for_agency``: registrations and withdrawals, and the notices addressed to that
    agency. Documents addressed to others are not skipped but never selected, so the
    pages, their ends and ``more`` are the same whether or not there are any.

    Only documents of ``origin`` (this node): each node serves what it signed, and
    every node pulls from every peer, so nothing is relayed and no node can pass off
    another's documents as its own."""
    d = dt.documents.c
    where = and_(d.origin == origin, or_(d.addressed_to.is_(None), d.addressed_to == for_agency))
    if after is not None:
        start = conn.execute(select(d.seq).where(and_(where, d.doc_id == after)))
        seq = start.scalar_one_or_none()
        if seq is None:
            raise ValidationError(tr("the index cursor names no document of this feed"))
        where = and_(where, d.seq > seq)
    rows = conn.execute(select(d.doc_id, d.body).where(where).order_by(d.seq)
                        .limit(limit + 1))
    page: list[Any] = []
    size = 0
    more = False
    for row in rows:  # at most ``limit`` documents and about PAGE_BYTES, at least one
        if len(page) == limit or (page and size + len(row.body) > PAGE_BYTES):
            more = True
            break
        page.append(row)
        size += len(row.body)
    rows.close()
    return FeedPage(documents=[json.loads(r.body) for r in page],
                    last=page[-1].doc_id if page else after, more=more)


def cursor(conn: Connection, peer: str) -> str | None:
    """The opaque cursor ``peer`` gave with the last page pulled from it."""
    found = conn.execute(select(dt.cursors.c.position).where(dt.cursors.c.peer == peer))
    value = found.scalar_one_or_none()
    return None if value is None else str(value)


def set_cursor(conn: Connection, peer: str, position: str) -> None:
    if conn.execute(select(dt.cursors.c.peer).where(dt.cursors.c.peer == peer)).first():
        conn.execute(dt.cursors.update().where(dt.cursors.c.peer == peer)
                     .values(position=position))
    else:
        conn.execute(insert(dt.cursors).values(peer=peer, position=position))


def tokens_of(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    rows = conn.execute(select(dt.registrations.c.id, dt.registrations.c.token)
                        .where(dt.registrations.c.id.in_(list(ids))))
    return {r.id: r.token for r in rows}
