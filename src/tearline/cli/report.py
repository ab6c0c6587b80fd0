"""Threat assessments: importing the published series, and producing reports."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tearline import i18n
from tearline.cli.common import STATE, AsOption, AtOption, app, at_time, console
from tearline.cli.language import _, cli_locale
from tearline.errors import InputError, tr
from tearline.files import write_private

report_app = typer.Typer(help="Threat assessments and other documents.", no_args_is_help=True)
app.add_typer(report_app, name="report")


class SeriesSource(StrEnum):
    cbp = "cbp"
    unodc = "unodc"


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    json = "json"


class YearKind(StrEnum):
    fiscal = "fiscal"
    calendar = "calendar"


@app.command("import-series")
def import_series_command(
    source: Annotated[SeriesSource, typer.Argument(help="cbp (monthly) or unodc (annual).")],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(exists=True, dir_okay=False,
                       help="Files (default: the reference data folder's)."),
    ] = None,
) -> None:
    """Import published aggregate series with their provenance (idempotent by SHA-256).

    Aggregates stay aggregates (never incidents), and are public: every unit sees them.
    """
    # The series readers bring Arrow: imported by this command alone, not by every start
    # of the command line.
    from tearline.sources.cbp import default_cbp_paths
    from tearline.sources.unodc import default_unodc_path
    from tearline.store import import_series

    if not paths:
        data_dir = STATE.settings.data_dir
        paths = (default_cbp_paths(data_dir) if source is SeriesSource.cbp
                 else [default_unodc_path(data_dir)])  # fmt: skip
    store = STATE.store()
    with store.transaction() as conn:
        done = import_series(conn, source.value, paths, datetime.now(UTC))
    for item in done:
        state = _("imported") if item.new else _("already stored")
        console.print(_("{name}: {state}, {rows:,} rows, sha256 {sha256}").format(
            name=item.provenance.name, state=state, rows=item.provenance.rows,
            sha256=item.provenance.sha256))


@report_app.command("assessment")
def assessment(
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    as_: AsOption = None,
    at: AtOption = None,
    period: Annotated[
        str | None,
        typer.Option(help="FY2023, 2023, 2023-05, a date, or FROM..TO (default: all)."),
    ] = None,
    drug: Annotated[str, typer.Option(help="Drug the figures are for.")] = "fentanyl",
    origin: Annotated[
        list[str] | None, typer.Option(help="Origin countries to compare (default mx, cn).")
    ] = None,
    years: Annotated[YearKind, typer.Option(help="Year-on-year by fiscal or calendar year.")] = (
        YearKind.fiscal
    ),
    weight: Annotated[str, typer.Option(help="gross or net weight.")] = "gross",
    cbp: Annotated[bool, typer.Option(help="Show the CBP monthly series as context.")] = True,
    unodc: Annotated[
        bool, typer.Option(help="Show UNODC's yearly series (Mexico, U.S.) as context.")
    ] = True,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="html, pdf or json (default: from --out's suffix)."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="es-MX or en-US: the document's language (default: "
                     "TEARLINE_LANG, then LANG)."),
    ] = None,
) -> None:
    """A threat assessment built only from what the acting unit may see.

    The document states who it was produced for, its exact parameters, the sources
    with their SHA-256, and a digest of its inputs; with --at fixed, running it
    again over the same data gives the same figures and digest.
    """
    # charts and PDF rendering are heavy to import: only this command pays for them
    from tearline.reports.assessment import AssessmentParams, check_params, render_assessment
    from tearline.reports.build import (
        assessment_input,
        cbp_series,
        format_of,
        log_report,
        parse_period,
        report_copy,
        unodc_series,
    )

    chosen = fmt.value if fmt is not None else format_of(out)
    if not as_:
        raise InputError(tr("say who the assessment is for: --as UNIT or --as name@UNIT"))
    if weight not in ("gross", "net"):
        raise InputError(tr("--weight must be gross or net, not {weight!r}", weight=weight))
    store = STATE.store()
    subject = store.subject(as_)
    when = at_time(at)
    start, end = parse_period(period)
    params = AssessmentParams(
        drug=drug.strip().lower(),
        start=start,
        end=end,
        origins=tuple(o.strip().lower() for o in origin) if origin else ("mx", "cn"),
        weight="gross" if weight == "gross" else "net",
        period="fiscal_year" if years is YearKind.fiscal else "year",
        generated_at=when.replace(microsecond=0) if at else None,
    )
    params = check_params(params, when.date())  # before anything is read
    data_dir = STATE.settings.data_dir
    series = cbp_series(store, data_dir) if cbp else None
    yearly = unodc_series(store, data_dir) if unodc else None
    data = assessment_input(store, subject, when, series, yearly)
    copy = report_copy(store, subject)
    locale = i18n.negotiate(lang) if lang else cli_locale()
    write_private(out, render_assessment(data, params, chosen, locale, copy))
    log_report(store, copy, data)
    console.print(_("assessment for {subject} ({rows:,} seizure records visible) written to "
                    "{out}").format(subject=data.subject, rows=data.seizures.rows, out=out))
