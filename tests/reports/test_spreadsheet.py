"""CSV for spreadsheets: formula cells are written as text, everything else as it is."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostile import hostile_strings
from tearline.reports.spreadsheet import FORMULA_START, safe_cell, write_csv


@pytest.mark.parametrize("cell", ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://127.0.0.1:9/","x")'])
def test_formula_cells_get_an_apostrophe(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "Tijuana", "12.5", "'quoted", " =not first", "a=b"])
def test_other_cells_are_unchanged(cell: str) -> None:
    assert safe_cell(cell) == cell


@given(st.text())
def test_no_written_cell_starts_a_formula_and_the_value_is_recoverable(value: str) -> None:
    out = io.StringIO()
    write_csv(out, ["value"], [[value]])
    header, row = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert header == ["value"]
    (cell,) = row
    assert not cell.startswith(FORMULA_START)
    assert cell == value or (cell == "'" + value and value.startswith(FORMULA_START))


def test_hostile_rows_round_trip_through_the_csv_module() -> None:
    out = io.StringIO()
    rows = [[text, None, 3] for text in hostile_strings()]
    write_csv(out, ["text", "empty", "n"], rows)
    back = list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1:]
    assert [r[0] for r in back] == [safe_cell(t) for t in hostile_strings()]
    assert {(r[1], r[2]) for r in back} == {("", "3")}
