"""Vetting attestations received from vetting agencies' nodes, and the vettings they record.

The receiver's side of ``federation/vetting.py``: each attestation applied is kept as
received (its signature covers its exact content: evidence of who vouched for what,
and when), and the vettings it lists are recorded in ``vettings`` under ids derived
from the vetter and the vetter's own vetting id (so the same vetting attested again is
recorded once, and no attestation can take the id of a vetting recorded here by hand),
``recorded_by node:<peer>``. A newer attestation that no longer lists a vetting an
earlier one recorded revokes it from the newer attestation's time; an attestation not
newer than the last one applied for its vetter and unit changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Index, String, Table, Text, func, select

from tearline.audit.events import VettingChanged, now
from tearline.store import audit_log
from tearline.store import tables as t
from tearline.store.tables import TS, metadata

vetting_attestations = Table(
    "vetting_attestations",
    metadata,
    Column("digest", String(64), primary_key=True),  # SHA-256 of the document as kept
    Column("vetter", String(128), nullable=False),
    Column("unit", String(128), nullable=False),
    Column("attested_at", TS, nullable=False),
    Column("received_from", String(200), nullable=False),  # node:<peer>
    Column("document", Text, nullable=False),
    Column("received_at", TS, nullable=False),
    Index("ix_vetting_attestations_unit", "vetter", "unit", "attested_at"),
)


@dataclass
class Applied:
    granted: list[str] = field(default_factory=list)  # local vetting ids recorded now
    revoked: list[str] = field(default_factory=list)
    stale: bool = False  # not newer than the last attestation applied: nothing done


def local_id(vetter: str, vetting_id: str) -> str:
    return "att-" + hashlib.sha256(f"{vetter}\n{vetting_id}".encode()).hexdigest()[:40]


def last_attested(conn: Connection, vetter: str, unit: str) -> datetime | None:
    a = vetting_attestations.c
    value = conn.execute(select(func.max(a.attested_at)).where(
        a.vetter == vetter, a.unit == unit)).scalar_one_or_none()
    return t.from_ts(str(value)) if value else None


def apply(conn: Connection, received_from: str, vetter: str, unit: str,
          vettings: Sequence[tuple[str, datetime, datetime]], attested_at: datetime,
          document: dict[str, Any], received_at: datetime) -> Applied:
    """Record what a verified attestation lists (see the module docstring)."""
    last = last_attested(conn, vetter, unit)
    if last is not None and attested_at <= last:
        return Applied(stale=True)
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    conn.execute(vetting_attestations.insert().values(
        digest=hashlib.sha256(text.encode()).hexdigest(), vetter=vetter, unit=unit,
        attested_at=t.ts(attested_at), received_from=received_from, document=text,
        received_at=t.ts(received_at)))
    v, r = t.vettings, t.vetting_revocations
    listed = {local_id(vetter, vid): (start, end) for vid, start, end in vettings}
    held = set(conn.execute(select(v.c.id).where(v.c.id.in_(list(listed)))).scalars())
    done = Applied()
    events: list[VettingChanged] = []
    for vid, (start, end) in sorted(listed.items()):
        if vid in held:
            continue
        conn.execute(v.insert().values(
            id=vid, by_agency=vetter, unit=unit, valid_from=t.ts(start), valid_until=t.ts(end),
            recorded_at=t.ts(received_at), recorded_by=received_from))
        done.granted.append(vid)
        events.append(VettingChanged(
            at=now(), actor=received_from, vetter=vetter, unit=unit, action="granted",
            valid_from=start.date().isoformat(), valid_until=end.date().isoformat()))
    ended = conn.execute(select(v.c.id).where(
        v.c.by_agency == vetter, v.c.unit == unit, v.c.id.like("att-%"),
        v.c.recorded_by.like("node:%"),
        v.c.id.notin_(list(listed) or [""]), v.c.id.notin_(select(r.c.vetting_id)))).scalars()
    for vid in sorted(ended):
        conn.execute(r.insert().values(vetting_id=vid, revoked_at=t.ts(attested_at),
                                       recorded_by=received_from))
        done.revoked.append(vid)
    if done.revoked:
        events.append(VettingChanged(at=now(), actor=received_from, vetter=vetter, unit=unit,
                                     action="revoked", valid_from=None, valid_until=None))
    if events:
        audit_log.append(conn, events)
    return done
