"""The frame the analytics read: one row per seizure, or one row per published aggregate.

The store hands analytics the Seizure records *as visible to the asking unit* (the
policy-compiled query is the store's business), either as :class:`SeizureRow`
values or as an Arrow table with the columns of :data:`SEIZURE_SCHEMA`. Aggregate
series such as CBP's monthly figures enter as :class:`AggregateRow` values: the
same columns, with ``events`` holding the number of seizures the row stands for
— an aggregate stays one row and is never turned into made-up incidents.

Conventions:

- weights are kilograms (``gross_kg`` includes packaging, ``net_kg`` may be null);
- country columns hold ISO 3166-1 alpha-2 codes in lower case, as FollowTheMoney
  normalizes them (``mx``, ``cn``); null means unknown;
- ``drug`` is lower case (``fentanyl``);
- ``synthetic`` marks generated records, so that reports can label them;
- the text columns that analytics group on (drug, countries, region, port,
  conveyance, concealment) are dictionary-encoded (:data:`TEXT`): a few distinct
  values over many rows, so each row holds a small integer. DuckDB groups such
  columns by their codes without hashing the text of every row, which is what makes
  the assessment path fast (``bench/analytics.py``); values read the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from tearline.errors import Problem, ValidationError, tr

Grain = Literal["incident", "monthly-aggregate"]

#: Dictionary-encoded text: the type of every grouping column holding text.
TEXT = pa.dictionary(pa.int32(), pa.string())

SEIZURE_SCHEMA = pa.schema(
    [
        pa.field("entity_id", pa.string()),
        pa.field("date", pa.date32(), nullable=False),
        pa.field("drug", TEXT, nullable=False),
        pa.field("gross_kg", pa.float64()),
        pa.field("net_kg", pa.float64()),
        pa.field("origin", TEXT),
        pa.field("transit", TEXT),
        pa.field("destination", TEXT),
        pa.field("region", TEXT),
        pa.field("port", TEXT),
        pa.field("conveyance", TEXT),
        pa.field("concealment", TEXT),
        pa.field("latitude", pa.float64()),
        pa.field("longitude", pa.float64()),
        pa.field("synthetic", pa.bool_(), nullable=False),
        pa.field("events", pa.int64(), nullable=False),
    ]
)
REQUIRED = ("date", "drug")
LOWERED = ("drug", "origin", "transit", "destination")


@dataclass(frozen=True, slots=True)
class SeizureRow:
    """One Seizure record as visible to the asking unit."""

    entity_id: str
    date: date
    drug: str
    gross_kg: float | None = None
    net_kg: float | None = None
    origin: str | None = None
    transit: str | None = None
    destination: str | None = None
    region: str | None = None
    port: str | None = None
    conveyance: str | None = None
    concealment: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class AggregateRow:
    """One published aggregate (e.g. a CBP month × office × drug), weights in kg."""

    month: date
    drug: str
    kg: float
    events: int
    region: str | None = None
    port: str | None = None
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class SeizureFrame:
    table: pa.Table
    grain: Grain = "incident"

    @property
    def rows(self) -> int:
        return int(self.table.num_rows)

    @property
    def synthetic_rows(self) -> int:
        return int(pc.sum(self.table.column("synthetic").cast(pa.int64())).as_py() or 0)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _lower(value: str | None) -> str | None:
    cleaned = _clean(value)
    return cleaned.lower() if cleaned is not None else None


def seizure_frame(rows: Iterable[SeizureRow] | pa.Table) -> SeizureFrame:
    """Build the incident frame from rows, or check and conform an Arrow table."""
    if isinstance(rows, pa.Table):
        return SeizureFrame(_conform(rows), "incident")
    columns: dict[str, list[object]] = {name: [] for name in SEIZURE_SCHEMA.names}
    for row in rows:
        for name in SEIZURE_SCHEMA.names:
            if name == "events":
                columns[name].append(1)
                continue
            value = getattr(row, name)
            if name in LOWERED:
                value = _lower(value)
            elif isinstance(value, str):
                value = _clean(value)
            columns[name].append(value)
    return SeizureFrame(pa.table(columns, schema=SEIZURE_SCHEMA), "incident")


def aggregate_frame(rows: Iterable[AggregateRow]) -> SeizureFrame:
    """Build a frame of published aggregates: one row each, ``events`` as published."""
    columns: dict[str, list[object]] = {name: [] for name in SEIZURE_SCHEMA.names}
    for row in rows:
        values: dict[str, object] = {
            "date": row.month,
            "drug": _lower(row.drug),
            "gross_kg": row.kg,
            "origin": _lower(row.origin),
            "region": _clean(row.region),
            "port": _clean(row.port),
            "synthetic": False,
            "events": row.events,
        }
        for name in SEIZURE_SCHEMA.names:
            columns[name].append(values.get(name))
    return SeizureFrame(pa.table(columns, schema=SEIZURE_SCHEMA), "monthly-aggregate")


def _blank_to_null(column: pa.Array | pa.ChunkedArray, lower: bool) -> pa.Array | pa.ChunkedArray:
    """Trim text, lower-case it where the convention says so; empty text is null."""
    trimmed = pc.utf8_trim_whitespace(column)
    if lower:
        trimmed = pc.utf8_lower(trimmed)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _clean_dictionary(column: pa.ChunkedArray, lower: bool) -> pa.ChunkedArray:
    """:func:`_blank_to_null` applied to a dictionary column's distinct values only.

    The cleaned values may collide (``MX`` and ``mx``) or become null (blank text), so
    the dictionary is rebuilt from its unique cleaned values (in order of first
    appearance) and the row codes remapped: work proportional to the distinct values
    plus one ``take`` over the codes, never to the text of every row.
    """
    chunks: list[pa.Array] = []
    for chunk in column.unify_dictionaries().chunks:
        cleaned = _blank_to_null(chunk.dictionary, lower)
        unique = pc.drop_null(pc.unique(cleaned))
        remap = pc.index_in(cleaned, value_set=unique).cast(pa.int32())
        codes = pc.take(remap, chunk.indices)
        chunks.append(pa.DictionaryArray.from_arrays(codes, unique.cast(pa.string())))
    return pa.chunked_array(chunks, TEXT)


def _conform(table: pa.Table) -> pa.Table:
    problems = [
        Problem(tr("required column {name!r} is missing", name=name), column=name)
        for name in REQUIRED
        if name not in table.column_names
    ]
    if problems:
        raise ValidationError(tr("the seizure table lacks required columns"), problems)
    arrays: list[pa.Array | pa.ChunkedArray] = []
    for field in SEIZURE_SCHEMA:
        if field.name in table.column_names:
            column = table.column(field.name)
            try:
                column = column.cast(field.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise ValidationError(
                    tr(
                        "column {name!r} cannot be read as {type}",
                        name=field.name, type=field.type),
                    [Problem(str(exc), column=field.name)],
                ) from exc
            if field.type == TEXT:
                column = _clean_dictionary(column, lower=field.name in LOWERED)
            elif pa.types.is_string(field.type):
                column = _blank_to_null(column, lower=False)
        elif field.name == "events":
            column = pa.array([1] * table.num_rows, pa.int64())
        elif field.name == "synthetic":
            column = pa.array([False] * table.num_rows, pa.bool_())
        else:
            column = pa.nulls(table.num_rows, field.type)
        if not field.nullable and column.null_count:
            raise ValidationError(
                tr("column {name!r} has empty values", name=field.name),
                [Problem(tr(
                    "{null_count} null value(s)",
                    null_count=column.null_count), column=field.name)],
            )
        arrays.append(column)
    return pa.table(arrays, schema=SEIZURE_SCHEMA)
