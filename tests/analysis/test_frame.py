"""The analytics frame: rows and Arrow tables give the same frame; bad tables are refused."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from tearline.analysis.frame import SEIZURE_SCHEMA, SeizureRow, seizure_frame
from tearline.errors import ValidationError

FIXTURE = Path(__file__).resolve().parent / "data" / "seizures.csv"


def _opt(value: str) -> float | None:
    return float(value) if value else None


def read_rows() -> list[SeizureRow]:
    with open(FIXTURE, newline="", encoding="utf-8") as handle:
        return [
            SeizureRow(
                entity_id=r["entity_id"],
                date=date.fromisoformat(r["date"]),
                drug=r["drug"],
                gross_kg=_opt(r["gross_kg"]),
                net_kg=_opt(r["net_kg"]),
                origin=r["origin"] or None,
                transit=r["transit"] or None,
                destination=r["destination"] or None,
                region=r["region"] or None,
                port=r["port"] or None,
                conveyance=r["conveyance"] or None,
                concealment=r["concealment"] or None,
                latitude=_opt(r["latitude"]),
                longitude=_opt(r["longitude"]),
                synthetic=r["synthetic"] == "true",
            )
            for r in csv.DictReader(handle)
        ]


def test_rows_and_arrow_table_give_the_same_frame() -> None:
    from_rows = seizure_frame(read_rows())
    from_arrow = seizure_frame(pacsv.read_csv(FIXTURE))
    assert from_rows.table.schema == SEIZURE_SCHEMA
    assert from_rows.table.equals(from_arrow.table)
    assert from_rows.rows == 11
    assert from_rows.synthetic_rows == 2
    assert set(from_rows.table.column("origin").to_pylist()) == {"mx", "cn", "in", "co", None}


def test_a_table_without_dates_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        seizure_frame(pa.table({"drug": ["fentanyl"]}))
    assert [p.column for p in caught.value.problems] == ["date"]


def test_a_table_with_unreadable_weights_is_refused() -> None:
    table = pa.table({"date": [date(2023, 1, 1)], "drug": ["x"], "gross_kg": ["heavy"]})
    with pytest.raises(ValidationError, match="gross_kg"):
        seizure_frame(table)


def test_missing_optional_columns_default_to_null_and_one_event() -> None:
    frame = seizure_frame(pa.table({"date": [date(2023, 1, 1)], "drug": ["Fentanyl"]}))
    assert frame.table.column("events").to_pylist() == [1]
    assert frame.table.column("drug").to_pylist() == ["fentanyl"]
    assert frame.table.column("origin").to_pylist() == [None]
