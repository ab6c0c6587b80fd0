"""``tearline contact log`` and ``tearline oversight``: drafts of the reports the host law
asks for, their terms, the officer's sign-off, and the completeness check.

The drafts are the agency's duty and hold metadata only; the node's operator (no
``--as``) and the agency's designated officers (``--as name@unit``) see them. Terms come
from ``TEARLINE_OVERSIGHT_TERMS`` (``docs/configuration.md``).
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from tearline.cli.common import STATE, AtOption, Format, FormatOption, app, at_time, console, emit
from tearline.cli.language import _
from tearline.errors import InputError, PolicyDenied, ValidationError, tr
from tearline.federation.identity import NodeFiles, load_identity
from tearline.files import private_dir, write_private
from tearline.keys import load_node_key, load_verifier_key
from tearline.model.marking import parse_timestamp
from tearline.oversight.contacts import Contact
from tearline.oversight.drafts import Draft
from tearline.oversight.terms import Term, parse_terms
from tearline.reports.oversight import render_json, render_pdf
from tearline.store import oversight, oversight_reports, parties

oversight_app = typer.Typer(help="Oversight report drafts: due, edit, sign, verify.",
                            no_args_is_help=True)
contact_app = typer.Typer(help="Contacts with foreign agents, recorded by hand.",
                          no_args_is_help=True)
app.add_typer(oversight_app, name="oversight")
app.add_typer(contact_app, name="contact")

DEMO_MARKER = ".tearline-oversight-demo"
OfficerOption = Annotated[str | None, typer.Option(
    "--as", help="A designated oversight officer (name@unit); omit on the node itself.")]
AgencyOption = Annotated[str | None, typer.Option(
    "--agency", help="The agency reporting (default: the officer's).")]


def terms() -> dict[str, Term]:
    return parse_terms(os.environ.get("TEARLINE_OVERSIGHT_TERMS", ""))


def node_agency() -> str | None:
    """This node's agency, from its identity (`tearline node init`), if it has one."""
    keys = STATE.settings.keys_dir
    return load_identity(keys).agency if NodeFiles(keys).node_file.exists() else None


def _agency(officer: str | None, agency: str | None) -> str:
    """The agency whose drafts are asked for; an officer only of their own agency."""
    store = STATE.store()
    if officer is None:
        if agency is None:
            raise InputError(tr("say which agency: --agency AGENCY (or act as its officer)"))
        return agency
    subject = store.subject(officer)
    if subject.analyst is None:
        raise InputError(tr("an oversight officer acts as name@unit"))
    if agency is not None and agency != subject.agency:
        raise PolicyDenied(tr(
            "{officer} is an officer of {agency}, not of {agency2}",
            officer=officer, agency=subject.agency, agency2=agency))
    with store.reading() as conn:
        if not oversight.is_officer(conn, subject.agency, officer):
            raise PolicyDenied(tr(
                "{officer} is not a designated oversight officer of {agency} (`tearline "
                "oversight designate`)", officer=officer, agency=subject.agency))
    return subject.agency


def _row(item: oversight_reports.DueItem | None, d: Draft) -> dict[str, object]:
    x = d.exchange
    return {"id": x.id, "at": x.at, "due": d.due.isoformat(),
            "status": item.status if item else "", "nature": x.nature,
            "foreign": x.foreign_agency + (f" / {x.foreign_unit}" if x.foreign_unit else ""),
            "unit": x.unit or "", "officials": list(x.officials), "records": x.record_count,
            "kinds": ", ".join(f"{k} {n}" for k, n in x.record_kinds),
            "agreement": x.agreement or "", "subject": d.text.get("subject", "")}


COLUMNS = ["id", "at", "due", "status", "nature", "foreign", "unit", "records", "kinds",
           "agreement", "subject"]


@oversight_app.command("designate")
def designate(analyst: Annotated[str, typer.Argument(help="name@unit")],
              revoke: Annotated[bool, typer.Option("--revoke")] = False) -> None:
    """Designate (or revoke) an analyst as an oversight officer of their agency."""
    store = STATE.store()
    subject = store.subject(analyst)
    with store.transaction() as conn:
        oversight.designate(conn, subject.agency, analyst, "system",
                            "revoked" if revoke else "designated")
    console.print((_("{analyst}: revoked for {agency}") if revoke
                   else _("{analyst}: designated for {agency}")).format(
                       analyst=analyst, agency=subject.agency))


@oversight_app.command("due")
def due(officer: OfficerOption = None, agency: AgencyOption = None, at: AtOption = None,
        everything: Annotated[bool, typer.Option("--all", help="Pending drafts too.")] = False,
        fmt: FormatOption = Format.table) -> None:
    """Drafts due today and overdue (the term counts from the day of the exchange)."""
    who = _agency(officer, agency)
    today: date = at_time(at).date()
    asker = f"analyst:{officer}" if officer else "system"
    with STATE.store().transaction() as conn:
        items = oversight_reports.due(conn, who, today, terms(), everything, asker,
                                      node_agency())
    emit([_row(i, i.draft) for i in items], fmt, COLUMNS,
         title=_("oversight drafts of {who} on {day}").format(who=who, day=today.isoformat()))


@oversight_app.command("edit")
def edit(exchange: Annotated[str, typer.Argument(help="The draft's id (x…).")],
         field: Annotated[str, typer.Option("--field", help="subject, place, "
                                            "foreign_agents or notes")],
         text: Annotated[str, typer.Option("--text", help="One line.")],
         officer: OfficerOption = None) -> None:
    """Write a free-text field of a draft (the officer's review)."""
    if officer is None:
        raise InputError(tr("a draft is edited by its officer: --as name@unit"))
    who = _agency(officer, None)
    store = STATE.store()
    with store.transaction() as conn:
        oversight_reports.find(conn, who, exchange, terms(), node_agency())
        oversight.write_text(conn, who, exchange, field, text, f"analyst:{officer}")
    console.print(_("{exchange}: {field} written").format(exchange=exchange, field=field))


@oversight_app.command("sign")
def sign(out: Annotated[Path, typer.Option("--out", help="Folder for the JSON and PDF.")],
         officer: OfficerOption = None,
         language: Annotated[str, typer.Option("--lang", help="es or en")] = "es",
         pdf: Annotated[bool, typer.Option("--pdf/--no-pdf")] = True) -> None:
    """Sign off every unsigned draft of the officer's agency as one report."""
    if officer is None:
        raise InputError(tr("a report is signed by a designated officer: --as name@unit"))
    who = _agency(officer, None)
    key = load_node_key(STATE.settings.keys_dir)
    with STATE.store().transaction() as conn:
        document, digest = oversight_reports.sign(conn, who, officer, key, language, terms(),
                                                   node_agency())
    private_dir(out)
    path = out / f"{document['id']}.json"
    write_private(path, render_json(document))
    if pdf:
        write_private(out / f"{document['id']}.pdf", render_pdf(document))
    console.print(_("report {id}: {n} exchange(s), log {first}..{size}, digest {digest}").format(
        id=document["id"], n=len(document["exchanges"]), first=document["log"]["first"],
        size=document["log"]["size"], digest=digest), soft_wrap=True)
    console.print(str(path), soft_wrap=True)


@oversight_app.command("verify")
def verify(report: Annotated[Path, typer.Argument(help="The report's JSON file.")],
           fmt: FormatOption = Format.table) -> None:
    """Check against the log that the report lists every exchange of its range."""
    try:
        document = json.loads(report.read_bytes())
    except (OSError, ValueError) as exc:
        raise ValidationError(tr(
            "{report}: not a readable JSON report ({exc})", report=report, exc=exc)) from exc
    name, public = load_verifier_key(STATE.settings.keys_dir)
    with STATE.store().reading() as conn:
        done = oversight_reports.verify(conn, document, name, public, terms(), node_agency())
    if fmt is Format.table:
        console.print(_("report {report} is complete: {n} exchange(s) of {agency} in log "
                        "entries {first}..{size}").format(
                            report=done["report"], n=done["exchanges"], agency=done["agency"],
                            first=done["first"], size=done["size"]), soft_wrap=True)
    else:
        emit([done], fmt, list(done))


@contact_app.command("log")
def log_contact(
    officer: Annotated[str, typer.Option("--as", help="One of the officials (name@unit).")],
    with_: Annotated[str, typer.Option("--with", help="Foreign agency or unit met.")],
    when: Annotated[str, typer.Option("--when", help="ISO-8601 time of the contact.")],
    where: Annotated[str, typer.Option("--where", help="Place (one line).")],
    subject: Annotated[str, typer.Option("--subject", help="Subject (one line).")],
    agents: Annotated[str, typer.Option("--agents", help="Foreign agents met.")] = "",
    also: Annotated[list[str] | None, typer.Option("--also", help="Another official.")] = None,
    mode: Annotated[str, typer.Option("--mode", help="meeting, call or message")] = "meeting",
) -> None:
    """Record a meeting or call with a foreign agent: who, when, where, subject."""
    store = STATE.store()
    me = store.subject(officer)
    if me.analyst is None:
        raise InputError(tr("a contact is logged by an official: --as name@unit"))
    with store.reading() as conn:
        units = {u.id: u.agency for u in parties.units(conn)}
    foreign_agency = units.get(with_, with_)
    contact = Contact(
        unit=me.unit, officials=tuple(dict.fromkeys([officer, *(also or [])])),
        foreign_agency=foreign_agency, foreign_unit=with_ if with_ in units else None,
        foreign_agents=agents, met_at=parse_timestamp(when), place=where, subject=subject,
        mode=mode)
    with store.transaction() as conn:
        contact_id = oversight.log_contact(conn, contact, me.agency, f"analyst:{officer}")
    console.print(_("contact {id} logged").format(id=contact_id))


@oversight_app.command("demo")
def demo(folder: Annotated[Path, typer.Option("--folder", help="Where the demo node lives "
                                              "(rebuilt).")] = Path("demo-oversight"),
         pdf: Annotated[bool, typer.Option("--pdf/--no-pdf")] = True) -> None:
    """Five days of a vetted unit's exchanges with the DEA; the report due, signed, proved."""
    import shutil

    from tearline.demo.oversight import run

    if folder.exists():
        if not (folder / DEMO_MARKER).exists():
            raise InputError(tr(
                "{folder} exists and is not an oversight demo folder", folder=folder))
        shutil.rmtree(folder)
    private_dir(folder)
    write_private(folder / DEMO_MARKER, b"created by `tearline oversight demo`\n")
    outcome = run(folder, terms(), say=lambda line: console.print(line, soft_wrap=True))
    for day, items in outcome.due.items():
        emit([{"id": x, "nature": n, "status": s} for x, n, s in items], Format.table,
             ["id", "nature", "status"], title=_("oversight due on day {day}").format(day=day))
    reports = private_dir(folder / "reports")
    name = outcome.report["id"]
    write_private(reports / f"{name}.json", render_json(outcome.report))
    if pdf:
        write_private(reports / f"{name}.pdf", render_pdf(outcome.report))
    tampered = dict(outcome.report, exchanges=outcome.report["exchanges"][1:])
    write_private(reports / "tampered.json", render_json(tampered))
    v = outcome.verified
    console.print(_("day 4: report {report} signed by the officer: {n} exchange(s), log "
                    "entries {first}..{size}: verified complete").format(
                        report=v["report"], n=v["exchanges"], first=v["first"],
                        size=v["size"]), soft_wrap=True)
    console.print(_("with one exchange removed ({path}): {error}").format(
        path=reports / "tampered.json", error=outcome.tampered_error), soft_wrap=True)
    console.print(_("try: {command}").format(
        command=f"tearline -w {folder} oversight verify {reports / 'tampered.json'}"),
        soft_wrap=True)

