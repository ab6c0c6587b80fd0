"""The seizure frame of one subject, read through the policy in a single SQL query.

The query ranks the *visible* statements of the properties analytics need
(:data:`COLUMNS`) per Seizure record and property, keeps the first of each, and
pivots them into one row per record — all in the database, so a statement the
subject may not see is never fetched: a grossWeight portion marked RED to another
unit is simply absent, and the seizure counts with no weight for this subject.

Which value, when a property has several visible values (two agencies reported the
weight of the same seizure, say): the **originator's** value first — the agency
that made the record is the one that held the drugs — then the earliest first
seen, then the lowest statement id, so that the choice never depends on the order
rows come back in. The rule is the same on SQLite and PostgreSQL (``ROW_NUMBER``
over the same ordering).

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
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, case, distinct, func, literal, select

from tearline.model.values import weight_kg
from tearline.store import tables as t
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


def seizure_query(vis: Visibility) -> Any:
    """The pivot query: one row per visible Seizure record, chosen value per property."""
    s, r = t.statements, t.records
    originator_first = case((s.c.origin == r.c.originator, 0), else_=1)
    ranked = (
        select(
            s.c.entity_id,
            s.c.prop,
            s.c.value,
            s.c.id,
            r.c.synthetic,
            func.row_number()
            .over(
                partition_by=(s.c.entity_id, s.c.prop),
                order_by=(originator_first, s.c.first_seen, s.c.id),
            )
            .label("rank"),
        )
        .join(r, r.c.id == s.c.entity_id)
        .where(r.c.schema == "Seizure", s.c.prop.in_(list(COLUMNS)), vis.statement(s, r))
        .subquery("ranked")
    )
    pivot = [
        func.max(case((ranked.c.prop == prop, ranked.c.value))).label(column)
        for prop, column in COLUMNS.items()
    ] + [
        func.max(case((ranked.c.prop == prop, ranked.c.id))).label(f"{column}_sid")
        for prop, column in COLUMNS.items()
    ]
    # the version of the reader's view (``policy.evaluator.viewed``), not the stored one:
    # the distinct first-seen instants of the statements shown to it
    sv, rv = t.statements.alias("vs"), t.records.alias("vr")
    version = (select(func.count(distinct(sv.c.first_seen)))
               .select_from(sv.join(rv, rv.c.id == sv.c.entity_id))
               .where(sv.c.entity_id == ranked.c.entity_id, vis.shown(sv, rv))
               .scalar_subquery().label("version"))
    return (
        select(ranked.c.entity_id, version, ranked.c.synthetic, *pivot)
        .where(ranked.c.rank == literal(1))
        .group_by(ranked.c.entity_id, ranked.c.synthetic)
        .order_by(ranked.c.entity_id)
    )


def _date(text: str) -> date | None:
    """The first day a FollowTheMoney date stands for; ``None`` if it is not one."""
    day = text[:10]
    try:
        return date.fromisoformat(day + "-01-01"[len(day) - 4 :]) if len(day) >= 4 else None
    except ValueError:
        return None


def _dates(texts: list[str]) -> pa.Array:
    """FollowTheMoney dates (``YYYY[-MM[-DD[Thh…]]]``) as the first day they stand for;
    a value that is not a date (stored before ingest checked them) is null."""
    padded = [x[:10] + "-01-01"[len(x[:10]) - 4 :] for x in texts]
    try:
        return pa.array(padded, pa.string()).cast(pa.date32())
    except (pa.ArrowInvalid, ValueError):
        return pa.array([_date(x) for x in texts], pa.date32())


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


def _numbers(column: str, texts: list[str | None]) -> pa.Array:
    """The column's numbers; unusable values (text, negative weights, latitudes beyond
    the poles — stored before ingest checked them) are null."""
    try:
        numbers = pc.cast(pa.array(texts, pa.string()), pa.float64())
    except pa.ArrowInvalid:
        return pa.array([None if x is None else _number(column, x) for x in texts],
                        pa.float64())
    low, high = BOUNDS.get(column, (-math.inf, math.inf))
    usable = pc.and_(pc.is_finite(numbers), pc.and_(pc.greater_equal(numbers, low),
                                                     pc.less_equal(numbers, high)))
    return pc.if_else(usable, numbers, pa.scalar(None, pa.float64()))


def read_seizure_table(conn: Connection, vis: Visibility) -> SeizureTable:
    """The subject's visible Seizure records as an Arrow table for ``seizure_frame``.

    A report never fails on stored data: a value it cannot use (written before ingest
    checked values, or by a path that did not) is left out and listed in
    :attr:`SeizureTable.unusable`; a seizure whose date is unusable is not placed.

    The rows are handled column by column (one transposition of the result, then Arrow
    kernels), never attribute by attribute per row: a million rows of 29 columns would
    otherwise be some thirty million Python lookups.
    """
    result = conn.execute(seizure_query(vis), vis.params)
    names = list(result.keys())
    rows = result.all()
    if not rows:
        return SeizureTable(table=_empty_table(), reads=(), unplaced=0)
    column_of = dict(zip(names, zip(*rows, strict=True), strict=True))
    drug, day = column_of["drug"], column_of["date"]
    candidate = pa.array([d is not None and x is not None for d, x in zip(drug, day, strict=True)])
    texts_of_day = pa.array(day, pa.string()).filter(candidate)
    dates = _dates(texts_of_day.to_pylist())
    ids = pa.array(column_of["entity_id"], pa.string())
    candidate_ids = ids.filter(candidate)
    unusable = [(i, "date") for i in candidate_ids.filter(pc.is_null(dates)).to_pylist()]
    keep = pc.is_valid(dates)
    placed = pc.indices_nonzero(candidate).filter(keep)  # row numbers of the placed rows
    placed_ids = ids.take(placed)
    columns: dict[str, pa.Array] = {
        "entity_id": placed_ids,
        "synthetic": pc.cast(pa.array(column_of["synthetic"]).take(placed), pa.bool_()),
    }
    dropped: dict[str, pa.Array] = {}  # column → mask of placed rows whose value is unusable
    for column in COLUMNS.values():
        if column == "date":
            columns[column] = dates.filter(keep)
            continue
        texts = pa.array(column_of[column], pa.string()).take(placed)
        if column in NUMBERS:
            numbers = _numbers(column, texts.to_pylist())
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
        reads=_reads(column_of, placed.to_pylist(), set(lost)),
        unplaced=len(rows) - len(placed),
        unusable=tuple(sorted([*unusable, *lost])),
    )


def _reads(column_of: dict[str, tuple[Any, ...]], placed: list[int],
           lost: set[tuple[str, str]]) -> tuple[SeizureRead, ...]:
    """Each placed record's id, version and the ids of the statements its row used."""
    ids, versions = column_of["entity_id"], column_of["version"]
    sids = [(column, column_of[f"{column}_sid"]) for column in COLUMNS.values()]
    return tuple(
        SeizureRead(
            ids[i], int(versions[i]),
            tuple(sorted(sid for column, values in sids if (sid := values[i])
                         and (ids[i], column) not in lost)),
        )
        for i in placed
    )


def _empty_table() -> pa.Table:
    columns: dict[str, pa.Array] = {"entity_id": pa.array([], pa.string()),
                                    "synthetic": pa.array([], pa.bool_())}
    for column in COLUMNS.values():
        columns[column] = (pa.array([], pa.date32()) if column == "date"
                           else pa.array([], pa.float64()) if column in NUMBERS
                           else pa.array([], pa.string()).dictionary_encode())
    return pa.table(columns)
