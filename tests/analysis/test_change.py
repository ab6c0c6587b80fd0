"""Year-on-year change, calendar and fiscal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from tearline.analysis.change import compared_with_year_before, year_on_year
from tearline.analysis.engine import Selection
from tearline.analysis.frame import seizure_frame

DATA = Path(__file__).resolve().parent / "data"


def test_fentanyl_calendar_year_change() -> None:
    frame = seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))
    first, second = year_on_year(frame, "year", selection=Selection(drugs=("fentanyl",)))
    # 2022: 12.5 + 3.25 + 40.0; 2023: 0.75 + 22.0 + 5.5 + 1.5 + 8.0
    assert (first.year, first.kg, first.previous_kg, first.change_pct) == (2022, 55.75, None, None)
    assert (second.year, second.kg, second.previous_kg) == (2023, 37.75, 55.75)
    assert second.change_kg == pytest.approx(-18.0)
    assert second.change_pct == pytest.approx(-18.0 / 55.75 * 100)


def test_change_by_drug_and_fiscal_year() -> None:
    frame = seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))
    rows = year_on_year(frame, "fiscal_year", by=("drug",))
    cocaine = [r for r in rows if r.key == ("cocaine",)]
    assert [(r.year, r.kg, r.change_kg) for r in cocaine] == [(2023, 30.0, None)]
    meth = [r for r in rows if r.key == ("methamphetamine",)]
    assert [(r.year, r.kg) for r in meth] == [(2022, 150.0), (2023, 75.25)]


def test_a_one_year_window_is_compared_with_the_year_before() -> None:
    frame = seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))
    fy2023 = Selection(drugs=("fentanyl",), start=date(2022, 10, 1), end=date(2023, 9, 30))
    (only,) = compared_with_year_before(frame, "fiscal_year", selection=fy2023)
    # FY2023: 40.0 + 0.75 + 22.0 + 5.5 + 1.5 + 8.0; FY2022 (outside the window): 12.5 + 3.25
    assert (only.year, only.kg, only.previous_kg) == (2023, 77.75, 15.75)
    assert only.change_kg == pytest.approx(62.0)
    assert only.change_pct == pytest.approx(62.0 / 15.75 * 100)
    assert year_on_year(frame, "fiscal_year", selection=fy2023)[0].previous_kg is None


def test_a_month_is_compared_with_the_same_month_a_year_earlier() -> None:
    frame = seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))
    may = Selection(drugs=("methamphetamine",), start=date(2023, 5, 1), end=date(2023, 5, 31))
    assert compared_with_year_before(frame, "year", selection=may) == ()  # none in May 2023
    march = Selection(drugs=("methamphetamine",), start=date(2023, 3, 1), end=date(2023, 3, 31))
    (row,) = compared_with_year_before(frame, "year", selection=march)
    # seizures exist in March 2022 (fentanyl), none of them methamphetamine: 0 kg before
    assert (row.kg, row.previous_kg, row.change_kg, row.change_pct) == (75.25, 0.0, 75.25, None)


def test_no_comparison_where_the_data_begin_later() -> None:
    frame = seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))
    fy2022 = Selection(drugs=("fentanyl",), start=date(2021, 10, 1), end=date(2022, 9, 30))
    (row,) = compared_with_year_before(frame, "fiscal_year", selection=fy2022)
    assert (row.year, row.previous_kg, row.change_kg) == (2022, None, None)
