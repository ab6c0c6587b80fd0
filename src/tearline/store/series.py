"""Importing and reading the published aggregate series, idempotent by file hash.

Each file is parsed whole (a bad row rejects the file, listing every problem) before
anything is written; a file whose SHA-256 is already stored is skipped, so importing
the same files again changes nothing. The rows of every file are kept as published;
overlapping CBP files are merged when the series is *read*, with the rule of
:mod:`tearline.sources.cbp_merge` (each month taken once), so that adding a newer
publication later gives the same series as importing both at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, insert, select

from tearline.errors import IngestError, Problem, tr
from tearline.sources.cbp import CbpRow, CbpSeries, merge_cbp, parse_cbp_text
from tearline.sources.provenance import FileProvenance, decode_text, sha256_hex
from tearline.sources.unodc import UnodcRow, UnodcSeries, parse_unodc_text
from tearline.store import tables as t
from tearline.store.series_tables import cbp_rows, series_files, unodc_rows

Source = Literal["cbp", "unodc"]
SOURCES: tuple[Source, ...] = ("cbp", "unodc")


@dataclass(frozen=True, slots=True)
class ParsedFile:
    source: Source
    provenance: FileProvenance
    rows: tuple[CbpRow, ...] | tuple[UnodcRow, ...]


@dataclass(frozen=True, slots=True)
class Imported:
    provenance: FileProvenance
    new: bool  # False: a file with the same SHA-256 was already stored


def parse_file(source: Source, path: Path) -> ParsedFile:
    """Read and parse one series file (nothing is written)."""
    try:
        data = path.read_bytes()
        text = decode_text(data)
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(tr(
            "cannot read {path}", path=path), [Problem(str(exc), path.name)]) from exc
    rows: tuple[CbpRow, ...] | tuple[UnodcRow, ...]
    if source == "cbp":
        rows = tuple(parse_cbp_text(text, path.name))
    elif source == "unodc":
        rows = tuple(parse_unodc_text(text, path.name))
    else:
        raise IngestError(tr(
            "unknown series source {source!r}: one of {SOURCES}",
            source=source, SOURCES=', '.join(SOURCES)))
    return ParsedFile(source, FileProvenance(path.name, sha256_hex(data), len(rows)), rows)


def store_file(conn: Connection, parsed: ParsedFile, at: datetime) -> Imported:
    """Store one parsed file inside the caller's transaction, unless already stored."""
    prov = parsed.provenance
    known = conn.execute(
        select(series_files.c.sha256).where(series_files.c.sha256 == prov.sha256)
    ).first()
    if known is not None:
        return Imported(prov, new=False)
    conn.execute(
        insert(series_files).values(
            sha256=prov.sha256, source=parsed.source, name=prov.name, rows=prov.rows,
            imported_at=t.ts(at),
        )
    )  # fmt: skip
    if not parsed.rows:
        return Imported(prov, new=True)
    if parsed.source == "cbp":
        table, values = cbp_rows, [_cbp_values(r) for r in parsed.rows if isinstance(r, CbpRow)]
    else:
        table = unodc_rows
        values = [_unodc_values(r) for r in parsed.rows if isinstance(r, UnodcRow)]
    for line, row in enumerate(values):
        row["file_sha256"], row["line"] = prov.sha256, line
    conn.execute(insert(table), values)
    return Imported(prov, new=True)


def _cbp_values(row: CbpRow) -> dict[str, object]:
    return {
        "fiscal_year": row.fiscal_year, "month": row.month.isoformat(),
        "component": row.component, "region": row.region, "land_filter": row.land_filter,
        "area_of_responsibility": row.area_of_responsibility, "drug": row.drug,
        "drug_label": row.drug_label, "events": row.events, "pounds": row.pounds,
    }  # fmt: skip


def _unodc_values(row: UnodcRow) -> dict[str, object]:
    return {
        "year": row.year, "region": row.region, "country": row.country, "iso3": row.iso3,
        "drug_group": row.drug_group, "drug": row.drug, "kg": row.kg,
    }  # fmt: skip


def stored_files(conn: Connection, source: Source) -> list[FileProvenance]:
    """The stored files of one source, by name then hash (the order merges use)."""
    f = series_files.c
    rows = conn.execute(
        select(f.name, f.sha256, f.rows).where(f.source == source).order_by(f.name, f.sha256)
    ).all()
    return [FileProvenance(r.name, r.sha256, int(r.rows)) for r in rows]


def read_cbp_series(conn: Connection) -> CbpSeries | None:
    """The stored CBP files merged into one series (each month once); None if none stored."""
    files = stored_files(conn, "cbp")
    if not files:
        return None
    parsed: list[tuple[FileProvenance, list[CbpRow]]] = []
    for prov in files:
        rows = conn.execute(
            select(cbp_rows).where(cbp_rows.c.file_sha256 == prov.sha256).order_by(cbp_rows.c.line)
        ).all()
        parsed.append((prov, [
            CbpRow(
                fiscal_year=int(r.fiscal_year), month=date.fromisoformat(r.month),
                component=r.component, region=r.region, land_filter=r.land_filter,
                area_of_responsibility=r.area_of_responsibility, drug=r.drug,
                drug_label=r.drug_label, events=int(r.events), pounds=float(r.pounds),
            )
            for r in rows
        ]))  # fmt: skip
    return merge_cbp(parsed)


def read_unodc_series(conn: Connection) -> UnodcSeries | None:
    """Every stored UNODC file's rows, as published; None if none stored."""
    files = stored_files(conn, "unodc")
    if not files:
        return None
    out: list[UnodcRow] = []
    for prov in files:
        rows = conn.execute(
            select(unodc_rows)
            .where(unodc_rows.c.file_sha256 == prov.sha256)
            .order_by(unodc_rows.c.line)
        ).all()
        out.extend(
            UnodcRow(
                year=int(r.year), region=r.region, country=r.country, iso3=r.iso3,
                drug_group=r.drug_group, drug=r.drug, kg=None if r.kg is None else float(r.kg),
            )
            for r in rows
        )  # fmt: skip
    return UnodcSeries(rows=tuple(out), files=tuple(files))


def import_series(
    conn: Connection, source: Source, paths: Sequence[Path], at: datetime
) -> list[Imported]:
    """Parse every file first (all or nothing), then store the new ones."""
    parsed = [parse_file(source, path) for path in paths]
    return [store_file(conn, p, at) for p in parsed]
