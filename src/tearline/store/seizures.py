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

from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, case, distinct, func, literal, select

from tearline.errors import Problem, ValidationError
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
    unplaced: int  # visible seizures without a visible drug or date


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
    # the version of the reader's view (``policy.visibility.viewed``), not the stored one:
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


def _dates(texts: list[str | None]) -> pa.Array:
    """FollowTheMoney dates (``YYYY[-MM[-DD[Thh…]]]``) as the first day they stand for."""
    padded = [None if x is None else (x[:10] + "-01-01"[len(x[:10]) - 4 :]) for x in texts]
    try:
        return pa.array(padded, pa.string()).cast(pa.date32())
    except (pa.ArrowInvalid, ValueError) as exc:
        raise ValidationError("a Seizure date cannot be read", [Problem(str(exc), column="date")]
                              ) from exc


def _numbers(column: str, texts: list[str | None]) -> pa.Array:
    try:
        return pc.cast(pa.array(texts, pa.string()), pa.float64())
    except pa.ArrowInvalid as exc:
        raise ValidationError(
            f"a Seizure {column} is not a number", [Problem(str(exc), column=column)]
        ) from exc


def read_seizure_table(conn: Connection, vis: Visibility) -> SeizureTable:
    """The subject's visible Seizure records as an Arrow table for ``seizure_frame``."""
    rows = conn.execute(seizure_query(vis), vis.params).all()
    placed = [row for row in rows if row.drug is not None and row.date is not None]
    columns: dict[str, pa.Array] = {
        "entity_id": pa.array([row.entity_id for row in placed], pa.string()),
        "synthetic": pa.array([bool(row.synthetic) for row in placed], pa.bool_()),
    }
    for column in COLUMNS.values():
        texts = [getattr(row, column) for row in placed]
        if column == "date":
            columns[column] = _dates(texts)
        elif column in NUMBERS:
            columns[column] = _numbers(column, texts)
        else:
            # Few distinct values over many rows: hand them over dictionary-encoded.
            columns[column] = pa.array(texts, pa.string()).dictionary_encode()
    return SeizureTable(
        table=pa.table(columns),
        reads=tuple(
            SeizureRead(
                row.entity_id,
                int(row.version),
                tuple(sorted(sid for c in COLUMNS.values() if (sid := getattr(row, f"{c}_sid")))),
            )
            for row in placed
        ),
        unplaced=len(rows) - len(placed),
    )

