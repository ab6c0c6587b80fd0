"""Monthly weight by region: Mexican states and CBP regions apart, every month filled."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from tearline.analysis.engine import Selection
from tearline.analysis.frame import SeizureFrame, seizure_frame
from tearline.analysis.regions import classify, monthly_by_region

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def frame() -> SeizureFrame:
    return seizure_frame(pacsv.read_csv(DATA / "regions_sparse.csv"))


@pytest.mark.parametrize(("region", "kind"), [
    ("Colima", "mx-state"), ("michoacan", "mx-state"), ("MICHOACÁN DE OCAMPO", "mx-state"),
    ("Baja  California", "mx-state"), ("Ciudad de México", "mx-state"),
    ("Southwest Border", "cbp-region"), ("coastal/interior", "cbp-region"),
    ("Texas", "other"), ("", "other"), (None, "other"),
])  # fmt: skip
def test_classify(region: str | None, kind: str) -> None:
    assert classify(region) == kind


def test_states_and_cbp_regions_are_never_in_one_series(frame: SeizureFrame) -> None:
    series = monthly_by_region(frame, Selection(drugs=("fentanyl",)))
    kinds = {s.kind: s for s in series}
    assert list(kinds) == ["mx-state", "cbp-region", "other"]
    assert set(kinds["mx-state"].kg) == {"Colima", "Michoacán", "michoacan"}
    assert set(kinds["cbp-region"].kg) == {"Southwest Border", "Field Operations"}
    assert set(kinds["other"].kg) == {"Texas", "unknown"}


def test_every_month_is_filled_and_a_single_seizure_is_kept(frame: SeizureFrame) -> None:
    (states, *_) = monthly_by_region(frame, Selection(drugs=("fentanyl",)))
    assert states.months[0] == date(2022, 11, 1) and states.months[-1] == date(2023, 6, 1)
    assert len(states.months) == 8  # November to June, the empty months included
    colima = dict(zip(states.months, states.kg["Colima"], strict=True))
    assert colima[date(2023, 2, 1)] == 461.0
    assert sum(colima.values()) == 461.0  # its other months are 0, not left out
    michoacan = states.kg["Michoacán"]
    assert michoacan[0] == 318.0 and michoacan[1:] == (0.0,) * 7  # no ramp to June


def test_the_window_sets_the_months(frame: SeizureFrame) -> None:
    window = Selection(drugs=("fentanyl",), start=date(2023, 1, 1), end=date(2023, 12, 31))
    series = monthly_by_region(frame, window)
    assert all(len(s.months) == 12 for s in series)
    assert all(len(values) == 12 for s in series for values in s.kg.values())
    assert monthly_by_region(frame, Selection(drugs=("heroin",))) == ()
