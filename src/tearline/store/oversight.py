"""Oversight drafts from the stored log: exchanges, contacts, officers' texts, reports.

The node's oversight reads the whole log (it is not a policy subject: the drafts are
its own agency's duty, and they hold metadata only). This module gathers what the pure
core (:mod:`tearline.oversight`) needs — the entries of a range, the parties, the record
kinds — and keeps what people add: contacts recorded by hand, the free text an officer
writes into a draft, who is designated to sign, and the signed reports.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, func, select

from tearline.audit.events import now
from tearline.audit.oversight_events import ContactLogged, OversightSigned
from tearline.errors import Conflict, NotFound, PolicyDenied, ValidationError, tr
from tearline.oversight.contacts import Contact, details_digest
from tearline.oversight.directory import Directory
from tearline.oversight.drafts import FREE_TEXT, check_text
from tearline.oversight.exchanges import Exchange, LogEntry, exchanges
from tearline.store import audit_log, parties, peers
from tearline.store import oversight_tables as ot
from tearline.store import tables as t
from tearline.store.tables import ts

_PAGE = 5000


def agency(conn: Connection, agency_id: str) -> str:
    """The jurisdiction (country) of an agency of this node; :class:`NotFound` if none."""
    found = {a.id: a.country for a in parties.agencies(conn)}.get(agency_id)
    if found is None:
        raise NotFound(tr(
            "no agency {agency_id!r}; see `tearline party list`", agency_id=agency_id))
    return found


def log_entries(conn: Connection, first: int, size: int) -> list[LogEntry]:
    """Entries ``first`` ≤ i < ``size`` as the core reads them."""
    out: list[LogEntry] = []
    after = first - 1 if first > 0 else None
    while True:
        page = audit_log.entries(conn, after=after, limit=_PAGE)
        page = [e for e in page if e.index < size]
        out += [LogEntry(e.index, e.leaf.hex(), e.event()) for e in page]
        if len(page) < _PAGE:
            return out
        after = page[-1].index


def directory(conn: Connection, entries: list[LogEntry],
              node_agency: str | None = None) -> Directory:
    ids = sorted({e.event.entity_id for e in entries  # type: ignore[attr-defined]
                  if isinstance(getattr(e.event, "entity_id", None), str)})
    schemas: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        rows = conn.execute(select(t.records.c.id, t.records.c.schema)
                            .where(t.records.c.id.in_(ids[i:i + 500])))
        schemas.update({str(r[0]): str(r[1]) for r in rows})
    pairs: dict[frozenset[str], list[tuple[str, str | None, str | None]]] = {}
    for a in parties.agreements(conn):
        span = (a.id, ts(a.valid_from) if a.valid_from else None,
                ts(a.valid_until) if a.valid_until else None)
        for x in a.parties:
            for y in a.parties:
                if x < y:
                    pairs.setdefault(frozenset((x, y)), []).append(span)
    return Directory(
        countries={a.id: a.country for a in parties.agencies(conn)},
        units={u.id: u.agency for u in parties.units(conn)},
        nodes={p.name: p.agency for p in peers.peers(conn, include_removed=True)},
        schemas=schemas,
        agreements={k: tuple(v) for k, v in pairs.items()},
        node_agency=node_agency,
    )


def exchanges_in(conn: Connection, agency_id: str, first: int, size: int,
                 node_agency: str | None = None) -> list[Exchange]:
    """The exchanges of ``agency_id`` with foreign agencies in entries ``first``..``size``
    (``node_agency``: whose node this is, :class:`Directory`)."""
    entries = log_entries(conn, first, size)
    return exchanges(entries, agency_id, directory(conn, entries, node_agency))


# -- contacts ---------------------------------------------------------------------------

def log_contact(conn: Connection, contact: Contact, agency_id: str, by: str) -> str:
    """Keep a contact's details and log it; returns its id."""
    units = {u.id: u.agency for u in parties.units(conn)}
    if units.get(contact.unit) != agency_id:
        raise ValidationError(tr(
            "unit {unit!r} is not of agency {agency_id}", unit=contact.unit, agency_id=agency_id))
    analysts = {a.id for a in parties.analysts(conn)}
    for official in contact.officials:
        if official not in analysts:
            raise NotFound(tr("no analyst {official!r}", official=official))
    if contact.foreign_agency not in {a.id for a in parties.agencies(conn)}:
        raise NotFound(tr("no agency {foreign_agency!r}", foreign_agency=contact.foreign_agency))
    contact_id = "ct-" + secrets.token_hex(8)
    details = contact.details()
    conn.execute(ot.contacts.insert().values(
        contact_id=contact_id, agency=agency_id,
        details=json.dumps(details, ensure_ascii=False, sort_keys=True),
        logged_at=now(), logged_by=by))
    audit_log.append(conn, [ContactLogged(
        at=now(), actor=by, contact_id=contact_id, unit=f"unit:{contact.unit}",
        officials=tuple(f"analyst:{o}" for o in contact.officials),
        foreign_agency=contact.foreign_agency, foreign_unit=contact.foreign_unit,
        met_at=ts(contact.met_at), mode=contact.mode,  # type: ignore[arg-type]
        details_digest=details_digest(details))])
    return contact_id


def contact_details(conn: Connection, contact_id: str) -> dict[str, str]:
    row = conn.execute(select(ot.contacts.c.details)
                       .where(ot.contacts.c.contact_id == contact_id)).scalar_one_or_none()
    if row is None:
        raise NotFound(tr("no contact {contact_id!r}", contact_id=contact_id))
    details: dict[str, str] = json.loads(row)
    return details


# -- the officer's texts ----------------------------------------------------------------

def write_text(conn: Connection, agency_id: str, exchange_id: str, name: str, text: str,
               by: str) -> None:
    conn.execute(ot.texts.insert().values(
        agency=agency_id, exchange_id=exchange_id, field=name, text=check_text(name, text),
        edited_at=now(), edited_by=by))


def texts(conn: Connection, agency_id: str) -> dict[str, dict[str, str]]:
    """Per exchange id, the latest text of each field an officer wrote."""
    c = ot.texts.c
    out: dict[str, dict[str, str]] = {}
    for row in conn.execute(select(c.exchange_id, c.field, c.text)
                            .where(c.agency == agency_id).order_by(c.seq)):
        out.setdefault(str(row[0]), {})[str(row[1])] = str(row[2])
    return out


def draft_texts(conn: Connection, agency_id: str, exchange: Exchange,
                written: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """A draft's free text: a contact's own details, then what the officer wrote."""
    out: dict[str, str] = {}
    if exchange.nature == "contact":
        event = audit_log.entry(conn, exchange.entries[0][0]).event()
        if isinstance(event, ContactLogged):
            out.update(contact_details(conn, event.contact_id))
    out.update(written.get(exchange.id, {}))
    return {k: v for k, v in out.items() if k in FREE_TEXT}


# -- officers and reports ---------------------------------------------------------------

def designate(conn: Connection, agency_id: str, analyst: str, by: str,
              action: str = "designated") -> None:
    found = {a.id: a.unit for a in parties.analysts(conn)}.get(analyst)
    units = {u.id: u.agency for u in parties.units(conn)}
    if found is None or units.get(found) != agency_id:
        raise NotFound(tr(
            "no analyst {analyst!r} of agency {agency_id}", analyst=analyst, agency_id=agency_id))
    conn.execute(ot.officers.insert().values(agency=agency_id, analyst=analyst,
                                             action=action, at=now(), by=by))


def is_officer(conn: Connection, agency_id: str, analyst: str) -> bool:
    c = ot.officers.c
    last = conn.execute(select(c.action).where(c.agency == agency_id, c.analyst == analyst)
                        .order_by(c.seq.desc()).limit(1)).scalar_one_or_none()
    return last == "designated"


def covered_to(conn: Connection, agency_id: str) -> int:
    """Where the agency's signed reports end: the next report starts there."""
    c = ot.reports.c
    return int(conn.execute(select(func.coalesce(func.max(c.size), 0))
                            .where(c.agency == agency_id)).scalar_one())


def keep_report(conn: Connection, document: dict[str, Any], digest: str) -> None:
    """Store a signed report and log its signing; refuses an officer not designated."""
    officer = str(document["signed"]["officer"])
    agency_id, first, size = document["agency"], document["log"]["first"], document["log"]["size"]
    if not is_officer(conn, agency_id, officer):
        raise PolicyDenied(tr(
            "{officer} is not a designated oversight officer of {agency_id} (`tearline oversight "
            "designate`)", officer=officer, agency_id=agency_id))
    if first != covered_to(conn, agency_id):
        raise Conflict(tr(
            "the reports of {agency_id} end at entry {covered_to}; a new report starts there, "
            "not at {first}",
            agency_id=agency_id, covered_to=covered_to(conn, agency_id), first=first))
    conn.execute(ot.reports.insert().values(
        report_id=document["id"], agency=agency_id, first=first, size=size, officer=officer,
        signed_at=document["signed"]["at"], digest=digest,
        body=json.dumps(document, ensure_ascii=False, sort_keys=True)))
    audit_log.append(conn, [OversightSigned(
        at=now(), actor=f"analyst:{officer}", report_id=document["id"], agency=agency_id,
        officer=f"analyst:{officer}", first=first, size=size,
        exchange_count=len(document["exchanges"]), report_digest=digest)])


def signed_digest(conn: Connection, report_id: str, size: int) -> str | None:
    """The digest the log's ``oversight.signed`` entry gives the report (it follows the
    range the report covers), if the log has one."""
    after = size - 1
    while True:
        page = audit_log.entries(conn, after=after, limit=_PAGE)
        for e in page:
            if e.kind == "oversight.signed":
                event = e.event()
                if isinstance(event, OversightSigned) and event.report_id == report_id:
                    return event.report_digest
        if len(page) < _PAGE:
            return None
        after = page[-1].index
