"""Party persistence: append-only history of agencies, units, analysts, vettings, agreements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Table, func, select

from tearline.errors import Conflict, NotFound, ValidationError, tr
from tearline.model.parties import Agency, Agreement, Analyst, Unit, Vetting
from tearline.store import audit_events
from tearline.store import tables as t


def _latest(conn: Connection, table: Table, party_id: str) -> dict[str, object] | None:
    row = (
        conn.execute(
            select(table).where(table.c.id == party_id).order_by(table.c.seq.desc()).limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def _versions(conn: Connection, table: Table, party_id: str) -> int:
    """How many versions of a party are recorded (the audit entry's version)."""
    count = select(func.count()).select_from(table).where(table.c.id == party_id)
    return int(conn.execute(count).scalar_one())


def _current(conn: Connection, table: Table) -> list[dict[str, object]]:
    newest = select(func.max(table.c.seq)).group_by(table.c.id)
    rows = conn.execute(select(table).where(table.c.seq.in_(newest)).order_by(table.c.id))
    return [dict(r) for r in rows.mappings()]


def put_agency(conn: Connection, agency: Agency, at: datetime) -> None:
    conn.execute(
        t.agencies.insert().values(
            id=agency.id, name=agency.name, country=agency.country, recorded_at=t.ts(at)
        )
    )
    audit_events.party(conn, "agency", agency.id, _versions(conn, t.agencies, agency.id))


def put_unit(conn: Connection, unit: Unit, at: datetime) -> None:
    if _latest(conn, t.agencies, unit.agency) is None:
        raise ValidationError(tr("unknown agency {agency!r}: add it first", agency=unit.agency))
    conn.execute(
        t.units.insert().values(
            id=unit.id, agency=unit.agency, name=unit.name, recorded_at=t.ts(at)
        )
    )
    audit_events.party(conn, "unit", unit.id, _versions(conn, t.units, unit.id))


def put_analyst(conn: Connection, analyst: Analyst, at: datetime) -> None:
    if _latest(conn, t.units, analyst.unit) is None:
        raise ValidationError(tr("unknown unit {unit!r}: add it first", unit=analyst.unit))
    conn.execute(
        t.analysts.insert().values(
            id=analyst.id, unit=analyst.unit, name=analyst.name, recorded_at=t.ts(at)
        )
    )
    audit_events.party(conn, "analyst", analyst.id, _versions(conn, t.analysts, analyst.id))


def put_agreement(conn: Connection, agreement: Agreement, at: datetime) -> None:
    conn.execute(
        t.agreements.insert().values(
            id=agreement.id,
            title=agreement.title,
            kind=agreement.kind,
            parties=",".join(sorted(agreement.parties)),
            recorded_at=t.ts(at),
            valid_from=t.ts(agreement.valid_from) if agreement.valid_from else None,
            valid_until=t.ts(agreement.valid_until) if agreement.valid_until else None,
        )
    )
    audit_events.agreement(conn, agreement, _versions(conn, t.agreements, agreement.id))


def put_vetting(conn: Connection, vetting: Vetting, at: datetime, by: str) -> None:
    if _latest(conn, t.units, vetting.unit) is None:
        raise ValidationError(tr("unknown unit {unit!r}", unit=vetting.unit))
    if _latest(conn, t.agencies, vetting.by) is None:
        raise ValidationError(tr("unknown agency {by!r}", by=vetting.by))
    if conn.execute(select(t.vettings.c.id).where(t.vettings.c.id == vetting.id)).first():
        raise Conflict(tr("vetting {id} exists; vettings are never overwritten", id=vetting.id))
    conn.execute(
        t.vettings.insert().values(
            id=vetting.id,
            by_agency=vetting.by,
            unit=vetting.unit,
            valid_from=t.ts(vetting.valid_from),
            valid_until=t.ts(vetting.valid_until),
            recorded_at=t.ts(at),
            recorded_by=by,
        )
    )
    valid = (vetting.valid_from, vetting.valid_until)
    audit_events.vetting(conn, vetting.by, vetting.unit, "granted", valid, by)


def revoke_vettings(
    conn: Connection, unit: str, by_agency: str, at: datetime, recorded_by: str
) -> list[str]:
    """Revoke, from ``at`` on, every vetting of ``unit`` by ``by_agency`` not yet revoked."""
    v, r = t.vettings, t.vetting_revocations
    ids = list(
        conn.execute(
            select(v.c.id).where(
                v.c.unit == unit,
                v.c.by_agency == by_agency,
                v.c.valid_until > t.ts(at),
                v.c.id.notin_(select(r.c.vetting_id)),
            )
        ).scalars()
    )
    if not ids:
        raise NotFound(tr(
            "no vetting of {unit} by {by_agency} is in force", unit=unit, by_agency=by_agency))
    conn.execute(
        r.insert(),
        [{"vetting_id": i, "revoked_at": t.ts(at), "recorded_by": recorded_by} for i in ids],
    )
    audit_events.vetting(conn, by_agency, unit, "revoked", None, recorded_by)
    return ids


def agencies(conn: Connection) -> list[Agency]:
    return [
        Agency(str(r["id"]), str(r["name"]), str(r["country"])) for r in _current(conn, t.agencies)
    ]


def units(conn: Connection) -> list[Unit]:
    return [Unit(str(r["id"]), str(r["agency"]), str(r["name"])) for r in _current(conn, t.units)]


def analysts(conn: Connection) -> list[Analyst]:
    return [
        Analyst(str(r["id"]), str(r["unit"]), str(r["name"])) for r in _current(conn, t.analysts)
    ]


def agreements(conn: Connection) -> list[Agreement]:
    return [
        Agreement(
            str(r["id"]),
            str(r["title"]),
            str(r["kind"]),
            frozenset(str(r["parties"]).split(",")) - {""},
            t.from_ts(str(r["valid_from"])) if r["valid_from"] else None,
            t.from_ts(str(r["valid_until"])) if r["valid_until"] else None,
        )
        for r in _current(conn, t.agreements)
    ]


def vettings(conn: Connection) -> list[Vetting]:
    v, r = t.vettings, t.vetting_revocations
    rows = conn.execute(
        select(v, r.c.revoked_at)
        .outerjoin(r, r.c.vetting_id == v.c.id)
        .order_by(v.c.recorded_at, v.c.id)
    ).mappings()
    return [
        Vetting(
            id=row["id"],
            by=row["by_agency"],
            unit=row["unit"],
            valid_from=t.from_ts(row["valid_from"]),
            valid_until=t.from_ts(row["valid_until"]),
            revoked_at=t.from_ts(row["revoked_at"]) if row["revoked_at"] else None,
        )
        for row in rows
    ]
