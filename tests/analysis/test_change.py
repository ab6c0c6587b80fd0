"""Year-on-year change, calendar and fiscal."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from tearline.analysis.change import year_on_year
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
