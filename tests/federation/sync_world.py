"""Shared setup for pull tests: the demo parties plus the agency a TAXII source speaks for."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from tearline.audit.events import FederationRefused
from tearline.demo import load
from tearline.model.parties import Agency
from tearline.store import audit_log, parties
from tearline.store import tables as t
from tearline.store.store import Store

T0 = datetime(2026, 1, 5, tzinfo=UTC)
TREASURY = Agency("us.treasury", "Department of the Treasury (demo)", "us")


def seed_parties(store: Store, *extra: Agency) -> None:
    """The demo's parties, and the agencies a source speaks for."""
    load.seed_parties(store, T0)
    with store.transaction() as conn:
        for agency in (TREASURY, *extra):
            parties.put_agency(conn, agency, T0)


def refusals(store: Store) -> list[FederationRefused]:
    with store.reading() as conn:
        found = [e.event() for e in audit_log.entries(conn, limit=1_000_000)
                 if e.kind == "federation.refused"]
    return [e for e in found if isinstance(e, FederationRefused)]


def stored(store: Store) -> dict[str, Any]:
    """Record ids → originator, statement count per origin, audit record.created count."""
    with store.reading() as conn:
        records = dict(conn.execute(select(t.records.c.id, t.records.c.originator)).all())
        origins = dict(conn.execute(select(t.statements.c.origin, func.count())
                                    .group_by(t.statements.c.origin)).all())
        created = sum(1 for e in audit_log.entries(conn, limit=1_000_000)
                      if e.kind == "record.created")
    return {"records": records, "origins": origins, "created": created}
