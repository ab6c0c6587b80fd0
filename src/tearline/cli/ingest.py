"""``tearline ingest``, ``import-ofac`` and ``demo-data``: files into the store."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from tearline.cli.common import STATE, AsOption, acting, app, console, err
from tearline.cli.language import _
from tearline.cli.placing import write_all, write_placed
from tearline.cli.records import record_json
from tearline.cli.trace import check_returned
from tearline.errors import InputError, LegalBasisError, Problem, tr
from tearline.files import private_text
from tearline.ingest.entities import Collector
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.statement import Provenance, StatementKeyer
from tearline.store import basis_facts
from tearline.store import legal_basis as basis_rules

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
    """Ingest FollowTheMoney JSON lines, a MISP event JSON, or a CSV file with --mapping;
    all or nothing.

    Without --tlp the marking is TLP:AMBER+STRICT: only the author's own agency sees it
    until someone releases it. A legal basis (--legal-basis, a line's or the mapping's
    marking) must be an agreement in force that binds the parties. A new record is
    stored as UNIT..ID (ID as in the file); an ID naming a record you can see adds
    statements to it (docs/ingest.md).
    """
    from tearline.ingest.csvmap import parse_mapping, read_csv
    from tearline.ingest.entities import read_jsonl
    from tearline.ingest.files import decode_input
    from tearline.ingest.misp_event import read_misp
    from tearline.misp.importer import is_misp_event

    subject = acting(as_)
    marking = marking_from(tlp, rel_to, legal_basis, orcon, "AMBER+STRICT")
    prov = Provenance(subject.agency, subject.unit, datetime.now(UTC),
                      Reliability.parse(reliability), Credibility.parse(credibility))
    with STATE.store().reading() as conn:
        judge = basis_rules.judge(basis_facts(conn), subject.agency, prov.seen_at)
    _refuse_basis(judge(marking), None, "--legal-basis")
    collector = Collector(path.name, prov, marking, judge=judge)
    text = decode_input(path.read_bytes(), path.name)
    check_returned(str(subject), "import", [text])  # a canary in the file: an alert
    if mapping is None:
        require_jsonl(path, text)
    with progress_bar() as bar:
        task = bar.add_task(_("reading {name}").format(name=path.name), total=len(text))
        lines = text.splitlines()
        if mapping is None and is_misp_event(text):  # MISP event JSON (docs/misp.md)
            read_misp(text, collector)
        elif mapping is not None:
            spec = parse_mapping(decode_input(mapping.read_bytes(), mapping.name),
                                 mapping.name)
            if spec.marking is not None:
                _refuse_basis(judge(spec.marking), mapping.name, "marking")
            read_csv(lines, spec, collector, lambda n: bar.advance(task, n))
        else:
            read_jsonl(lines, collector, lambda n: bar.advance(task, n))
    write_placed(STATE.store(), subject, prov.seen_at, collector, path.name, ids)


def require_jsonl(path: Path, text: str) -> None:
    """Refuse, with one message, a file that is not JSON lines when no mapping is given:
    a CSV file read as JSON would be reported as invalid JSON on every line."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if path.suffix.lower() in (".csv", ".tsv") or (first and first[0] != "{"):
        raise InputError(tr(
            "{name} is not FollowTheMoney JSON lines (each line a JSON object, starting "
            "with '{{'): a CSV file needs --mapping FILE, saying which column becomes which "
            "property (docs/ingest.md; examples/seizures.mapping.yml)", name=path.name))


def _refuse_basis(why: str | None, file: str | None, column: str) -> None:
    if why is not None:
        raise LegalBasisError(tr("legal basis refused; nothing was stored"),
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
    report: Annotated[Path | None, typer.Option(
        "--report", dir_okay=False, help="Write the new designations and the hits of "
        "existing records on them (JSON).")] = None,
) -> None:
    """Import the OFAC SDN list (narcotics programs by default); public: TLP:CLEAR.

    Ids are placed as by `ingest`: ofac-N names a record you can see, else your own
    UNIT..ofac-N. Then reports the designations that are new to you (entries no list
    you could see carried) and which of your existing records now hit one of them.
    """
    from tearline.ingest.ofac_import import read_sdn
    from tearline.screening.report import designation_report

    subject = acting(as_)
    prov = Provenance(subject.agency, subject.unit, datetime.now(UTC), Reliability.A,
                      Credibility.CONFIRMED)
    sdn = read_sdn(path, prov, Marking.build(tlp or "CLEAR"), all_programs, alt, add,
                   inferred)
    with designation_report(STATE.store(), subject, prov.seen_at, sdn.entity_ids(),
                            report) as done:
        write_placed(STATE.store(), subject, prov.seen_at, sdn, path.name, ids)
    console.print(_("{new} new designation(s); {hits} existing record(s) hit one").format(
        new=len(done.new), hits=len(done.hits)))
    for row in done.hits:
        console.print(f"  {row['entity_id']} ({row['name']}) ~ {row['designation']} "
                      f"({row['listed_name']}; {', '.join(row['programs'])}): "
                      f"{row['score']} {row['decision']}")


@app.command("demo-data")
def demo_data(
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same data.")] = 7,
    scale: Annotated[float, typer.Option(help="Fraction of CBP monthly totals.")] = 0.01,
    out: Annotated[Path | None, typer.Option(help="Write JSON lines here, not the store.")] = None,
) -> None:
    """Generate deterministic synthetic field data (flagged synthetic everywhere)."""
    from tearline.demo.load import demo_records

    # Written to a file, statements carry no id (record_json), so a throwaway key
    # serves: no workspace is needed. Into the store, they get the store's ids.
    keyer = StatementKeyer(os.urandom(32)) if out is not None else STATE.store().keyer
    records = list(demo_records(seed, STATE.settings.data_dir, scale, keyer=keyer))
    if out is not None:
        with private_text(out) as fh:
            for rec in records:
                fh.write(json.dumps(record_json(rec, provenance=False), ensure_ascii=False) + "\n")
        console.print(_("{n:,} synthetic records written to {out}").format(n=len(records),
                                                                          out=out))
        return
    write_all(STATE.store(), records, f"synthetic data (seed {seed})")
