"""Leak tracing in the store: the trace secret, copy marks released, canaries, alerts.

Everything here acts for the node itself, outside the policy (like ``holdings.py``):
what it reads is shown to the node's administrators (``tearline trace``, ``GET
/trace/alerts`` with the admin scope), never answered to a unit as it is. Each write
enters the audit log in the caller's transaction (``audit/trace_events.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from tearline.audit.trace_events import TraceAlert, TraceChannel, TraceCopy, TracePlanted
from tearline.errors import StoreError, tr
from tearline.model.marking import Tlp
from tearline.store import audit_log
from tearline.store import tables as t
from tearline.store import trace_tables as tt
from tearline.store.holdings import CHUNK
from tearline.store.tables import ts
from tearline.trace.fingerprint import Fingerprinter
from tearline.trace.honey import Canary, returned


def fingerprinter(conn: Connection) -> Fingerprinter:
    """The node's fingerprinter (its secret read from the one row of 0028)."""
    secret = conn.execute(select(tt.secret.c.secret).where(tt.secret.c.id == 1)).scalar()
    if secret is None:
        raise StoreError(tr("the database has no trace secret: run `tearline init`"))
    return Fingerprinter(bytes(secret))


def record_copy(conn: Connection, recipient: str, channel: TraceChannel, mark: str,
                count: int, actor: str, at: datetime) -> None:
    """A copy marked ``mark`` for ``recipient`` left on ``channel``: indexed and logged."""
    when = ts(at)
    done = conn.execute(update(tt.copies).where(tt.copies.c.mark == mark)
                        .values(last_at=when)).rowcount
    if not done:
        conn.execute(insert(tt.copies).values(mark=mark, recipient=recipient, channel=channel,
                                              first_at=when, last_at=when))
    audit_log.append(conn, [TraceCopy(at=when, actor=actor, recipient=recipient,
                                      channel=channel, mark=mark, record_count=count)])


@dataclass(frozen=True, slots=True)
class Released:
    mark: str
    recipient: str
    channel: str
    first_at: str
    last_at: str


def released(conn: Connection, marks: Sequence[str]) -> list[Released]:
    """The recorded releases of ``marks`` (a mark never released is not listed)."""
    c, wanted, out = tt.copies, list(marks), []
    for i in range(0, len(wanted), CHUNK):
        rows = conn.execute(select(c).where(c.c.mark.in_(wanted[i:i + CHUNK]))).all()
        out += [Released(r.mark, r.recipient, r.channel, r.first_at, r.last_at) for r in rows]
    return out


def recipients(conn: Connection) -> list[str]:
    """Everyone a marked copy was released to, in order."""
    rows = conn.execute(select(tt.copies.c.recipient).distinct()).scalars()
    return sorted(set(rows))


def public_records(conn: Connection, ids: Sequence[str]) -> set[str]:
    """The records of ``ids`` whose marking is TLP:CLEAR: public, never weighed."""
    r, m = t.records, t.markings
    found: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        rows = conn.execute(select(r.c.id).join(m, m.c.id == r.c.marking_id)
                            .where(r.c.id.in_(ids[i:i + CHUNK]), m.c.tlp == Tlp.CLEAR.value))
        found.update(rows.scalars())
    return found


def plant(conn: Connection, canary: Canary, recipient: str, planted_by: str,
          at: datetime) -> None:
    """Remember ``canary`` (already written as a record) as a honeytoken of ``recipient``."""
    when = ts(at)
    conn.execute(insert(tt.honeytokens).values(
        entity_id=canary.entity_id, recipient=recipient, name=canary.name,
        phone=canary.phone, planted_at=when, planted_by=planted_by))
    audit_log.append(conn, [TracePlanted(at=when, actor=planted_by, recipient=recipient,
                                         entity_id=canary.entity_id)])


@dataclass(frozen=True, slots=True)
class Planted:
    canary: Canary
    recipient: str
    planted_by: str
    planted_at: str


def planted(conn: Connection) -> list[Planted]:
    h = tt.honeytokens
    rows = conn.execute(select(h).order_by(h.c.planted_at, h.c.entity_id)).all()
    return [Planted(Canary(r.entity_id, r.name, "", r.phone), r.recipient, r.planted_by,
                    r.planted_at) for r in rows]


def any_planted(conn: Connection) -> bool:
    """Whether any canary is planted: the one read a check costs on a node without."""
    h = tt.honeytokens
    return conn.execute(select(h.c.entity_id).limit(1)).first() is not None


def unit_of(subject: str) -> str | None:
    """The unit a subject acts in (``unit:U``, ``analyst:a@U``); None for others."""
    kind, _, rest = subject.partition(":")
    if kind == "unit":
        return rest
    if kind == "analyst":
        return rest.partition("@")[2]
    return None


@dataclass(frozen=True, slots=True)
class Alert:
    at: str
    entity_id: str
    recipient: str
    returned_by: str
    path: str
    selector: str

    def to_dict(self) -> dict[str, str]:
        return {"at": self.at, "entity_id": self.entity_id, "recipient": self.recipient,
                "returned_by": self.returned_by, "path": self.path, "selector": self.selector}


def _of_agency(unit: str | None, agency: str | None) -> bool:
    return bool(unit and agency and (unit == agency or unit.startswith(agency + ".")))


def check_return(conn: Connection, returned_by: str, path: str, at: datetime,
                 ids: Iterable[str] = (), texts: Iterable[str] = (),
                 agency: str | None = None) -> list[Alert]:
    """Raise an alert for each canary named by ``ids`` (or whose id or selector is in
    ``texts``) brought back by ``returned_by`` through ``path`` — unless by the recipient
    it was given to or the unit that planted it (their own copy, no leak), or, for a
    peer node (``agency`` given), from the recipient's or the planter's agency."""
    tokens = planted(conn)
    if not tokens:  # the common case costs one read of an empty table
        return []
    by_id = {p.canary.entity_id: p for p in tokens}
    items = list(texts)
    hits: dict[str, tuple[Planted, str]] = {}
    for i in ids:
        if i in by_id:
            hits.setdefault(i, (by_id[i], "record"))
    for entity_id, p in by_id.items():
        if any(entity_id in text for text in items):
            hits.setdefault(entity_id, (p, "record"))
    for canary, selector in returned([p.canary for p in tokens], items):
        hits.setdefault(canary.entity_id, (by_id[canary.entity_id], selector))
    own = unit_of(returned_by)
    out: list[Alert] = []
    when = ts(at)
    for entity_id, (p, selector) in sorted(hits.items()):
        theirs = (unit_of(p.recipient), unit_of(p.planted_by))
        if own is not None and own in theirs:
            continue
        if any(_of_agency(u, agency) for u in theirs):
            continue
        alert = Alert(when, entity_id, p.recipient, returned_by, path, selector)
        conn.execute(insert(tt.alerts).values(**alert.to_dict()))
        out.append(alert)
    if out:
        audit_log.append(conn, [TraceAlert(
            at=a.at, actor=a.returned_by, recipient=a.recipient, entity_id=a.entity_id,
            returned_by=a.returned_by, path=a.path, selector=a.selector)  # type: ignore[arg-type]
            for a in out])
    return out


def alerts(conn: Connection, limit: int = 1000) -> list[Alert]:
    """The alerts raised, newest first."""
    a = tt.alerts
    rows = conn.execute(select(a).order_by(a.c.seq.desc()).limit(limit)).all()
    return [Alert(r.at, r.entity_id, r.recipient, r.returned_by, r.path, r.selector)
            for r in rows]


def alert_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(tt.alerts)).scalar_one())


__all__ = ["Alert", "Planted", "Released", "alert_count", "alerts", "check_return",
           "fingerprinter", "plant", "planted", "public_records", "recipients",
           "record_copy", "released", "unit_of"]
