"""Run the person model on Splink's DuckDB backend, in process, and decide each pair.

``link(left, right)`` compares two lists of records (one side against the other);
``dedupe(records)`` compares one list with itself. Both load the records into an
in-memory DuckDB database, register tearline's comparators there, let Splink block
and score, and return a :class:`~tearline.resolve.decide.Judged` pair per candidate
above the floor — with the match probability, the level of every comparison and the
decision with its reasons. The same settings run on Splink's Spark backend where a
deployment outgrows one machine (docs/resolve.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
from splink import DuckDBAPI, Linker

from . import comparisons, expected
from .decide import Judged, decide, settle
from .records import PersonRecord

#: pairs below this probability are not returned at all
FLOOR = 0.001

_COLUMNS = (
    ("unique_id", "VARCHAR"), ("name", "VARCHAR"), ("key", "VARCHAR[]"),
    ("birth_date", "VARCHAR"), ("curp", "VARCHAR"), ("curp_valid", "BOOLEAN"),
    ("rfc", "VARCHAR"), ("rfc_valid", "BOOLEAN"), ("passport", "VARCHAR"),
    ("id_number", "VARCHAR"), ("sex", "VARCHAR"), ("postcode", "VARCHAR"),
    ("city", "VARCHAR"), ("street", "VARCHAR"),
)


def _row(record: PersonRecord) -> tuple[Any, ...]:
    def opt(text: str) -> str | None:
        return text or None

    name = record.name
    if record.nicknames and " alias " not in f" {name.lower()} ":
        name = f"{name} alias {', '.join(record.nicknames)}"
    return (record.id, opt(name), sorted(record.keys), opt(record.birth_date), opt(record.curp),
            record.curp_valid, opt(record.rfc), record.rfc_valid, opt(record.passport),
            opt(record.id_number), opt(record.sex), opt(record.postcode), opt(record.city),
            opt(record.street))


def _load(con: duckdb.DuckDBPyConnection, table: str, records: Sequence[PersonRecord]) -> None:
    columns = ", ".join(f"{name} {kind}" for name, kind in _COLUMNS)
    con.execute(f"CREATE TABLE {table} ({columns})")
    if records:  # one statement, a list per column: rows one by one are far slower
        rows = [_row(r) for r in records]
        unnest = ", ".join(f"UNNEST(${i + 1}::{kind}[])" for i, (_, kind) in enumerate(_COLUMNS))
        con.execute(f"INSERT INTO {table} SELECT {unnest}",
                    [[row[i] for row in rows] for i in range(len(_COLUMNS))])


Progress = Callable[[str], None]


def _run(tables: dict[str, Sequence[PersonRecord]], link_type: str,
         progress: Progress | None) -> list[Judged]:
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET enable_progress_bar = false")
        comparisons.register(con)
        for table, records in tables.items():
            _load(con, table, records)
        if progress:
            progress("loaded")
        api = DuckDBAPI(connection=con)
        frames = [api.register(table, dataset_display_name=table) for table in tables]
        # validate_settings=False: Splink's check of the settings against the input's
        # columns only logs, and the settings are fixed here (tests/resolve check them
        # once: test_model_settings.py); parsing every SQL string of them again on each
        # run is work that can only repeat the same answer.
        linker = Linker(frames if len(frames) > 1 else frames[0],
                        comparisons.settings(link_type), log_level=logging.WARNING,
                        validate_settings=False)
        predicted = linker.inference.predict(threshold_match_probability=FLOOR)
        rows = predicted.as_record_list()
        if progress:
            progress("scored")
    finally:
        con.close()
    by_id = {(t, r.id): r for t, records in tables.items() for r in records}
    names = list(tables)
    out = []
    for row in rows:
        left_table = row.get("source_dataset_l", names[0])
        right_table = row.get("source_dataset_r", names[-1])
        left = by_id[(left_table, row["unique_id_l"])]
        right = by_id[(right_table, row["unique_id_r"])]
        if len(names) > 1 and left_table != names[0]:
            left, right = right, left
        out.append(decide(left, right, row))
    one_list = len(names) == 1
    left_of = {r.id: r for r in tables[names[0]]}
    right_of = {r.id: r for r in tables[names[-1]]}
    return settle(out, one_list=one_list,
                  lacking=expected.lacking(out, left_of, right_of, one_list=one_list))


def link(left: Sequence[PersonRecord], right: Sequence[PersonRecord], *,
         progress: Progress | None = None) -> list[Judged]:
    """Every candidate pair (left, right) above the floor, decided."""
    if not left or not right:
        return []
    return _run({"a_left": left, "b_right": right}, "link_only", progress)


def dedupe(records: Sequence[PersonRecord], *, progress: Progress | None = None) -> list[Judged]:
    """Every candidate pair of one list above the floor, decided."""
    if len(records) < 2:
        return []
    return _run({"records": records}, "dedupe_only", progress)
