"""Assembling an assessment's inputs from the store, and writing assessments to files.

The Seizure records come through the policy (:meth:`Store.seizure_frame`: the
subject's visible statements only, and an audit entry for the read). The CBP
monthly series comes from the store when it was imported (``tearline
import-series cbp``), else from the reference files under ``data_dir`` when given;
it is public, the same for every unit, and shown apart from the records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tearline.analysis.frame import SeizureFrame
from tearline.errors import Problem, ValidationError, tr
from tearline.files import private_dir, write_private
from tearline.model.marking import Marking
from tearline.policy.subject import Subject
from tearline.reports.assessment import (
    AssessmentInput,
    AssessmentParams,
    Format,
    render_formats,
)
from tearline.reports.marked import ReportCopy
from tearline.reports.products import product_marking
from tearline.sources.cbp import CbpSeries, cbp_frame, default_cbp_paths, read_cbp
from tearline.sources.unodc import UnodcSeries, default_unodc_path, read_unodc
from tearline.store import (
    Store,
    Visibility,
    read_cbp_series,
    read_unodc_series,
    reader,
    trace_store,
)

_FY = re.compile(r"^FY(\d{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _end_of_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _bound(text: str, end: bool) -> date:
    """One side of a period: ``FY2023``, ``2023``, ``2023-05`` or ``2023-05-17``."""
    text = text.strip()
    if match := _FY.match(text):
        year = int(match.group(1))
        return date(year, 9, 30) if end else date(year - 1, 10, 1)
    if _YEAR.match(text):
        return date(int(text), 12, 31) if end else date(int(text), 1, 1)
    if _MONTH.match(text):
        first = date.fromisoformat(text + "-01")
        return _end_of_month(first) if end else first
    return date.fromisoformat(text)


def parse_period(text: str | None) -> tuple[date | None, date | None]:
    """``FY2023``, ``2023``, ``2023-05``, a date, or ``FROM..TO`` of those (either side open).

    Fiscal years begin in October (FY2023 is 2022-10-01..2023-09-30). Bounds are
    inclusive. Empty or ``all``: no bound.
    """
    if text is None or text.strip().lower() in ("", "all"):
        return None, None
    try:
        if ".." in text:
            low, high = text.split("..", 1)
            return (_bound(low, False) if low.strip() else None,
                    _bound(high, True) if high.strip() else None)  # fmt: skip
        return _bound(text, False), _bound(text, True)
    except ValueError as exc:
        raise ValidationError(
            tr("cannot read the period {text!r}", text=text),
            [Problem(tr("use FY2023, 2023, 2023-05, 2023-05-17 or FROM..TO"), column="period")],
        ) from exc


_SUFFIXES: dict[str, Format] = {".html": "html", ".htm": "html", ".pdf": "pdf", ".json": "json"}


def format_of(path: Path) -> Format:
    """The document format a file name asks for (``z.pdf``: PDF), or a ValidationError."""
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(
            tr("cannot tell the format from the file name {name!r}", name=path.name),
            [Problem(tr("name the file .html, .pdf or .json, or give --format html|pdf|json"),
                     column="format")],
        )  # fmt: skip
    return fmt


def subject_name(subject: Subject) -> str:
    """How a report names who it was produced for: the analyst (name@unit) or the unit."""
    return subject.analyst or subject.unit


def cbp_series(store: Store, data_dir: Path | None) -> CbpSeries | None:
    with store.reading() as conn:
        series = read_cbp_series(conn)
    if series is None and data_dir is not None:
        series = read_cbp(default_cbp_paths(data_dir))
    return series


def unodc_series(store: Store, data_dir: Path | None) -> UnodcSeries | None:
    """The UNODC series as imported (``tearline import-series unodc``), else the reference
    file under ``data_dir`` when given and present; None without either."""
    with store.reading() as conn:
        series = read_unodc_series(conn)
    if series is None and data_dir is not None and default_unodc_path(data_dir).is_file():
        series = read_unodc(default_unodc_path(data_dir))
    return series


def assessment_input(
    store: Store,
    subject: Subject,
    at: datetime,
    series: CbpSeries | None = None,
    unodc: UnodcSeries | None = None,
    aggregates: SeizureFrame | None = None,
) -> AssessmentInput:
    """The subject's visible Seizure records (audited read), with the published series
    (CBP monthly, UNODC annual) if given; ``aggregates``: ``cbp_frame(series)`` when the
    caller already built it (it is the same for every unit)."""
    frame = store.seizure_frame(subject, at)
    files = (() if series is None else series.files) + (() if unodc is None else unodc.files)
    if aggregates is None and series is not None:
        aggregates = cbp_frame(series)
    return AssessmentInput(
        subject=subject_name(subject),
        seizures=frame,
        aggregates=aggregates,
        sources=files,
        unodc=None if unodc is None else unodc.rows,
        markings=input_markings(store, subject, at, frame.table.column("entity_id").to_pylist()),
    )


def input_markings(store: Store, subject: Subject, at: datetime,
                   ids: Sequence[str]) -> tuple[Marking, ...]:
    """The distinct markings of the records ``ids`` as ``subject`` sees them: each
    record's and each visible portion's (a hidden portion is not an input). The figures
    read was logged already; this reads the same records' markings, unlogged."""
    found: dict[str, Marking] = {}
    with store.reading() as conn:
        for rec in reader.read_records(conn, Visibility(subject, at), sorted(set(ids))):
            found.setdefault(rec.marking.id, rec.marking)
            for st in rec.statements:
                if st.marking is not None:
                    found.setdefault(st.marking.id, st.marking)
    return tuple(found[k] for k in sorted(found))


def write_assessments(
    store: Store,
    units: Sequence[str],
    out_dir: Path,
    at: datetime,
    data_dir: Path | None,
    params: AssessmentParams | None = None,
    formats: Sequence[Format] = ("html", "pdf"),
) -> list[Path]:
    """One assessment per unit (HTML and PDF by default), each from what that unit may see.

    Files are ``out_dir/assessment-<unit>.<format>``. The policy is evaluated at
    ``at``, which is also the stated generation time, so that the same data gives
    the same files. The published series are read and framed once for every unit, and
    each unit's figures are computed once for all its formats.
    """
    private_dir(out_dir)
    series = cbp_series(store, data_dir)
    unodc = unodc_series(store, data_dir)
    aggregates = None if series is None else cbp_frame(series)
    params = replace(params or AssessmentParams(), generated_at=at)
    written: list[Path] = []
    for unit in units:
        subject = store.subject(unit)
        data = assessment_input(store, subject, at, series, unodc, aggregates)
        copy = report_copy(store, subject)
        for fmt, document in render_formats(data, params, formats, copy=copy).items():
            path = out_dir / f"assessment-{unit}.{fmt}"
            write_private(path, document)
            written.append(path)
        log_report(store, copy, data)
    return written


def report_copy(store: Store, subject: Subject) -> ReportCopy:
    """The fingerprint of ``subject``'s copies of a report (``reports/marked.py``)."""
    with store.reading() as conn:
        return ReportCopy(trace_store.fingerprinter(conn), str(subject))


def log_report(store: Store, copy: ReportCopy, data: AssessmentInput) -> None:
    """Index and log the copy mark of a report written for ``copy.recipient`` (nothing
    for a public one, which carries none)."""
    mark = copy.mark_for(product_marking(data.markings))
    if mark is not None:
        with store.transaction() as conn:
            trace_store.record_copy(conn, copy.recipient, "report", mark, data.seizures.rows,
                                    copy.recipient, datetime.now(UTC))
