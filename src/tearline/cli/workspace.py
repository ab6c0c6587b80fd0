"""Workspace, parties, ingest and reading commands."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn
from rich.text import Text

from tearline.cli.common import (
    STATE,
    AsOption,
    AtOption,
    Format,
    FormatOption,
    app,
    at_time,
    console,
    emit,
    err,
    reporting,
)
from tearline.cli.placing import write_all, write_placed
from tearline.errors import InputError, LegalBasisError, Problem
from tearline.files import private_text
from tearline.ingest.entities import Collector
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking, parse_timestamp
from tearline.model.parties import Agency, Agreement, Analyst, Unit
from tearline.model.record import Record
from tearline.model.statement import Provenance, StatementKeyer
from tearline.store import Store, basis_facts, parties, upgrade
from tearline.store import legal_basis as basis_rules

party_app = typer.Typer(help="Agencies, units, analysts and agreements (append-only history).",
                        no_args_is_help=True)
app.add_typer(party_app, name="party")

TlpOption = Annotated[str | None, typer.Option("--tlp", help="TLP 2.0 level of the marking.")]
RelOption = Annotated[
    list[str] | None,
    typer.Option("--rel-to", help="Releasable to: agency:ID, unit:ID or vetted-by:AGENCY."),
]
BasisOption = Annotated[str | None, typer.Option("--legal-basis", help="Agreement id.")]
OrconOption = Annotated[bool, typer.Option("--orcon", help="Originator controls onward release.")]
IdsOption = Annotated[Path | None, typer.Option(
    "--ids", dir_okay=False, help="Write each id of the file and where it was stored "
    "(JSON lines).")]


def marking_from(tlp: str | None, rel_to: Sequence[str] | None, basis: str | None,
                 orcon: bool, default: str) -> Marking:
    return Marking.build(tlp or default, rel_to or (), orcon=orcon, legal_basis=basis)


def _subject(name: str | None) -> Any:
    if not name:
        raise InputError("say who is acting: --as UNIT or --as name@UNIT (every read goes "
                         "through the dissemination policy)")
    return STATE.store().subject(name)


# -- workspace -----------------------------------------------------------------------------


@app.command()
def init(
    origin: Annotated[str | None, typer.Option(
        help="Name of the node's log and key (default: <host>/tearline).")] = None,
) -> None:
    """Create (or upgrade) the workspace: the database and the node's files."""
    from tearline.keys import create_node_key
    from tearline.store import node_key_created

    with reporting():
        settings = STATE.settings
        settings.make_workspace()
        store = Store.open(settings.db_url, migrate=False)
        upgrade(store.engine)
        key, created = create_node_key(settings.keys_dir, origin)
        if created:
            with store.transaction() as conn:
                node_key_created(conn, key.key_id())
        store.close()
        console.print(f"workspace ready: {settings.workspace} (database {_safe(settings.db_url)})")
        console.print(f"node verifier key: {key.verifier_key()}", markup=False, highlight=False,
                      soft_wrap=True)


def _safe(url: str) -> str:
    """A database URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return url


# -- parties -------------------------------------------------------------------------------


@party_app.command("add-agency")
def add_agency(agency_id: str, name: Annotated[str, typer.Option(help="Full name.")],
               country: Annotated[str, typer.Option(help="ISO 3166 alpha-2 code.")]) -> None:
    """Add an agency (or record a new version of it)."""
    with reporting(), STATE.store().transaction() as conn:
        parties.put_agency(conn, Agency(agency_id, name, country.lower()), datetime.now(UTC))


@party_app.command("add-unit")
def add_unit(unit_id: str, agency: Annotated[str, typer.Option(help="Agency id.")],
             name: Annotated[str, typer.Option(help="Unit name.")]) -> None:
    """Add a unit of an agency."""
    with reporting(), STATE.store().transaction() as conn:
        parties.put_unit(conn, Unit(unit_id, agency, name), datetime.now(UTC))


@party_app.command("add-analyst")
def add_analyst(analyst_id: str, unit: Annotated[str, typer.Option(help="Unit id.")],
                name: Annotated[str, typer.Option(help="Full name.")]) -> None:
    """Add an analyst (``name@unit.id``)."""
    with reporting(), STATE.store().transaction() as conn:
        parties.put_analyst(conn, Analyst(analyst_id, unit, name), datetime.now(UTC))


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
    with reporting(), STATE.store().transaction() as conn:
        parties.put_agreement(conn, Agreement(
            agreement_id, title, kind, frozenset(party),
            parse_timestamp(from_) if from_ else None,
            parse_timestamp(until) if until else None), datetime.now(UTC))


@party_app.command("list")
def list_parties(fmt: FormatOption = Format.table) -> None:
    """List agencies, units, analysts, agreements and vettings."""
    with reporting(), STATE.store().reading() as conn:
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
    emit(rows, fmt, ["kind", "id", "name", "detail"], title="Parties")


def _validity(agreement: Agreement) -> str:
    if agreement.valid_from is None and agreement.valid_until is None:
        return ""
    start = f"{agreement.valid_from:%Y-%m-%d}" if agreement.valid_from else "…"
    end = f"{agreement.valid_until:%Y-%m-%d}" if agreement.valid_until else "…"
    return f" ({start} – {end})"


# -- ingest --------------------------------------------------------------------------------


def progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                    TransferSpeedColumn(),
                    TimeRemainingColumn(), console=err, transient=True,
                    disable=not sys.stderr.isatty())


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="File to ingest.")],
    as_: AsOption = None,
    mapping: Annotated[Path | None, typer.Option(
        exists=True, dir_okay=False, help="Mapping file: the input is CSV.")] = None,
    tlp: TlpOption = None,
    rel_to: RelOption = None,
    legal_basis: BasisOption = None,
    orcon: OrconOption = False,
    reliability: Annotated[str, typer.Option(help="Source reliability A–F.")] = "F",
    credibility: Annotated[str, typer.Option(help="Information credibility 1–6.")] = "6",
    ids: IdsOption = None,
) -> None:
    """Ingest FollowTheMoney JSON lines, or a CSV file with --mapping; all or nothing.

    Without --tlp the marking is TLP:AMBER+STRICT: only the author's own agency sees it
    until someone releases it. A legal basis (--legal-basis, a line's or the mapping's
    marking) must be an agreement in force that binds the parties. A new record is
    stored as UNIT..ID (ID as in the file); an ID naming a record you can see adds
    statements to it (docs/ingest.md).
    """
    from tearline.ingest.csvmap import parse_mapping, read_csv
    from tearline.ingest.entities import read_jsonl
    from tearline.ingest.files import decode_input

    with reporting():
        subject = _subject(as_)
        marking = marking_from(tlp, rel_to, legal_basis, orcon, "AMBER+STRICT")
        prov = Provenance(subject.agency, subject.unit, datetime.now(UTC),
                          Reliability.parse(reliability), Credibility.parse(credibility))
        with STATE.store().reading() as conn:
            judge = basis_rules.judge(basis_facts(conn), subject.agency, prov.seen_at)
        _refuse_basis(judge(marking), None, "--legal-basis")
        collector = Collector(path.name, prov, marking, judge=judge)
        text = decode_input(path.read_bytes(), path.name)
        with progress_bar() as bar:
            task = bar.add_task(f"reading {path.name}", total=len(text))
            lines = text.splitlines()
            if mapping is not None:
                spec = parse_mapping(decode_input(mapping.read_bytes(), mapping.name),
                                     mapping.name)
                if spec.marking is not None:
                    _refuse_basis(judge(spec.marking), mapping.name, "marking")
                read_csv(lines, spec, collector, lambda n: bar.advance(task, n))
            else:
                read_jsonl(lines, collector, lambda n: bar.advance(task, n))
        write_placed(STATE.store(), subject, prov.seen_at, collector, path.name, ids)


def _refuse_basis(why: str | None, file: str | None, column: str) -> None:
    if why is not None:
        raise LegalBasisError("legal basis refused; nothing was stored",
                              [Problem(why, file, column=column)])


@app.command("import-ofac")
def import_ofac(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="OFAC sdn.csv")],
    as_: AsOption = None,
    all_programs: Annotated[bool, typer.Option(help="All programs, not only narcotics.")] = False,
    alt: Annotated[Path | None, typer.Option(help="alt.csv (aliases) of the same list.")] = None,
    add: Annotated[Path | None, typer.Option(help="add.csv (addresses) of the same list.")] = None,
    tlp: TlpOption = None,
    inferred: Annotated[bool, typer.Option(
        help="Add inferred person → namesake-organization links (graded credibility 3, "
             "role 'inferred: …'), kept apart from OFAC's stated links.")] = True,
    ids: IdsOption = None,
) -> None:
    """Import the OFAC SDN list (narcotics programs by default); public: TLP:CLEAR.

    Ids are placed as by `ingest`: ofac-N names a record you can see, else your own
    UNIT..ofac-N.
    """
    from tearline.ingest.ofac_import import read_sdn

    with reporting():
        subject = _subject(as_)
        prov = Provenance(subject.agency, subject.unit, datetime.now(UTC), Reliability.A,
                          Credibility.CONFIRMED)
        sdn = read_sdn(path, prov, Marking.build(tlp or "CLEAR"), all_programs, alt, add,
                       inferred)
        write_placed(STATE.store(), subject, prov.seen_at, sdn, path.name, ids)


@app.command("demo-data")
def demo_data(
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same data.")] = 7,
    scale: Annotated[float, typer.Option(help="Fraction of CBP monthly totals.")] = 0.01,
    out: Annotated[Path | None, typer.Option(help="Write JSON lines here, not the store.")] = None,
) -> None:
    """Generate deterministic synthetic field data (flagged synthetic everywhere)."""
    from tearline.demo.load import demo_records

    with reporting():
        # Written to a file, statements carry no id (record_json), so a throwaway key
        # serves: no workspace is needed. Into the store, they get the store's ids.
        keyer = StatementKeyer(os.urandom(32)) if out is not None else STATE.store().keyer
        records = list(demo_records(seed, STATE.settings.data_dir, scale, keyer=keyer))
        if out is not None:
            with private_text(out) as fh:
                for rec in records:
                    fh.write(json.dumps(record_json(rec), ensure_ascii=False) + "\n")
            console.print(f"{len(records):,} synthetic records written to {out}")
            return
        write_all(STATE.store(), records, f"synthetic data (seed {seed})")


def record_json(rec: Record) -> dict[str, Any]:
    """A record as a FollowTheMoney entity with tearline's marking keys."""
    data = rec.to_ftm()
    data["marking"] = rec.marking.to_dict()
    portions = {s.prop: s.marking.to_dict() for s in rec.statements if s.marking is not None}
    if portions:
        data["portions"] = portions
    if rec.synthetic:
        data["synthetic"] = True
    return data


# -- reading (through the policy) ----------------------------------------------------------


def record_rows(records: Sequence[Record]) -> list[dict[str, Any]]:
    return [{"id": r.id, "schema": r.schema, "caption": r.caption(),
             "marking": str(r.marking), "originator": r.originator,
             "synthetic": "SYNTHETIC" if r.synthetic else ""} for r in records]


@app.command()
def show(entity_id: str, as_: AsOption = None, at: AtOption = None,
         fmt: FormatOption = Format.table) -> None:
    """Show the tear-line view of one record for the acting unit."""
    with reporting():
        subject = _subject(as_)
        rec = STATE.store().read(subject, at_time(at), entity_id)
        if fmt in (Format.json, Format.jsonl):
            emit([record_json(rec)], fmt, [])
            return
        if fmt is Format.table:
            console.print(Text.assemble(
                (rec.caption(), "bold"), f"  {rec.schema} {rec.id} v{rec.version}",
                ("  SYNTHETIC", "bold red") if rec.synthetic else ""))
            console.print(f"marking: {rec.marking}   originator: {rec.originator}")
        rows = [{"property": s.prop, "value": s.value, "origin": f"{s.origin} ({s.author})",
                 "grade": f"{s.reliability.value}{s.credibility.value}",
                 "portion": str(s.marking) if s.marking else ""} for s in rec.statements]
        emit(rows, fmt, ["property", "value", "origin", "grade", "portion"])


@app.command()
def search(query: str, as_: AsOption = None, at: AtOption = None,
           schema: Annotated[str | None, typer.Option(help="Only this schema.")] = None,
           limit: Annotated[int, typer.Option(help="At most this many results.")] = 20,
           fmt: FormatOption = Format.table) -> None:
    """Search names, aliases and identifiers (every word must match a prefix)."""
    with reporting():
        subject = _subject(as_)
        found = STATE.store().search(subject, at_time(at), query, schema, limit=limit)
        emit(record_rows(found), fmt, ["id", "schema", "caption", "marking", "synthetic"],
             title=f"{len(found)} results for {query!r} as {subject}")


@app.command("list")
def list_records(as_: AsOption = None, at: AtOption = None,
                 schema: Annotated[str | None, typer.Option(help="Only this schema.")] = None,
                 after: Annotated[str | None, typer.Option(help="Page after this id.")] = None,
                 limit: Annotated[int, typer.Option(help="Page size.")] = 50,
                 fmt: FormatOption = Format.table) -> None:
    """List records visible to the acting unit, in id order."""
    with reporting():
        subject = _subject(as_)
        found = STATE.store().page(subject, at_time(at), schema, after, limit)
        emit(record_rows(found), fmt, ["id", "schema", "caption", "marking", "synthetic"])


@app.command()
def stats(as_: AsOption = None, at: AtOption = None, fmt: FormatOption = Format.table) -> None:
    """Count the records of each schema that the acting unit may see."""
    with reporting():
        subject = _subject(as_)
        counts = STATE.store().stats(subject, at_time(at))
        rows = [{"schema": k, "records": v} for k, v in counts.items()]
        emit(rows, fmt, ["schema", "records"], title=f"Records visible to {subject}")


@app.command()
def export(out: Annotated[Path, typer.Option(help="FollowTheMoney JSON lines file.")],
           as_: AsOption = None, at: AtOption = None,
           schema: Annotated[str | None, typer.Option(help="Only this schema.")] = None) -> None:
    """Export what the acting unit may see and its agency may pass on, as FollowTheMoney
    JSON lines with markings (an ORCON value of another agency only with its consent)."""
    with reporting():
        subject = _subject(as_)
        store, when, after, n = STATE.store(), at_time(at), None, 0
        with private_text(out) as fh:
            while True:
                page = store.page(subject, when, schema, after, 500, path="export",
                                  handed_on_by=subject.agency)
                for rec in page:
                    fh.write(json.dumps(record_json(rec), ensure_ascii=False) + "\n")
                n += len(page)
                if len(page) < 500:
                    break
                after = page[-1].id
        console.print(f"{n:,} records exported to {out}")
