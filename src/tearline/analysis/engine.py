"""Running aggregate queries over a :class:`SeizureFrame` with DuckDB, in process.

DuckDB scans the Arrow table in place (no copy) through a private cursor.
Only the names in :data:`DIMENSIONS` can be grouped on, so user input never becomes
SQL text; filter values are bound parameters.

Sums of weights are exact: each weight is cast to ``DECIMAL(38,6)`` (milligram
resolution) before summing. Floating-point sums depend on the order in which
DuckDB's threads meet the rows, so the same data could give figures that differ in
the last digits from one run to the next; decimal sums cannot, and a report built
twice from the same data shows the same figures.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

import duckdb

from tearline.analysis.frame import SeizureFrame
from tearline.errors import Problem, ValidationError, tr

Dimension = Literal[
    "drug",
    "origin",
    "transit",
    "destination",
    "region",
    "port",
    "conveyance",
    "concealment",
    "month",
    "quarter",
    "year",
    "fiscal_year",
]
Weight = Literal["gross", "net"]
Key = str | int | None

#: SQL expression each dimension is grouped on. Periods are grouped as integers
#: (202303 for March 2023, 20231 for its quarter), which hash far faster than text,
#: and turned into their display form (``DISPLAY``) only once per group.
#: Fiscal years begin in October (U.S. federal).
DIMENSIONS: dict[str, str] = {
    "drug": "drug",
    "origin": "origin",
    "transit": "transit",
    "destination": "destination",
    "region": "region",
    "port": "port",
    "conveyance": "conveyance",
    "concealment": "concealment",
    "month": "CAST(year(date) * 100 + month(date) AS INTEGER)",
    "quarter": "CAST(year(date) * 10 + quarter(date) AS INTEGER)",
    "year": "CAST(year(date) AS INTEGER)",
    "fiscal_year": "CAST(year(date) + CASE WHEN month(date) >= 10 THEN 1 ELSE 0 END AS INTEGER)",
}
#: How a grouped key is shown; ``{}`` is the grouped column. Absent: shown as grouped.
DISPLAY: dict[str, str] = {
    "month": "printf('%04d-%02d', {0} // 100, {0} % 100)",
    "quarter": "printf('%d-Q%d', {0} // 10, {0} % 10)",
}
assert set(DIMENSIONS) == set(get_args(Dimension))


@dataclass(frozen=True, slots=True)
class Selection:
    """Which rows count: drugs (any of), origins (any of), dates (inclusive)."""

    drugs: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.drugs:
            clauses.append(f"drug IN ({', '.join('?' for _ in self.drugs)})")
            params.extend(d.strip().lower() for d in self.drugs)
        if self.origins:
            clauses.append(f"origin IN ({', '.join('?' for _ in self.origins)})")
            params.extend(o.strip().lower() for o in self.origins)
        if self.start is not None:
            clauses.append("date >= ?")
            params.append(self.start)
        if self.end is not None:
            clauses.append("date <= ?")
            params.append(self.end)
        return (" AND ".join(clauses) or "TRUE"), params

    def to_dict(self) -> dict[str, object]:
        return {
            "drugs": list(self.drugs),
            "origins": list(self.origins),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


ALL = Selection()


def dimension_sql(name: str) -> str:
    try:
        return DIMENSIONS[name]
    except KeyError:
        raise ValidationError(
            tr("unknown dimension"),
            [Problem(tr(
                "{name!r} is not one of {DIMENSIONS}",
                name=name, DIMENSIONS=sorted(DIMENSIONS)), column="by")],
        ) from None


def display_sql(name: str, column: str) -> str:
    return DISPLAY[name].format(column) if name in DISPLAY else column


def weight_sql(weight: Weight) -> str:
    if weight not in ("gross", "net"):
        raise ValidationError(tr("unknown weight"), [Problem(tr(
            "{weight!r}", weight=weight), column="weight")])
    return f"CAST({weight}_kg AS DECIMAL(38,6))"


_database: duckdb.DuckDBPyConnection | None = None
_lock = threading.Lock()


def _cursor() -> duckdb.DuckDBPyConnection:
    """A fresh connection to one process-wide in-memory database.

    Opening a DuckDB database costs tens of milliseconds and an assessment runs a few
    dozen queries, so the database is opened once; each query gets its own cursor
    (a separate connection, so its registered table is private to it and concurrent
    queries cannot see each other's frames). The database holds no data of its own.
    """
    global _database
    with _lock:
        if _database is None:
            _database = duckdb.connect(":memory:")
        return _database.cursor()


def query(frame: SeizureFrame, sql: str, params: list[object]) -> list[tuple[object, ...]]:
    """Run ``sql`` with the frame visible as the table ``seizures``."""
    cursor = _cursor()
    try:
        cursor.register("seizures", frame.table)
        rows: list[tuple[object, ...]] = cursor.execute(sql, params).fetchall()
        return rows
    finally:
        cursor.close()
