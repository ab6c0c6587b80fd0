"""Totals, counts, top N and shares by origin; the parts always add up to the whole."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.analysis.engine import DIMENSIONS, Selection
from tearline.analysis.frame import SeizureFrame, SeizureRow, seizure_frame
from tearline.analysis.totals import shares_by_origin, top_n, totals
from tearline.errors import ValidationError

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def frame() -> SeizureFrame:
    return seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))


def test_fentanyl_by_fiscal_year(frame: SeizureFrame) -> None:
    result = totals(frame, ("fiscal_year",), Selection(drugs=("Fentanyl",)))
    # FY2022 (Oct 2021-Sep 2022): s01 12.5 + s02 3.25; FY2023: the other six
    assert [(g.key, g.events, g.kg) for g in result.groups] == [
        ((2022,), 2, 15.75),
        ((2023,), 6, 77.75),
    ]


def test_by_quarter_month_and_year(frame: SeizureFrame) -> None:
    sel = Selection(drugs=("methamphetamine",))
    assert [g.key for g in totals(frame, ("quarter",), sel).groups] == [("2022-Q2",), ("2023-Q1",)]
    assert [g.key for g in totals(frame, ("month",), sel).groups] == [("2022-05",), ("2023-03",)]
    assert [g.kg for g in totals(frame, ("year",), sel).groups] == [150.0, 75.25]


def test_every_dimension_partitions_the_total(frame: SeizureFrame) -> None:
    whole = totals(frame)
    assert whole.events == 11 and whole.kg == pytest.approx(348.75)
    for name in DIMENSIONS:
        parts = totals(frame, (name,))  # type: ignore[arg-type]
        assert parts.events == whole.events, name
        assert parts.kg == pytest.approx(whole.kg), name


def test_date_window_is_inclusive(frame: SeizureFrame) -> None:
    sel = Selection(start=date(2023, 1, 9), end=date(2023, 2, 17))
    assert totals(frame, (), sel).kg == pytest.approx(22.75)


def test_top_n_heaviest_first_ties_by_key(frame: SeizureFrame) -> None:
    result = top_n(frame, "conveyance", 2)
    assert [g.key[0] for g in result.groups] == ["commercial truck", "passenger vehicle"]
    assert [g.kg for g in result.groups] == [198.0, 109.75]


def test_shares_by_origin_include_unknown(frame: SeizureFrame) -> None:
    shares = shares_by_origin(frame, Selection(drugs=("fentanyl",)))
    assert [s.origin for s in shares] == ["mx", "cn", None, "in"]
    assert sum(s.share for s in shares) == pytest.approx(1.0)
    assert shares[2].kg == 5.5


def test_synthetic_events_are_counted(frame: SeizureFrame) -> None:
    assert totals(frame).groups[0].synthetic_events == 2


def test_results_are_json_serializable(frame: SeizureFrame) -> None:
    text = json.dumps(totals(frame, ("origin", "drug")).to_dict())
    assert json.loads(text)["events"] == 11


def test_unknown_dimension_is_refused(frame: SeizureFrame) -> None:
    with pytest.raises(ValidationError):
        totals(frame, ("colour",))  # type: ignore[arg-type]


def test_empty_selection_gives_no_groups(frame: SeizureFrame) -> None:
    assert totals(frame, (), Selection(drugs=("khat",))).groups == ()


weights = st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["mx", "cn", None]), weights), max_size=30))
def test_origin_groups_sum_to_the_whole(items: list[tuple[str | None, float]]) -> None:
    rows = [
        SeizureRow(f"e{i}", date(2023, 1, 1), "fentanyl", gross_kg=kg, origin=origin)
        for i, (origin, kg) in enumerate(items)
    ]
    frame = seizure_frame(rows)
    parts = totals(frame, ("origin",))
    assert parts.events == len(items)
    assert parts.kg == pytest.approx(sum(kg for _, kg in items), abs=1e-6)
