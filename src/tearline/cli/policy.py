"""Dissemination commands: mark, vet/unvet, release/recall, ``policy explain`` (consents:
``cli/consent.py``).

Also :func:`side_by_side`, the same record as each of several units sees it (the demo
calls it). Every change is a new row of history; nothing is updated in place except
the current-marking columns, whose every change is also appended to
``marking_changes`` in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tearline.cli.common import (
    STATE,
    AsOption,
    AtOption,
    Format,
    FormatOption,
    acting,
    app,
    at_time,
    console,
    emit,
)
from tearline.cli.language import _, cli_locale
from tearline.errors import Conflict, InputError, NotFound, tr
from tearline.i18n import DEFAULT
from tearline.i18n.messages import say_all
from tearline.model.marking import Marking, Selector, parse_timestamp
from tearline.model.parties import Vetting
from tearline.model.record import Record
from tearline.store import Store, explain_record, parties, releases, set_marking

policy_app = typer.Typer(help="Explain the dissemination policy.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")


@app.command()
def mark(
    entity_id: str,
    as_: AsOption = None,
    prop: Annotated[str | None, typer.Option("--property", help="Mark this property's "
                                             "statements (a portion), not the record.")] = None,
    tlp: Annotated[str, typer.Option(help="TLP 2.0 level.")] = "AMBER+STRICT",
    rel_to: Annotated[list[str] | None, typer.Option(
        "--rel-to", help="agency:ID, unit:ID or vetted-by:AGENCY (repeat).")] = None,
    orcon: Annotated[bool, typer.Option("--orcon", help="Originator controls onward release.")]
    = False,
    legal_basis: Annotated[str | None, typer.Option(help="Agreement id (required for any "
                                                    "release beyond your agency).")] = None,
    caveat: Annotated[list[str] | None, typer.Option(help="Handling caveat (repeat).")] = None,
    expires: Annotated[str | None, typer.Option(help="ISO-8601 expiry: releases outside the "
                                                "originating agency lapse then.")] = None,
) -> None:
    """Change the marking of a record or of one property's statements (originator only)."""
    subject = acting(as_)
    marking = Marking.build(tlp, rel_to or (), orcon=orcon, legal_basis=legal_basis,
                            caveats=caveat or (),
                            expires_at=parse_timestamp(expires) if expires else None)
    with STATE.store().transaction() as conn:
        changes = set_marking(conn, subject, entity_id, prop, marking, datetime.now(UTC))
    what = (_("{n} statement(s) of {prop}").format(n=len(changes), prop=prop) if prop
            else _("the record"))
    console.print(_("{id}: {what} now marked {marking}").format(id=entity_id, what=what,
                                                                 marking=marking))


@app.command()
def vet(
    unit: str,
    by: Annotated[str, typer.Option("--by", help="The vetting agency.")],
    until: Annotated[str, typer.Option(help="ISO-8601 end (exclusive).")],
    from_: Annotated[str | None, typer.Option("--from", help="ISO-8601 start (default now).")]
    = None,
) -> None:
    """Record that agency BY vets UNIT from --from until --until.

    A vetting in force that overlaps the new one is extended instead: only the time after
    it is recorded. A period already covered is refused (nothing to record).
    """
    now = datetime.now(UTC)
    start = parse_timestamp(from_) if from_ else now
    end = parse_timestamp(until)
    with STATE.store().transaction() as conn:
        held = [v for v in parties.vettings(conn)
                if (v.unit, v.by) == (unit, by) and v.revoked_at is None
                and v.valid_from < end and start < v.valid_until]
        if held:
            first, last = min(v.valid_from for v in held), max(v.valid_until for v in held)
            ids = ", ".join(v.id for v in held)
            if start < first:
                raise Conflict(tr(
                    "{unit} is vetted by {by} from {first:%Y-%m-%dT%H:%MZ} ({ids}): a new "
                    "vetting may not overlap it; give --from at or after its end to extend "
                    "it, or `tearline unvet` first", unit=unit, by=by, first=first, ids=ids))
            if end <= last:
                raise Conflict(tr("{unit} is already vetted by {by} until "
                                  "{last:%Y-%m-%dT%H:%MZ} ({ids}): nothing was recorded",
                                  unit=unit, by=by, last=last, ids=ids))
            start = last
        vetting = Vetting(f"vet-{uuid.uuid4().hex[:20]}", by, unit, start, end)
        parties.put_vetting(conn, vetting, now, "cli")
    extended = (_(" (extends {ids})").format(ids=", ".join(v.id for v in held)) if held
                else "")
    console.print(_("{unit} vetted by {by} from {start:%Y-%m-%dT%H:%MZ} until "
                    "{end:%Y-%m-%dT%H:%MZ} ({id})").format(
        unit=unit, by=by, start=vetting.valid_from, end=vetting.valid_until, id=vetting.id)
        + extended)


@app.command()
def unvet(unit: str, by: Annotated[str, typer.Option("--by", help="The vetting agency.")]
          ) -> None:
    """Revoke, from now on, every vetting of UNIT by agency BY."""
    with STATE.store().transaction() as conn:
        ids = parties.revoke_vettings(conn, unit, by, datetime.now(UTC), "cli")
        console.print(_("revoked {ids}: {unit} is no longer vetted by {by}").format(
            ids=", ".join(ids), unit=unit, by=by))


@app.command()
def release(
    entity_id: str,
    as_: AsOption = None,
    to: Annotated[str, typer.Option("--to", help="agency:ID, unit:ID or vetted-by:AGENCY.")]
    = "",
    basis: Annotated[str | None, typer.Option("--basis", help="Agreement id (legal basis).")]
    = None,
) -> None:
    """Release what you see of a record to more parties (never alters its marking)."""
    subject = acting(as_)
    if not to:
        raise InputError(tr("say to whom: --to agency:ID, unit:ID or vetted-by:AGENCY"))
    with STATE.store().transaction() as conn:
        result = releases.release(conn, subject, entity_id, Selector.parse(to), basis,
                                  datetime.now(UTC), str(subject))
    rel = result.release
    console.print(_("{release}: {id} released to {to} by {by}").format(
        release=rel.id, id=entity_id, to=rel.to, by=rel.by_unit)
        + (_(" under {basis}").format(basis=rel.basis) if rel.basis else "")
        + _(" ({n} statements)").format(n=len(rel.items)))
    for stmt_id, why in result.skipped:
        console.print(_("  not released: {id}: {why}").format(id=stmt_id, why=why))


@app.command()
def recall(
    entity_id: str,
    as_: AsOption = None,
    release_id: Annotated[str | None, typer.Option("--release", help="Only this release.")]
    = None,
) -> None:
    """Revoke the releases of a record (the originator), or one release (its releaser)."""
    subject = acting(as_)
    with STATE.store().transaction() as conn:
        ids = releases.recall(conn, subject, entity_id, datetime.now(UTC), str(subject),
                              release_id)
    console.print(_("revoked {n} release(s) of {id}: {ids}").format(
        n=len(ids), id=entity_id, ids=", ".join(ids)))


@policy_app.command("explain")
def explain(entity_id: str, as_: AsOption = None, at: AtOption = None,
            fmt: FormatOption = Format.table) -> None:
    """Which statements of a record a unit sees, and why not (administrators' view)."""
    subject = acting(as_)
    when = at_time(at)
    with STATE.store().transaction() as conn:
        found = explain_record(conn, subject, entity_id, when)
    # a table is read by a person, in the command line's language; JSON and CSV are data
    locale = cli_locale() if fmt is Format.table else DEFAULT
    rows = [{"property": "(record)", "value": found.schema, "marking": str(found.marking),
             "visible": "yes" if found.record else "no",
             "why": "; ".join(say_all(found.record.reasons, locale))}]
    values = [{"property": item.prop, "value": item.value[:60],
               "marking": str(item.marking) if item.marking else "(record's)",
               "visible": "yes" if item.decision else "no",
               "why": "; ".join(say_all(item.decision.reasons, locale))}
              for item in found.statements]
    # A script reads one row per value; a person reads each reason once.
    rows += grouped(values) if fmt is Format.table else values
    emit(rows, fmt, ["property", "value", "marking", "visible", "why"],
         title=_("{id} as seen by {subject} at {at:%Y-%m-%dT%H:%MZ}").format(
             id=entity_id, subject=subject, at=when))


def grouped(values: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """One row per (marking, decision, reasons): the properties it covers, and the
    value itself when it is the only one."""
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for row in values:
        groups.setdefault((row["marking"], row["visible"], row["why"]), []).append(row)
    out = []
    for (marking, visible, why), members in groups.items():
        props = list(dict.fromkeys(m["property"] for m in members))
        value = members[0]["value"] if len(members) == 1 else f"{len(members)} values"
        out.append({"property": ", ".join(props), "value": value, "marking": marking,
                    "visible": visible, "why": why})
    return out


def side_by_side(store: Store, entity_id: str, units: Sequence[str],
                 at: datetime) -> RenderableType:
    """The same record as each unit sees it: one column per unit, one row per property.

    A unit for which the record does not exist sees an empty column headed "does not
    exist" — exactly what it would see for an id never created.
    """
    views: dict[str, Record | None] = {}
    for unit in units:
        try:
            views[unit] = store.read(store.subject(unit), at, entity_id, path="show")
        except NotFound:
            views[unit] = None
    props = sorted({s.prop for rec in views.values() if rec for s in rec.statements})
    table = Table(title=_("{id}: one record, {n} tear lines").format(id=entity_id, n=len(units)),
                  show_lines=True)
    table.add_column("property", style="bold")
    for unit in units:
        rec = views[unit]
        head = unit if rec else f"{unit}\n(does not exist)"
        table.add_column(head, overflow="fold")
    for prop in props:
        cells = []
        for unit in units:
            rec = views[unit]
            values = [s.value for s in rec.statements if s.prop == prop] if rec else []
            cells.append(Text("\n".join(values)) if values else Text("—", style="dim"))
        table.add_row(prop, *cells)
    markings = [str(rec.marking) if rec else "" for rec in (views[u] for u in units)]
    table.add_row(Text("marking", style="italic"), *(Text(m, style="dim") for m in markings))
    return Group(table)
