"""The seizure frame of one subject, read through the policy.

The statements of the properties analytics need (:data:`COLUMNS`) come out of the
store in one SQL query that holds the policy (``store/seizure_scan.py``), so a
statement the subject may not see is never fetched: a grossWeight portion marked RED
to another unit is simply absent, and the seizure counts with no weight for this
subject. One value per record and property is chosen there (the originator's first),
and the rows are pivoted into one per record; here they become the frame's typed
columns.

A record that exists for the subject is a record with at least one visible
statement (:meth:`Visibility.entity`); every row here is built from visible
statements of a visible record, so it exists for the subject by construction.
A seizure whose visible statements give no drug or no date cannot be placed in a
period and is left out (counted in :attr:`SeizureTable.unplaced`). Partial dates
(``2023-05``, ``2023``) stand for the first day of their month or year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection

from tearline.model.values import weight_kg
from tearline.store.seizure_scan import fetch, pivot
from tearline.store.visibility import Visibility

#: Seizure property → frame column.
COLUMNS: dict[str, str] = {
    "drug": "drug",
    "date": "date",
    "grossWeight": "gross_kg",
    "netWeight": "net_kg",
    "originCountry": "origin",
    "transitCountry": "transit",
    "destinationCountry": "destination",
    "region": "region",
    "portOfEntry": "port",
    "conveyance": "conveyance",
    "concealment": "concealment",
    "latitude": "latitude",
    "longitude": "longitude",
}
NUMBERS = ("gross_kg", "net_kg", "latitude", "longitude")
WEIGHTS = ("gross_kg", "net_kg")
#: The range a report can use, per number column (weights: more than zero).
BOUNDS: dict[str, tuple[float, float]] = {
    "gross_kg": (math.ulp(0.0), math.inf),
    "net_kg": (math.ulp(0.0), math.inf),
    "latitude": (-90.0, 90.0),
    "longitude": (-180.0, 180.0),
}


@dataclass(frozen=True, slots=True)
class SeizureRead:
    """One record as it entered the frame: its version and the statements used."""

    entity_id: str
    version: int
    statement_ids: tuple[str, ...]  # sorted


@dataclass(frozen=True, slots=True)
class SeizureTable:
    """What the query returned: the Arrow table and what it was built from (for the audit)."""

    table: pa.Table  # the columns of analysis.frame.SEIZURE_SCHEMA (text not yet cleaned)
    reads: tuple[SeizureRead, ...]  # one per row, in entity id order
    unplaced: int  # visible seizures without a visible drug or a usable date
    #: (entity id, column) of the stored values a report cannot use, left out
    unusable: tuple[tuple[str, str], ...] = ()


def _date(text: str) -> date | None:
    """The first day a FollowTheMoney date stands for; ``None`` if it is not one."""
    day = text[:10]
    try:
        return date.fromisoformat(day + "-01-01"[len(day) - 4 :]) if len(day) >= 4 else None
    except ValueError:
        return None


def _dates(texts: pa.Array) -> pa.Array:
    """FollowTheMoney dates (``YYYY[-MM[-DD[Thh…]]]``) as the first day they stand for;
    a value that is not a date (stored before ingest checked them) is null."""
    day = pc.utf8_slice_codeunits(texts, 0, 10)
    length = pc.utf8_length(day)
    padded = pc.if_else(pc.equal(length, 4), pc.binary_join_element_wise(day, "-01-01", ""),
                        pc.if_else(pc.equal(length, 7),
                                   pc.binary_join_element_wise(day, "-01", ""), day))
    try:
        return pc.cast(padded, pa.date32())
    except (pa.ArrowInvalid, ValueError):
        return pa.array([_date(x) for x in texts.to_pylist()], pa.date32())


def _number(column: str, text: str) -> float | None:
    """One stored value as the column's number, or ``None`` if a report cannot use it."""
    try:
        value = float(weight_kg(text)) if column in WEIGHTS else float(text)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    low, high = BOUNDS.get(column, (-math.inf, math.inf))
    return value if low <= value <= high else None


def _numbers(column: str, texts: pa.Array) -> pa.Array:
    """The column's numbers; unusable values (text, negative weights, latitudes beyond
    the poles — stored before ingest checked them) are null."""
    try:
        numbers = pc.cast(texts, pa.float64())
    except pa.ArrowInvalid:
        return pa.array([None if x is None else _number(column, x) for x in texts.to_pylist()],
                        pa.float64())
    low, high = BOUNDS.get(column, (-math.inf, math.inf))
    usable = pc.and_(pc.is_finite(numbers), pc.and_(pc.greater_equal(numbers, low),
                                                     pc.less_equal(numbers, high)))
    return pc.if_else(usable, numbers, pa.scalar(None, pa.float64()))


def read_seizure_table(conn: Connection, vis: Visibility,
                       database: Path | None = None) -> SeizureTable:
    """The subject's visible Seizure records as an Arrow table for ``seizure_frame``.

    ``database``: the store's SQLite file, read directly into Arrow (see
    :func:`tearline.store.seizure_scan.fetch`); without it the read goes through ``conn``.

    A report never fails on stored data: a value it cannot use (written before ingest
    checked values, or by a path that did not) is left out and listed in
    :attr:`SeizureTable.unusable`; a seizure whose date is unusable is not placed.

    The rows are handled column by column with Arrow kernels, never value by value in
    Python: a million rows of 29 columns would otherwise be some thirty million lookups.
    """
    rows = pivot(fetch(conn, vis, database), COLUMNS)
    if rows.num_rows == 0:
        return SeizureTable(table=_empty_table(), reads=(), unplaced=0)
    column_of = {name: rows.column(name).combine_chunks() for name in rows.column_names}
    candidate = pc.and_(pc.is_valid(column_of["drug"]), pc.is_valid(column_of["date"]))
    dates = _dates(column_of["date"].filter(candidate))
    ids = column_of["entity_id"]
    unusable = [(i, "date") for i in ids.filter(candidate).filter(pc.is_null(dates)).to_pylist()]
    keep = pc.is_valid(dates)
    placed = pc.indices_nonzero(candidate).filter(keep)  # row numbers of the placed rows
    placed_ids = ids.take(placed)
    columns: dict[str, pa.Array] = {
        "entity_id": placed_ids,
        "synthetic": pc.cast(column_of["synthetic"].take(placed), pa.bool_()),
    }
    dropped: dict[str, pa.Array] = {}  # column → mask of placed rows whose value is unusable
    for column in COLUMNS.values():
        if column == "date":
            columns[column] = dates.filter(keep)
            continue
        texts = column_of[column].cast(pa.string()).take(placed)
        if column in NUMBERS:
            numbers = _numbers(column, texts)
            columns[column] = numbers
            bad = pc.and_(pc.is_valid(texts), pc.is_null(numbers))
            if pc.any(bad).as_py():
                dropped[column] = bad
        else:
            # Few distinct values over many rows: hand them over dictionary-encoded.
            columns[column] = texts.dictionary_encode()
    lost = sorted((entity_id, column) for column, bad in dropped.items()
                  for entity_id in placed_ids.filter(bad).to_pylist())
    return SeizureTable(
        table=pa.table(columns),
        reads=_reads(column_of, placed, set(lost)),
        unplaced=rows.num_rows - len(placed),
        unusable=tuple(sorted([*unusable, *lost])),
    )


def _reads(column_of: dict[str, pa.Array], placed: pa.Array,
           lost: set[tuple[str, str]]) -> tuple[SeizureRead, ...]:
    """Each placed record's id, version and the ids of the statements its row used."""
    ids = column_of["entity_id"].take(placed).to_pylist()
    versions = column_of["version"].take(placed).to_pylist()
    sids = [(column, column_of[f"{column}_sid"].cast(pa.string()).take(placed).to_pylist())
            for column in COLUMNS.values()]
    return tuple(
        SeizureRead(
            ids[i], int(versions[i]),
            tuple(sorted(sid for column, values in sids if (sid := values[i])
                         and (ids[i], column) not in lost)),
        )
        for i in range(len(ids))
    )


def _empty_table() -> pa.Table:
    columns: dict[str, pa.Array] = {"entity_id": pa.array([], pa.string()),
                                    "synthetic": pa.array([], pa.bool_())}
    for column in COLUMNS.values():
        columns[column] = (pa.array([], pa.date32()) if column == "date"
                           else pa.array([], pa.float64()) if column in NUMBERS
                           else pa.array([], pa.string()).dictionary_encode())
    return pa.table(columns)
