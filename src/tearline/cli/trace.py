"""``tearline trace FILE`` and ``tearline canary …``: whose copy a leak is; honeytokens.

Both act for the node (no ``--as``): they read the node's trace secret and the marks it
released, which no unit is ever shown (``docs/trace.md``).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from tearline.cli.common import STATE, Format, FormatOption, app, console, emit, err
from tearline.cli.language import _
from tearline.errors import ConfigError, InputError, LegalBasisError, Problem, tr
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import basis_facts, trace_store
from tearline.store import legal_basis as basis_rules
from tearline.trace.evidence import Finding, Tally, weigh
from tearline.trace.fingerprint import marks_in, order_agreement
from tearline.trace.honey import canary
from tearline.trace.reading import read_leak
from tearline.trace.textmarks import CHANCE, agreement, carries_choices, observed

canary_app = typer.Typer(help="Honeytokens: canary records for one recipient, and alerts.",
                         no_args_is_help=True)
app.add_typer(canary_app, name="canary")


def pdf_text(path: Path) -> bytes:
    """The text of a PDF, as ``pdftotext`` (poppler-utils) extracts it."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise ConfigError(tr("reading a PDF needs pdftotext (Debian: poppler-utils)"))
    done = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=False, timeout=120)
    if done.returncode != 0:
        raise InputError(tr(
            "{name}: pdftotext could not read it ({stderr})",
            name=path.name, stderr=done.stderr.decode('utf-8', 'replace').strip()[:200]))
    return done.stdout


def trace_file(path: Path) -> list[Finding]:
    """The recipients whose copy ``path`` may be, best first (named or not)."""
    data = path.read_bytes()
    leak = read_leak(pdf_text(path) if data.startswith(b"%PDF") else data)
    with STATE.store().reading() as conn:
        fp = trace_store.fingerprinter(conn)
        found = trace_store.released(conn, marks_in(leak.text))
        candidates = sorted(set(trace_store.recipients(conn)) | {r.recipient for r in found})
        public = trace_store.public_records(conn, sorted({rid for rid, _ in leak.orders}))
    marks: dict[str, list[tuple[str, str]]] = {}
    for r in found:
        marks.setdefault(r.recipient, []).append((r.mark, r.channel))
    orders = [(rid, ids) for rid, ids in leak.orders if rid not in public and len(ids) > 1]
    choices = observed(leak.text) if carries_choices([leak.text]) else {}
    tallies: dict[str, list[Tally]] = {}
    for who in candidates:
        mine: list[Tally] = []
        if orders:
            pairs = [order_agreement(fp, who, rid, ids) for rid, ids in orders]
            mine.append(Tally("order", sum(a for a, _ in pairs), sum(n for _, n in pairs),
                              len(orders)))
        if choices:
            mine.append(Tally("text", agreement(fp, who, choices), len(choices),
                              chance=CHANCE))
        tallies[who] = mine
    return weigh(marks, tallies, len(candidates))


@app.command("trace")
def trace(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                               help="The leaked file: JSON, CSV, HTML, "
                                                    "PDF or text.")],
          fmt: FormatOption = Format.table) -> None:
    """Name the recipient(s) whose copy a leaked file is, with the evidence and a confidence.

    Reads copy marks, the order of each record's values and a report's text choices
    (docs/trace.md). A copy of public (TLP:CLEAR) data names no one."""
    findings = trace_file(path)
    rows = [{"recipient": f.recipient, "confidence": f"{f.confidence:.6f}",
             "named": "yes" if f.named else "no", "evidence": "; ".join(f.evidence)}
            for f in findings]
    if fmt is Format.json:
        emit([f.to_dict() for f in findings], fmt, [])
    else:
        emit(rows, fmt, ["recipient", "confidence", "named", "evidence"],
             title=_("whose copy {name} is").format(name=path.name))
    if not any(f.named for f in findings):
        err.print(_("no recipient named: the file carries no fingerprint this node released "
                    "(public data, a paraphrase, or not a copy of ours)"), highlight=False,
                  soft_wrap=True)


@canary_app.command("plant")
def plant(recipient: Annotated[str, typer.Option("--for", help="The one unit the canary "
                                                 "is released to (unit id).")],
          by: Annotated[str, typer.Option("--by", help="The planting unit or analyst "
                                          "(name@unit): the record's author.")],
          legal_basis: Annotated[str | None, typer.Option(
              "--legal-basis", help="The agreement the release cites.")] = None,
          salt: Annotated[str, typer.Option(help="Tells apart several canaries for one "
                                            "recipient.")] = "1") -> None:
    """Write a canary Person released to one recipient unit only (TLP:RED), and remember
    its selectors: when one comes back from anyone else, an alert names the recipient.
    The node's operator plants it, naming the planting unit (--by) as its author."""
    store = STATE.store()
    planter = store.subject(by)
    target = store.subject(recipient)
    if target.analyst or target.agency == planter.agency:
        raise InputError(tr(
            "--for names a unit of another agency (a canary is released to one foreign unit)"))
    with store.reading() as conn:
        made = canary(trace_store.fingerprinter(conn), str(target), salt)
    now = datetime.now(UTC)
    if not legal_basis:
        raise InputError(tr(
            "a canary is released to a foreign unit: cite the agreement (--legal-basis)"))
    marking = Marking.build("RED", [f"unit:{target.unit}"], legal_basis=legal_basis)
    with store.reading() as conn:
        why = basis_rules.judge(basis_facts(conn), planter.agency, now)(marking)
    if why is not None:
        raise LegalBasisError(tr("legal basis refused; no canary was planted"),
                              [Problem(why, column="--legal-basis")])
    record = build_record(made.entity_id, "Person", made.properties(),
                          Provenance(planter.agency, planter.unit, now), marking,
                          keyer=store.keyer)
    summary = store.write([record], by=str(planter))
    if not summary.records_new:
        raise InputError(tr(
            "a canary with salt {salt!r} for {unit} exists already", salt=salt, unit=target.unit))
    with store.transaction() as conn:
        trace_store.plant(conn, made, str(target), str(planter), now)
    console.print(_("canary {id} planted for {unit}").format(id=made.entity_id,
                                                             unit=target.unit), highlight=False)


@canary_app.command("list")
def list_canaries(fmt: FormatOption = Format.table) -> None:
    """The canaries planted, with their recipient (administrators only)."""
    with STATE.store().reading() as conn:
        rows = [{"entity_id": p.canary.entity_id, "recipient": p.recipient,
                 "planted_by": p.planted_by, "planted_at": p.planted_at}
                for p in trace_store.planted(conn)]
    emit(rows, fmt, ["entity_id", "recipient", "planted_by", "planted_at"])


@canary_app.command("alerts")
def alerts(fmt: FormatOption = Format.table) -> None:
    """Canaries that came back, newest first: who brought each back, where, and the
    recipient it was given to."""
    with STATE.store().reading() as conn:
        rows = [a.to_dict() for a in trace_store.alerts(conn)]
    emit(rows, fmt, ["at", "entity_id", "recipient", "returned_by", "path", "selector"])


def check_returned(by: str, path: str, texts: list[str]) -> None:
    """Alert on any canary in ``texts`` brought back by ``by`` (a search, an import, a
    deconfliction check): committed on its own, whatever the command does next."""
    store = STATE.store()
    with store.transaction() as conn:
        trace_store.check_return(conn, by, path, datetime.now(UTC), texts=texts)
