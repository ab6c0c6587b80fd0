"""Charts of published series are drawn once for the same input, and a kept chart is
the chart drawing it again gives; charts of a unit's records are never kept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from tearline.analysis.frame import seizure_frame
from tearline.reports import published_charts
from tearline.reports.assessment import AssessmentInput, AssessmentParams, build_assessment
from tearline.reports.chart_set import assessment_charts
from tearline.sources.provenance import FileProvenance

FIXTURE = Path(__file__).resolve().parents[1] / "analysis" / "data" / "seizures.csv"


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(published_charts, "_kept", type(published_charts._kept)())


def test_the_same_input_is_drawn_once() -> None:
    calls: list[int] = []

    def draw() -> dict[str, bytes]:
        calls.append(1)
        return {"chart": b"drawn"}

    first = published_charts.drawn(("chart", 1, "en_US", "svg"), draw)
    again = published_charts.drawn(("chart", 1, "en_US", "svg"), draw)
    assert first == again == {"chart": b"drawn"} and len(calls) == 1
    published_charts.drawn(("chart", 1, "es_MX", "svg"), draw)  # another language
    published_charts.drawn(("chart", 1, "en_US", "png"), draw)  # another format
    assert len(calls) == 3


def test_a_caller_changing_its_charts_changes_nothing_kept() -> None:
    published_charts.drawn("key", lambda: {"chart": b"drawn"})["chart"] = b"changed"
    assert published_charts.drawn("key", lambda: {}) == {"chart": b"drawn"}


def test_the_least_recently_used_are_dropped_beyond_the_limit() -> None:
    for n in range(published_charts.LIMIT + 1):
        published_charts.drawn(n, lambda n=n: {"chart": str(n).encode()})
    published_charts.drawn(0, lambda: {"chart": b"drawn again"})
    assert published_charts.drawn(0, lambda: {}) == {"chart": b"drawn again"}
    assert len(published_charts._kept) == published_charts.LIMIT


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_kept_charts_are_the_charts_drawn_anew(fmt: str) -> None:
    data = AssessmentInput("mx.semar.uie", seizure_frame(pacsv.read_csv(FIXTURE)), None,
                           (FileProvenance("example.csv", "ab" * 32, 3),))
    figures = build_assessment(data, AssessmentParams(
        drug="fentanyl", generated_at=datetime(2024, 1, 2, tzinfo=UTC))).records
    fresh = assessment_charts(figures, "fentanyl", "en_US", fmt)  # type: ignore[arg-type]
    assert not published_charts._kept  # a unit's records: never kept
    kept = assessment_charts(figures, "fentanyl", "en_US", fmt,  # type: ignore[arg-type]
                             published=True)
    assert len(published_charts._kept) == 1
    assert kept == fresh == assessment_charts(figures, "fentanyl", "en_US",
                                              fmt, published=True)  # type: ignore[arg-type]
