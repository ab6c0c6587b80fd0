"""The overlap rule: a month is taken whole from the newer file; disagreements are counted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tearline.sources.cbp import monthly_totals, read_cbp

HERE = Path(__file__).resolve().parent / "data"
OLDER, NEWER = HERE / "cbp_older.csv", HERE / "cbp_newer.csv"


@pytest.mark.parametrize("order", [(OLDER, NEWER), (NEWER, OLDER)])
def test_newer_file_wins_whole_months_whatever_the_order(order: tuple[Path, Path]) -> None:
    series = read_cbp(order)
    assert series.month_source == {
        date(2020, 9, 1): "cbp_older.csv",
        date(2020, 10, 1): "cbp_newer.csv",
        date(2020, 11, 1): "cbp_newer.csv",
        date(2020, 12, 1): "cbp_newer.csv",
    }
    totals = monthly_totals(series, drug="fentanyl")
    # October is taken whole from the newer file: its Tucson row (absent there) is not added.
    assert totals[(date(2020, 10, 1), "fentanyl")] == 41.0
    assert totals[(date(2020, 11, 1), "fentanyl")] == 50.0
    assert sum(totals.values()) == 100.5 + 41.0 + 50.0 + 70.0


def test_disagreements_in_the_overlap_are_reported() -> None:
    check = read_cbp([OLDER, NEWER]).overlap
    assert check.months == 2
    assert check.keys_only_in_other == 1  # Tucson, October, only in the older file
    assert check.keys_only_in_chosen == 0
    assert check.events_differ == 1  # November: 5 against 6
    assert check.pounds_differ == 1  # October: 40.0 against 41.0
    assert check.max_pounds_difference == 1.0
    assert not check.agree
    assert check.to_dict()["agree"] is False
