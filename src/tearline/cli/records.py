"""Reading records through the policy: ``show``, ``search``, ``list``, ``stats``, ``export``."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Annotated, Any

import typer
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
    err,
)
from tearline.cli.exporting import Copy, ExportFormat, write_other
from tearline.cli.language import _
from tearline.cli.trace import check_returned
from tearline.errors import Conflict, tr
from tearline.files import private_text
from tearline.model.record import Record
from tearline.model.statement import Statement


def record_json(rec: Record, provenance: bool = True) -> dict[str, Any]:
    """A record as a FollowTheMoney entity with tearline's marking keys, and (with
    ``provenance``) each value's provenance under ``statements``. ``tearline ingest``
    reads such a line back; what it stores is stated by the ingesting unit, so it
    reads past that key."""
    data = rec.to_ftm()
    data["marking"] = rec.marking.to_dict()
    portions = {s.prop: s.marking.to_dict() for s in rec.statements if s.marking is not None}
    if portions:
        data["portions"] = portions
    if rec.synthetic:
        data["synthetic"] = True
    if provenance:
        data["statements"] = [statement_json(s) for s in rec.statements]
    return data


def statement_json(st: Statement) -> dict[str, Any]:
    """One value with its provenance: the fields of the API's statement object."""
    return {"id": st.id, "prop": st.prop, "value": st.value,
            "original_value": st.original_value, "origin": st.origin, "author": st.author,
            "reliability": st.reliability.value, "credibility": st.credibility.value,
            "grade": f"{st.reliability.value}{st.credibility.value}",
            "first_seen": _instant(st.first_seen), "last_seen": _instant(st.last_seen),
            "marking": st.marking.to_dict() if st.marking is not None else None}


def record_object(rec: Record) -> dict[str, Any]:
    """``show --format json``: the record as the API's record object names its fields
    (``originator``, ``author``, ``version``, …), each value with its provenance."""
    data = record_json(rec)
    return {"id": data.pop("id"), "schema": data.pop("schema"), "caption": rec.caption(),
            "originator": rec.originator, "author": rec.author, "version": rec.version,
            "synthetic": rec.synthetic, "retracted": rec.retracted,
            "created_at": _instant(rec.created_at), "modified_at": _instant(rec.modified_at),
            **data}


def _instant(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat().replace("+00:00", "Z")


def record_rows(records: Sequence[Record]) -> list[dict[str, Any]]:
    return [{"id": r.id, "schema": r.schema, "caption": r.caption(),
             "marking": str(r.marking), "originator": r.originator,
             "synthetic": "SYNTHETIC" if r.synthetic else ""} for r in records]


@app.command()
def show(entity_id: str, as_: AsOption = None, at: AtOption = None,
         fmt: FormatOption = Format.table) -> None:
    """Show the tear-line view of one record for the acting unit."""
    subject = acting(as_)
    rec = STATE.store().read(subject, at_time(at), entity_id)
    if fmt in (Format.json, Format.jsonl):
        # One record is one JSON object (pretty for json, one line for jsonl).
        indent = 2 if fmt is Format.json else None
        sys.stdout.write(json.dumps(record_object(rec), ensure_ascii=False, indent=indent)
                         + "\n")
        return
    if fmt is Format.table:
        console.print(Text.assemble(
            (rec.caption(), "bold"), f"  {rec.schema} {rec.id} v{rec.version}",
            (_("  SYNTHETIC"), "bold red") if rec.synthetic else ""))
        console.print(_("marking: {marking}   originator: {originator}").format(
            marking=rec.marking, originator=rec.originator))
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
    subject = acting(as_)
    check_returned(str(subject), "search", [query])
    found = STATE.store().search(subject, at_time(at), query, schema, limit=limit)
    emit(record_rows(found), fmt, ["id", "schema", "caption", "marking", "synthetic"],
         title=_("{n} results for {query!r} as {subject}").format(n=len(found), query=query,
                                                                   subject=subject))
    if len(found) == limit:
        err.print(_("the first {n} results: --limit {more} shows more").format(
            n=limit, more=2 * limit), highlight=False, soft_wrap=True)


@app.command("list")
def list_records(as_: AsOption = None, at: AtOption = None,
                 schema: Annotated[str | None, typer.Option(help="Only this schema.")] = None,
                 after: Annotated[str | None, typer.Option(help="Page after this id.")] = None,
                 limit: Annotated[int, typer.Option(help="Page size.")] = 50,
                 fmt: FormatOption = Format.table) -> None:
    """List records visible to the acting unit, in id order."""
    subject = acting(as_)
    found = STATE.store().page(subject, at_time(at), schema, after, limit)
    emit(record_rows(found), fmt, ["id", "schema", "caption", "marking", "synthetic"])
    if len(found) == limit:
        # On stderr: stdout stays the listing (JSON, CSV) a script reads.
        err.print(_("next page: {command}").format(
            command=next_page_command(as_, at, schema, found[-1].id, limit)),
                  highlight=False, soft_wrap=True)


def next_page_command(as_: str | None, at: str | None, schema: str | None, last: str,
                      limit: int) -> str:
    """The `tearline list` command that shows the page after ``last``."""
    words = ["tearline", "list", "--as", as_ or "", "--after", last]
    if schema:
        words += ["--schema", schema]
    if at:
        words += ["--at", at]
    if limit != 50:
        words += ["--limit", str(limit)]
    return " ".join(shlex.quote(w) for w in words)


@app.command()
def stats(as_: AsOption = None, at: AtOption = None, fmt: FormatOption = Format.table) -> None:
    """Count the records of each schema that the acting unit may see."""
    subject = acting(as_)
    counts = STATE.store().stats(subject, at_time(at))
    rows = [{"schema": k, "records": v} for k, v in counts.items()]
    emit(rows, fmt, ["schema", "records"],
         title=_("Records visible to {subject}").format(subject=subject))


@app.command()
def export(out: Annotated[Path, typer.Option(
               help="FollowTheMoney JSON lines or STIX file; MISP: a feed folder.")],
           as_: AsOption = None, at: AtOption = None,
           schema: Annotated[str | None, typer.Option(help="Only this schema.")] = None,
           force: Annotated[bool, typer.Option(
               "--force", help="Overwrite --out if it exists.")] = False,
           fmt: Annotated[ExportFormat, typer.Option(
               "--format", help="ftm (JSON lines), csv (one row per value), stix (standard "
               "STIX 2.1 bundle) or misp (a MISP feed: event files and manifest.json)."),
           ] = ExportFormat.ftm,
           ) -> None:
    """Export what the acting unit may see and its agency may pass on, as FollowTheMoney
    JSON lines with markings and each value's provenance (an ORCON value of another
    agency only with its consent), a standard STIX bundle or a MISP feed (portions as
    objects of their own). A MISP feed folder is brought up to date in place."""
    subject = acting(as_)
    if fmt is not ExportFormat.ftm:
        if fmt in (ExportFormat.stix, ExportFormat.csv) and out.exists() and not force:
            raise Conflict(tr("{out} exists: nothing was exported (--force overwrites it)",
                              out=out))
        said = write_other(fmt, STATE.store(), subject, at_time(at), schema, out)
        console.print(said, highlight=False)
        return
    store, when, after, n, marked = STATE.store(), at_time(at), None, 0, 0
    copy = Copy(store, subject, "json")
    with _output(out, force) as fh:
        while True:
            page = store.page(subject, when, schema, after, 500, path="export",
                              handed_on_by=subject.agency)
            for rec in page:
                line = record_json(copy.record(rec))
                mark = copy.mark_of(rec)
                if mark is not None:
                    line["copy"], marked = mark, marked + 1
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            n += len(page)
            if len(page) < 500:
                break
            after = page[-1].id
    copy.log(marked)
    console.print(_("{n:,} records exported to {out}").format(n=n, out=out))


@contextmanager
def _output(out: Path, force: bool) -> Iterator[IO[str]]:
    """``out`` for writing; an existing file only with ``force`` (never silently)."""
    try:
        with private_text(out, exclusive=not force) as fh:
            yield fh
    except FileExistsError:
        raise Conflict(tr("{out} exists: nothing was exported (--force overwrites it)",
                          out=out)) from None
