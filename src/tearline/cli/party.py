"""``tearline party …``: agencies, units, analysts and agreements (append-only history)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from tearline.cli.common import STATE, Format, FormatOption, app, console, emit
from tearline.cli.language import _
from tearline.errors import Conflict, tr
from tearline.model.marking import parse_timestamp
from tearline.model.parties import Agency, Agreement, Analyst, Unit
from tearline.store import parties

party_app = typer.Typer(help="Agencies, units, analysts and agreements (append-only history).",
                        no_args_is_help=True)
app.add_typer(party_app, name="party")


UpdateOption = Annotated[bool, typer.Option(
    "--update", help="Record a new version of one that exists (a party's history is kept).")]


@party_app.command("add-agency")
def add_agency(agency_id: str, name: Annotated[str, typer.Option(help="Full name.")],
               country: Annotated[str, typer.Option(help="ISO 3166 alpha-2 code.")],
               update: UpdateOption = False) -> None:
    """Add an agency; --update records a new version of an existing one."""
    agency = Agency(agency_id, name, country.lower())
    with STATE.store().transaction() as conn:
        known = {a.id: a for a in parties.agencies(conn)}
        if _admit("agency", agency, known.get(agency.id), update):
            parties.put_agency(conn, agency, datetime.now(UTC))


@party_app.command("add-unit")
def add_unit(unit_id: str, agency: Annotated[str, typer.Option(help="Agency id.")],
             name: Annotated[str, typer.Option(help="Unit name.")],
             update: UpdateOption = False) -> None:
    """Add a unit of an agency; --update records a new version of an existing one."""
    unit = Unit(unit_id, agency, name)
    with STATE.store().transaction() as conn:
        known = {u.id: u for u in parties.units(conn)}
        if _admit("unit", unit, known.get(unit.id), update):
            parties.put_unit(conn, unit, datetime.now(UTC))


@party_app.command("add-analyst")
def add_analyst(analyst_id: str, unit: Annotated[str, typer.Option(help="Unit id.")],
                name: Annotated[str, typer.Option(help="Full name.")],
                update: UpdateOption = False) -> None:
    """Add an analyst (``name@unit.id``); --update records a new version."""
    analyst = Analyst(analyst_id, unit, name)
    with STATE.store().transaction() as conn:
        known = {a.id: a for a in parties.analysts(conn)}
        if _admit("analyst", analyst, known.get(analyst.id), update):
            parties.put_analyst(conn, analyst, datetime.now(UTC))


def _admit(kind: str, new: Agency | Unit | Analyst, old: Agency | Unit | Analyst | None,
           update: bool) -> bool:
    """Whether to record ``new``, saying what happens. A different party under a known
    id is refused unless ``update``: a typo must not silently rename an agency (every
    marking, release and audit entry names parties by id)."""
    what = {"agency": _("agency"), "unit": _("unit"), "analyst": _("analyst")}.get(kind, kind)
    if old is None:
        console.print(_("{kind} {id} added: {new}").format(
            kind=what, id=new.id, new=_describe(new)), highlight=False)
        return True
    if old == new:
        console.print(_("{kind} {id} exists as given ({old}): nothing changed").format(
            kind=what, id=new.id, old=_describe(old)), highlight=False)
        return False
    if not update:
        raise Conflict(tr("{kind} {id} exists as {old}: nothing was recorded (--update "
                          "records the new version)", kind=kind, id=new.id,
                          old=_describe(old)))
    console.print(_("{kind} {id} updated: {old} → {new}").format(
        kind=what, id=new.id, old=_describe(old), new=_describe(new)), highlight=False)
    return True


def _describe(party: Agency | Unit | Analyst) -> str:
    if isinstance(party, Agency):
        return f"{party.name!r} ({party.country})"
    if isinstance(party, Unit):
        return f"{party.name!r} of {party.agency}"
    return f"{party.name!r} of {party.unit}"


@party_app.command("add-agreement")
def add_agreement(
    agreement_id: str,
    title: Annotated[str, typer.Option(help="Title of the agreement.")],
    kind: Annotated[str, typer.Option(help="bilateral, mlat, memorandum, treaty, other")],
    party: Annotated[list[str], typer.Option("--party", help="Agency id (repeat).")],
    from_: Annotated[str | None, typer.Option(
        "--from", help="ISO-8601 time it enters into force (default: open).")] = None,
    until: Annotated[str | None, typer.Option(
        help="ISO-8601 time it ends, exclusive (default: open).")] = None,
) -> None:
    """Add an agreement (or a new version of it, e.g. with an end) that markings and
    releases may cite as their legal basis while it is in force."""
    agreement = Agreement(agreement_id, title, kind, frozenset(party),
                          parse_timestamp(from_) if from_ else None,
                          parse_timestamp(until) if until else None)
    with STATE.store().transaction() as conn:
        old = {a.id: a for a in parties.agreements(conn)}.get(agreement.id)
        if old == agreement:
            console.print(_("agreement {id} exists as given: nothing changed").format(
                id=agreement.id), highlight=False)
            return
        parties.put_agreement(conn, agreement, datetime.now(UTC))
    what = _("added") if old is None else _("recorded in a new version")
    console.print(_("agreement {id} {what}: {title!r}, {kind} of {parties}").format(
        id=agreement.id, what=what, title=agreement.title, kind=agreement.kind,
        parties=", ".join(sorted(agreement.parties))) + _validity(agreement), highlight=False)


@party_app.command("list")
def list_parties(fmt: FormatOption = Format.table) -> None:
    """List agencies, units, analysts, agreements and vettings."""
    with STATE.store().reading() as conn:
        rows: list[dict[str, Any]] = []
        rows += [{"kind": "agency", "id": a.id, "name": a.name, "detail": a.country}
                 for a in parties.agencies(conn)]
        rows += [{"kind": "unit", "id": u.id, "name": u.name, "detail": u.agency}
                 for u in parties.units(conn)]
        rows += [{"kind": "analyst", "id": a.id, "name": a.name, "detail": a.unit}
                 for a in parties.analysts(conn)]
        rows += [{"kind": "agreement", "id": a.id, "name": a.title,
                  "detail": f"{a.kind}: {', '.join(sorted(a.parties))}" + _validity(a)}
                 for a in parties.agreements(conn)]
        rows += [{"kind": "vetting", "id": v.id, "name": f"{v.unit} vetted by {v.by}",
                  "detail": f"{v.valid_from:%Y-%m-%d} – {v.valid_until:%Y-%m-%d}"
                  + (f", revoked {v.revoked_at:%Y-%m-%d}" if v.revoked_at else "")}
                 for v in parties.vettings(conn)]
    emit(rows, fmt, ["kind", "id", "name", "detail"], title=_("Parties"))


def _validity(agreement: Agreement) -> str:
    if agreement.valid_from is None and agreement.valid_until is None:
        return ""
    start = f"{agreement.valid_from:%Y-%m-%d}" if agreement.valid_from else "…"
    end = f"{agreement.valid_until:%Y-%m-%d}" if agreement.valid_until else "…"
    return f" ({start} – {end})"
