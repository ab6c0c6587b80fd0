"""Origin comparison against the hand-computed fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from tearline.analysis.frame import seizure_frame
from tearline.analysis.origins import compare_origins
from tearline.analysis.units import KG_PER_LB

DATA = Path(__file__).resolve().parent / "data"


def test_mexico_against_china_fentanyl_by_gross_weight() -> None:
    expected = json.loads((DATA / "origin_comparison_expected.json").read_text(encoding="utf-8"))
    frame = seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))
    result = compare_origins(frame, ("MX", "CN"), "fentanyl", weight="gross")
    assert result.all_kg == pytest.approx(expected["all_kg"], abs=1e-9)
    assert len(result.figures) == len(expected["figures"])
    for got, want in zip(result.figures, expected["figures"], strict=True):
        assert got.origin == want["origin"]
        assert got.events == want["events"]
        assert got.synthetic_events == want["synthetic_events"]
        assert got.kg == pytest.approx(want["kg"], abs=1e-9)
        assert got.lb == pytest.approx(want["kg"] / KG_PER_LB, abs=1e-9)
        num, den = want["share_of_compared"]
        assert got.share_of_compared == pytest.approx(num / den, abs=1e-12)
        num, den = want["share_of_all"]
        assert got.share_of_all == pytest.approx(num / den, abs=1e-12)
        assert [[y, pytest.approx(kg)] for y, kg in got.kg_by_year] == want["kg_by_year"]
    assert json.loads(json.dumps(result.to_dict()))["figures"][0]["origin"] == "mx"


def test_net_weight_counts_only_known_net_weights() -> None:
    frame = seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))
    result = compare_origins(frame, ("mx",), "fentanyl", weight="net")
    # s01 11.0 + s05 20.0; s03 has no net weight
    assert result.figures[0].kg == pytest.approx(31.0)
    assert result.figures[0].events == 3


def test_an_origin_without_seizures_is_reported_as_zero() -> None:
    frame = seizure_frame(pacsv.read_csv(DATA / "seizures.csv"))
    (figure,) = compare_origins(frame, ("ve",), "fentanyl").figures
    assert (figure.events, figure.kg, figure.share_of_compared) == (0, 0.0, 0.0)
