"""The inputs digest: the same rows give the same digest however the store returned them."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from tearline.analysis.frame import SeizureFrame, seizure_frame
from tearline.reports.digest import inputs_digest, rows_digest

FIXTURE = Path(__file__).resolve().parents[1] / "analysis" / "data" / "seizures.csv"


def _table() -> pa.Table:
    return seizure_frame(pacsv.read_csv(FIXTURE)).table


def test_order_chunking_and_dictionary_codes_do_not_change_the_digest() -> None:
    table = _table()
    reversed_rows = table.take(pa.array(list(reversed(range(table.num_rows)))))
    # two chunks whose dictionaries list the values in different orders
    half = table.num_rows // 2
    rechunked = pa.concat_tables([reversed_rows.slice(0, half), reversed_rows.slice(half)])
    assert rechunked.column("drug").num_chunks == 2
    assert rows_digest(rechunked) == rows_digest(table)
    plain = table.set_column(table.column_names.index("drug"), "drug",
                             table.column("drug").cast(pa.string()))
    assert rows_digest(plain) == rows_digest(table)


def test_every_value_counts_and_null_is_not_empty_text() -> None:
    table = _table()
    base = rows_digest(table)
    assert rows_digest(table.slice(1)) != base
    weights = table.column("gross_kg").to_pylist()
    weights[0] = weights[0] + 1e-9
    changed = table.set_column(table.column_names.index("gross_kg"), "gross_kg",
                               pa.array(weights, pa.float64()))
    assert rows_digest(changed) != base
    null = pa.table({"port": pa.array([None, "a"], pa.string())})
    empty = pa.table({"port": pa.array(["", "a"], pa.string())})
    assert rows_digest(null) != rows_digest(empty)


def test_the_rows_are_never_turned_into_python_objects() -> None:
    """Frames are hashed in Arrow, not row by row in Python: hashing 100,000 rows
    allocates almost nothing on Python's heap."""
    table = _table()
    many = table.take(pa.array([i % table.num_rows for i in range(100_000)]))
    frame = SeizureFrame(many)
    tracemalloc.start()
    try:
        assert len(inputs_digest({"drug": "fentanyl"}, [], {"seizures": frame})) == 64
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, f"{peak:,} bytes of Python objects"
