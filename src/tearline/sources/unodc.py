"""UNODC annual drug seizures by country and drug, in kilograms equivalent.

Header: ``Region, country, ISO Code, Drug Group, Drug, Year, KG Equivalent``.
``NULL`` marks a missing value: a missing quantity stays ``None`` (never 0), and a
missing ISO code (former states such as the USSR or Serbia and Montenegro) stays
``None`` with the country name kept.

A country, drug and year may have several rows (about 6,000 such groups): a
country may report several figures (per reporting agency, or per unit of measure —
kilograms, litres, units — each converted to kilograms equivalent). They are kept
as published, one row each, and :func:`annual_totals` adds them into the year's
figure. There is no separate fentanyl category (it falls under opioids).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tearline.errors import IngestError, Problem, tr
from tearline.sources.provenance import (
    FileProvenance,
    decode_text,
    provenance_of,
    sha256_hex,
)

HEADER: tuple[str, ...] = (
    "Region",
    "country",
    "ISO Code",
    "Drug Group",
    "Drug",
    "Year",
    "KG Equivalent",
)
MISSING = "NULL"


@dataclass(frozen=True, slots=True)
class UnodcRow:
    year: int
    region: str
    country: str
    iso3: str | None
    drug_group: str
    drug: str
    kg: float | None  # None where UNODC published NULL


@dataclass(frozen=True, slots=True)
class UnodcSeries:
    rows: tuple[UnodcRow, ...]
    files: tuple[FileProvenance, ...]


def parse_unodc_text(text: str, file: str) -> list[UnodcRow]:
    """Parse the UNODC file's text; raise IngestError listing every problem."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != HEADER:
        raise IngestError(
            tr("{file} is not a UNODC seizure file", file=file),
            [Problem(tr(
                "header is {header!r}, expected {HEADER!r}",
                header=header, HEADER=list(HEADER)), file, 1)],
        )
    problems: list[Problem] = []
    rows: list[UnodcRow] = []
    for cells in reader:
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(HEADER):
            problems.append(Problem(tr(
                "{cells_count} fields, expected {HEADER_count}",
                cells_count=len(cells), HEADER_count=len(HEADER)), file, line))
            continue
        row = _parse_row([c.strip() for c in cells], file, line, problems)
        if row is not None:
            rows.append(row)
    if problems:
        raise IngestError(tr(
            "{file}: {problems_count} problem(s)",
            file=file, problems_count=len(problems)), problems)
    return rows


def _parse_row(cells: list[str], file: str, line: int, problems: list[Problem]) -> UnodcRow | None:
    region, country, iso, group, drug, year_text, kg_text = cells
    before = len(problems)
    for column, value in (("Region", region), ("country", country), ("Drug", drug)):
        if not value or value == MISSING:
            problems.append(Problem(tr("missing"), file, line, column))
    year = 0
    try:
        year = int(year_text)
        if not 1900 <= year <= 2100:
            problems.append(Problem(tr("year {year} out of range", year=year), file, line, "Year"))
    except ValueError:
        problems.append(Problem(tr(
            "not a year: {year_text!r}", year_text=year_text), file, line, "Year"))
    kg: float | None = None
    if kg_text != MISSING:
        try:
            kg = float(kg_text)
            if not math.isfinite(kg) or kg < 0:
                raise ValueError(kg_text)
        except ValueError:
            problems.append(
                Problem(tr(
                    "not a non-negative number: {kg_text!r}",
                    kg_text=kg_text), file, line, "KG Equivalent")
            )
    if iso != MISSING and (len(iso) != 3 or not iso.isalpha()):
        problems.append(Problem(tr(
            "not an ISO 3166 alpha-3 code: {iso!r}", iso=iso), file, line, "ISO Code"))
    if len(problems) > before:
        return None
    return UnodcRow(
        year=year,
        region=region,
        country=country,
        iso3=None if iso == MISSING else iso.upper(),
        drug_group=group,
        drug=drug,
        kg=kg,
    )


#: Rows parsed, by the SHA-256 of the file's bytes and its name (a problem names the
#: file): every report of a process reads the same reference file, and parsing its
#: tens of thousands of rows again each time would be most of what reading it costs.
#: A file that changes has another digest and is parsed anew; only a few are kept.
_parsed: dict[tuple[str, str], tuple[UnodcRow, ...]] = {}
_KEPT = 4


def read_unodc(path: Path) -> UnodcSeries:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(tr(
            "cannot read {path}", path=path), [Problem(str(exc), path.name)]) from exc
    key = (sha256_hex(data), path.name)
    rows = _parsed.get(key)
    if rows is None:
        try:
            text = decode_text(data)
        except UnicodeDecodeError as exc:
            raise IngestError(tr(
                "cannot read {path}", path=path), [Problem(str(exc), path.name)]) from exc
        rows = tuple(parse_unodc_text(text, path.name))
        if len(_parsed) >= _KEPT:
            _parsed.clear()
        _parsed[key] = rows
    return UnodcSeries(rows=rows, files=(provenance_of(path, data, len(rows)),))


def default_unodc_path(data_dir: Path) -> Path:
    folder = data_dir / "unodc" if (data_dir / "unodc").is_dir() else data_dir
    return folder / "seizures_1970-2019.csv"


def annual_totals(
    rows: Iterable[UnodcRow], *, iso3: str | None = None, drug: str | None = None
) -> dict[tuple[int, str | None, str], float]:
    """Kilograms equivalent per (year, ISO code, drug); missing quantities are skipped."""
    totals: dict[tuple[int, str | None, str], float] = {}
    for row in rows:
        if row.kg is None:
            continue
        if iso3 is not None and row.iso3 != iso3.upper():
            continue
        if drug is not None and row.drug != drug:
            continue
        key = (row.year, row.iso3, row.drug)
        totals[key] = totals.get(key, 0.0) + row.kg
    return dict(sorted(totals.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])))
