"""Published series in the store: stored as published, idempotent by hash, merged on read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tearline.errors import IngestError
from tearline.sources.cbp import default_cbp_paths, read_cbp
from tearline.sources.unodc import read_unodc
from tearline.store.series import import_series, read_cbp_series, read_unodc_series
from tearline.store.series_tables import cbp_rows
from tearline.store.store import Store

AT = datetime(2024, 5, 3, tzinfo=UTC)
UNODC_SAMPLE = Path(__file__).resolve().parent / "data" / "unodc_sample.csv"


def test_cbp_files_round_trip_and_merge_as_read_from_disk(store: Store, data_dir: Path) -> None:
    paths = default_cbp_paths(data_dir)
    with store.transaction() as conn:
        # given newest first: the stored order (by name) decides the merge, not this order
        first = import_series(conn, "cbp", list(reversed(paths)), AT)
    assert [i.new for i in first] == [True, True]
    with store.transaction() as conn:
        again = import_series(conn, "cbp", paths, AT)
        stored = read_cbp_series(conn)
        count = conn.execute(select(func.count()).select_from(cbp_rows)).scalar_one()
    assert [i.new for i in again] == [False, False]
    assert [i.provenance for i in again] == [i.provenance for i in reversed(first)]
    assert count == 10_092 + 9_924  # every published row, once
    expected = read_cbp(paths)
    assert stored is not None
    assert stored.files == expected.files
    assert stored.rows == expected.rows
    assert stored.month_source == expected.month_source


def test_unodc_rows_keep_missing_values(store: Store) -> None:
    with store.transaction() as conn:
        assert read_unodc_series(conn) is None
        import_series(conn, "unodc", [UNODC_SAMPLE], AT)
        stored = read_unodc_series(conn)
    expected = read_unodc(UNODC_SAMPLE)
    assert stored == expected
    assert any(r.kg is None for r in stored.rows)
    assert any(r.iso3 is None for r in stored.rows)


def test_a_bad_file_stores_nothing(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("not,a,series\n", encoding="utf-8")
    with pytest.raises(IngestError), store.transaction() as conn:
        import_series(conn, "unodc", [UNODC_SAMPLE, bad], AT)
    with store.transaction() as conn:
        assert read_unodc_series(conn) is None
