"""Assessments: sections, synthetic label, reproducibility, JSON figures."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from tearline.analysis.frame import SeizureFrame, seizure_frame
from tearline.analysis.units import KG_PER_LB
from tearline.errors import ValidationError
from tearline.reports.assessment import AssessmentInput, AssessmentParams, render_assessment
from tearline.sources.cbp import cbp_frame, read_cbp
from tearline.sources.provenance import FileProvenance

FIXTURE = Path(__file__).resolve().parents[1] / "analysis" / "data" / "seizures.csv"
WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
SOURCE = FileProvenance("example.csv", "ab" * 32, 3)


def _frame() -> SeizureFrame:
    return seizure_frame(pacsv.read_csv(FIXTURE))


def _input(frame: SeizureFrame | None = None) -> AssessmentInput:
    return AssessmentInput("mx.semar.uie", frame or _frame(), None, (SOURCE,))


PARAMS = AssessmentParams(drug="fentanyl", generated_at=WHEN)


class _Sections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.images: dict[str, str] = {}
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if tag == "section":
            self._section = str(attributes.get("id"))
        if tag == "img":
            self.images[self._section] = str(attributes.get("src"))


def test_html_has_every_section_and_the_synthetic_label() -> None:
    html = render_assessment(_input(), PARAMS, "html").decode("utf-8")
    parser = _Sections()
    parser.feed(html)
    for section in (
        "records-summary",
        "records-monthly",
        "records-origins",
        "records-trend",
        "records-top",
        "records-places",
        "methodology",
        "sources",
        "parameters",
        "synthetic-label",
        "digest",
    ):
        assert section in parser.ids, section
    for section in ("records-monthly", "records-origins", "records-trend", "records-places"):
        assert parser.images[section].startswith("data:image/svg+xml;base64,")
    assert "mx.semar.uie" in html
    assert "2024-01-02T03:04:05+00:00" in html
    assert SOURCE.sha256 in html
    assert "SYNTHETIC DATA: 2 of the 11 seizure records" in html


def test_no_synthetic_label_without_synthetic_records() -> None:
    table = pacsv.read_csv(FIXTURE)
    real = table.set_column(
        table.column_names.index("synthetic"),
        "synthetic",
        pa.array([False] * table.num_rows),
    )
    html = render_assessment(_input(seizure_frame(real)), PARAMS, "html").decode("utf-8")
    assert "SYNTHETIC" not in html and "synthetic record(s)" not in html


def test_same_data_gives_the_same_bytes_and_digest() -> None:
    first = render_assessment(_input(), PARAMS, "json")
    assert first == render_assessment(_input(), PARAMS, "json")
    assert render_assessment(_input(), PARAMS, "html") == render_assessment(
        _input(), PARAMS, "html"
    )
    # row order from the store does not matter
    table = _frame().table
    shuffled = SeizureFrame(table.take(pa.array(list(reversed(range(table.num_rows))))))
    assert render_assessment(_input(shuffled), PARAMS, "json") == first
    # the generation time is not an input
    later = replace(PARAMS, generated_at=datetime(2025, 1, 1, tzinfo=UTC))
    assert (
        json.loads(render_assessment(_input(), later, "json"))["inputs_digest"]
        == json.loads(first)["inputs_digest"]
    )


def test_digest_changes_with_the_data_and_the_parameters() -> None:
    base = json.loads(render_assessment(_input(), PARAMS, "json"))["inputs_digest"]
    table = _frame().table
    fewer = SeizureFrame(table.slice(1))
    assert json.loads(render_assessment(_input(fewer), PARAMS, "json"))["inputs_digest"] != base
    other = replace(PARAMS, end=date(2023, 6, 30))
    assert json.loads(render_assessment(_input(), other, "json"))["inputs_digest"] != base


def test_json_carries_the_same_figures() -> None:
    document = json.loads(render_assessment(_input(), PARAMS, "json"))
    assert document["subject"] == "mx.semar.uie"
    assert document["synthetic_data"] is True
    assert document["parameters"]["origins"] == ["mx", "cn"]
    assert document["kg_per_lb"] == 0.45359237
    mx, cn = document["records"]["origins"]["figures"]
    assert (mx["origin"], mx["kg"], cn["origin"], cn["kg"]) == ("mx", 74.5, "cn", 12.0)
    assert document["records"]["kg"] == 93.5
    assert document["sources"] == [{**SOURCE.to_dict(), "citation": None}]
    assert len(document["records"]["places"]) == 5  # fentanyl rows with coordinates


def test_period_window_and_empty_period() -> None:
    params = replace(PARAMS, start=date(2023, 1, 1), end=date(2023, 12, 31))
    document = json.loads(render_assessment(_input(), params, "json"))
    assert document["records"]["kg"] == pytest.approx(37.75)
    with pytest.raises(ValidationError):
        render_assessment(
            _input(), replace(PARAMS, start=date(2024, 1, 1), end=date(2023, 1, 1)), "json"
        )


def test_published_aggregates_are_shown_apart_with_their_hashes() -> None:
    folder = Path(__file__).resolve().parents[1] / "sources" / "data"
    series = read_cbp([folder / "cbp_older.csv", folder / "cbp_newer.csv"])
    data = AssessmentInput("mx.semar.uie", _frame(), cbp_frame(series), series.files)
    html = render_assessment(data, PARAMS, "html").decode("utf-8")
    parser = _Sections()
    parser.feed(html)
    assert {"aggregates-summary", "aggregates-monthly", "aggregates-trend"} <= set(parser.ids)
    assert "aggregates-origins" not in parser.ids  # CBP publishes no origin
    for provenance in series.files:
        assert provenance.sha256 in html
    document = json.loads(render_assessment(data, PARAMS, "json"))
    assert document["records"]["kg"] == 93.5  # aggregates are never added to the records
    assert document["aggregates"]["events"] == 4 + 6 + 7 + 10
    assert document["aggregates"]["kg"] == pytest.approx((100.5 + 41 + 50 + 70) * KG_PER_LB)


def test_html_charts_are_svg_and_the_pdfs_png(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint draws SVG element by element in Python; the PDF gets raster charts."""
    import tearline.reports.pdf as pdf

    html = render_assessment(_input(), PARAMS, "html").decode("utf-8")
    assert "data:image/svg+xml;base64," in html and "data:image/png" not in html
    seen: list[str] = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda text: seen.append(text) or b"%PDF-")
    assert render_assessment(_input(), PARAMS, "pdf") == b"%PDF-"
    assert "data:image/png;base64," in seen[0] and "data:image/svg" not in seen[0]
