"""U.S. Customs and Border Protection drug seizures: monthly aggregates.

The files (``nationwide-drugs-fy19-fy22.csv``, ``nationwide-drugs-fy20-fy23.csv``)
hold one row per fiscal month × component × region × land filter × area of
responsibility × drug, with the number of seizure events and the pounds seized.
They are aggregates and stay aggregates: nothing here turns them into incidents.

Fiscal years begin in October: FY2020 runs from 2019-10-01 to 2020-09-30, so
``OCT`` of FY2020 is October 2019 and ``JAN`` of FY2020 is January 2020.

The two published files overlap on FY2020–FY2022. Each calendar month is taken from
exactly one file (see :mod:`tearline.sources.cbp_merge` for which one and why).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tearline.analysis.frame import AggregateRow, SeizureFrame, aggregate_frame
from tearline.analysis.units import lb_to_kg
from tearline.errors import IngestError, Problem, tr
from tearline.sources.cbp_merge import OverlapCheck, merge_files
from tearline.sources.provenance import FileProvenance, decode_text, provenance_of

HEADER: tuple[str, ...] = (
    "FY",
    "Month (abbv)",
    "Component",
    "Region",
    "Land Filter",
    "Area of Responsibility",
    "Drug Type",
    "Count of Event",
    "Sum Qty (lbs)",
)

MONTHS: dict[str, int] = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}

#: CBP's drug labels mapped to the lower-case vocabulary of tearline's Seizure
#: records, so that a filter such as ``drug="fentanyl"`` means the same on both.
DRUG_NAMES: dict[str, str] = {
    "Fentanyl": "fentanyl",
    "Methamphetamine": "methamphetamine",
    "Cocaine": "cocaine",
    "Heroin": "heroin",
    "Marijuana": "marijuana",
    "Ecstasy": "ecstasy",
    "Ketamine": "ketamine",
    "Lsd": "lsd",
    "Khat (Catha Edulis)": "khat",
    "Other Drugs**": "other",
}

DEFAULT_FILES: tuple[str, ...] = (
    "nationwide-drugs-fy19-fy22.csv",
    "nationwide-drugs-fy20-fy23.csv",
)


@dataclass(frozen=True, slots=True)
class CbpRow:
    """One monthly aggregate as CBP published it (weights in pounds, as published)."""

    fiscal_year: int
    month: date  # first day of the calendar month
    component: str
    region: str
    land_filter: str
    area_of_responsibility: str
    drug: str  # tearline's lower-case name, see DRUG_NAMES
    drug_label: str  # CBP's own label
    events: int
    pounds: float

    @property
    def key(self) -> tuple[date, str, str, str, str, str]:
        return (
            self.month,
            self.component,
            self.region,
            self.land_filter,
            self.area_of_responsibility,
            self.drug_label,
        )


@dataclass(frozen=True, slots=True)
class CbpSeries:
    """The de-duplicated monthly series, with the provenance of every file read."""

    rows: tuple[CbpRow, ...]
    files: tuple[FileProvenance, ...]
    overlap: OverlapCheck
    #: for each calendar month, the name of the file it was taken from
    month_source: dict[date, str]


def normalize_drug(label: str) -> str:
    """tearline's name for a drug label (CBP's or a user's); unknown labels lower-cased."""
    known = DRUG_NAMES.get(label.strip())
    if known is not None:
        return known
    return label.strip().rstrip("*").strip().lower()


def fiscal_month(fiscal_year: int, month_number: int) -> date:
    """First day of the calendar month for a month of a fiscal year starting in October."""
    year = fiscal_year - 1 if month_number >= 10 else fiscal_year
    return date(year, month_number, 1)


def fiscal_year_of(day: date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def parse_cbp_text(text: str, file: str) -> list[CbpRow]:
    """Parse one CBP file's text; raise IngestError listing every problem found."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise IngestError(tr("{file} is empty", file=file), [Problem(tr("no header"), file, 1)])
    if tuple(h.strip() for h in header) != HEADER:
        raise IngestError(
            tr("{file} is not a CBP drug seizure file", file=file),
            [Problem(tr(
                "header is {header!r}, expected {HEADER!r}",
                header=header, HEADER=list(HEADER)), file, 1)],
        )
    rows: list[CbpRow] = []
    seen: dict[tuple[date, str, str, str, str, str], int] = {}
    for cells in reader:
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        row = _parse_row(cells, file, line, problems)
        if row is None:
            continue
        if row.key in seen:
            problems.append(Problem(tr("duplicate of line {seen}", seen=seen[row.key]), file, line))
            continue
        seen[row.key] = line
        rows.append(row)
    if problems:
        raise IngestError(tr(
            "{file}: {problems_count} problem(s)",
            file=file, problems_count=len(problems)), problems)
    return rows


def _parse_row(cells: list[str], file: str, line: int, problems: list[Problem]) -> CbpRow | None:
    if len(cells) != len(HEADER):
        problems.append(Problem(tr(
            "{cells_count} fields, expected {HEADER_count}",
            cells_count=len(cells), HEADER_count=len(HEADER)), file, line))
        return None
    values = dict(zip(HEADER, (c.strip() for c in cells), strict=True))
    before = len(problems)

    def fail(column: str, message: str) -> None:
        problems.append(Problem(message, file, line, column))

    fiscal_year = 0
    try:
        fiscal_year = int(values["FY"])
        if not 1990 <= fiscal_year <= 2100:
            fail("FY", f"fiscal year {fiscal_year} out of range")
    except ValueError:
        fail("FY", f"not a year: {values['FY']!r}")
    month_number = MONTHS.get(values["Month (abbv)"].upper())
    if month_number is None:
        fail("Month (abbv)", f"not a month abbreviation: {values['Month (abbv)']!r}")
    for column in HEADER[2:7]:
        if not values[column]:
            fail(column, "empty")
    events = 0
    try:
        events = int(values["Count of Event"])
        if events < 0:
            fail("Count of Event", "negative count")
    except ValueError:
        fail("Count of Event", f"not an integer: {values['Count of Event']!r}")
    pounds = 0.0
    try:
        pounds = float(values["Sum Qty (lbs)"])
        if not math.isfinite(pounds) or pounds < 0:
            fail("Sum Qty (lbs)", f"not a non-negative number: {values['Sum Qty (lbs)']!r}")
    except ValueError:
        fail("Sum Qty (lbs)", f"not a number: {values['Sum Qty (lbs)']!r}")
    if len(problems) > before or month_number is None:
        return None
    return CbpRow(
        fiscal_year=fiscal_year,
        month=fiscal_month(fiscal_year, month_number),
        component=values["Component"],
        region=values["Region"],
        land_filter=values["Land Filter"],
        area_of_responsibility=values["Area of Responsibility"],
        drug=normalize_drug(values["Drug Type"]),
        drug_label=values["Drug Type"],
        events=events,
        pounds=pounds,
    )


def default_cbp_paths(data_dir: Path) -> list[Path]:
    """The two published CBP files under ``data_dir`` (the shared ``data`` folder or
    its ``cbp`` sub-folder)."""
    folder = data_dir / "cbp" if (data_dir / "cbp").is_dir() else data_dir
    return [folder / name for name in DEFAULT_FILES]


def read_cbp(paths: Sequence[Path]) -> CbpSeries:
    """Read CBP files and merge them into one series, each month taken once."""
    parsed: list[tuple[FileProvenance, list[CbpRow]]] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise IngestError(tr(
                "cannot read {path}", path=path), [Problem(str(exc), path.name)]) from exc
        try:
            text = decode_text(data)
        except UnicodeDecodeError as exc:
            raise IngestError(tr(
                "{name} is not UTF-8", name=path.name), [Problem(str(exc), path.name)]) from exc
        rows = parse_cbp_text(text, path.name)
        parsed.append((provenance_of(path, data, len(rows)), rows))
    return merge_cbp(parsed)


def merge_cbp(parsed: Sequence[tuple[FileProvenance, list[CbpRow]]]) -> CbpSeries:
    rows, month_source, overlap = merge_files(parsed)
    return CbpSeries(
        rows=tuple(rows),
        files=tuple(p for p, _ in parsed),
        overlap=overlap,
        month_source=month_source,
    )


def monthly_totals(
    series: CbpSeries, drug: str | None = None, region: str | None = None
) -> dict[tuple[date, str], float]:
    """Pounds seized per (calendar month, drug), optionally for one drug and/or region."""
    wanted_drug = normalize_drug(drug) if drug is not None else None
    totals: dict[tuple[date, str], float] = {}
    for row in series.rows:
        if wanted_drug is not None and row.drug != wanted_drug:
            continue
        if region is not None and row.region != region:
            continue
        key = (row.month, row.drug)
        totals[key] = totals.get(key, 0.0) + row.pounds
    return dict(sorted(totals.items()))


def cbp_frame(series: CbpSeries) -> SeizureFrame:
    """The series as an analytics frame of monthly aggregates (pounds converted to kg).

    ``port`` holds the area of responsibility (field office or Border Patrol sector);
    origin is unknown (CBP publishes none); ``events`` is CBP's count of events.
    """
    return aggregate_frame(
        AggregateRow(
            month=row.month,
            drug=row.drug,
            kg=lb_to_kg(row.pounds),
            events=row.events,
            region=row.region,
            port=row.area_of_responsibility,
        )
        for row in series.rows
    )
