"""Charts are SVG and deterministic, and text from data is drawn as it is, never as markup."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import matplotlib
import pytest

from hostile import hostile_strings
from tearline.reports import charts


def test_same_figures_same_svg_bytes() -> None:
    series = {"Southwest Border": [(date(2023, 1, 1), 3.0), (date(2023, 2, 1), 5.0)]}
    first = charts.monthly_lines(series, "title", "kg")
    assert first == charts.monthly_lines(series, "title", "kg")
    assert first.startswith(b"<?xml") and b"<svg" in first
    assert b"<dc:date>" not in first
    assert charts.bars(["MX", "CN"], [2.0, 1.0], "t", "kg") == charts.bars(
        ["MX", "CN"], [2.0, 1.0], "t", "kg"
    )


def test_empty_inputs_still_draw() -> None:
    assert b"<svg" in charts.places_map([], "places")
    assert b"<svg" in charts.trend([], [], [], [], "trend", "kg")


# -- text from data is never markup (mathtext, TeX, legend conventions) ------------------


def _svg_text(svg: bytes) -> str:
    root = ElementTree.fromstring(svg)  # well-formed XML, whatever the labels
    return " ".join(t for el in root.iter() for t in (el.text,) if t)


@pytest.mark.parametrize("text", hostile_strings(), ids=lambda s: repr(s[:24]))
def test_labels_from_data_are_drawn_literally(text: str) -> None:
    series = {text: [(date(2023, 1, 1), 3.0), (date(2023, 2, 1), 5.0)], "Southwest": [
        (date(2023, 1, 1), 1.0)]}
    shown = charts.label(text)
    for svg in (
        charts.monthly_lines(series, f"{text}: monthly weight", text),
        charts.bars([text, "MX"], [2.0, 1.0], text, text),
    ):
        assert shown in _svg_text(svg), f"{shown!r} not drawn as given"


def test_titles_of_every_chart_are_drawn_literally() -> None:
    text = "$\\undefinedmacro{x}$ <b>"
    for svg in (
        charts.trend([date(2023, 1, 1)], [1.0], [None], [1.0], text, text),
        charts.places_map([(-117.0, 32.5, 1.0, False)], text),
    ):
        assert text in _svg_text(svg)


def test_a_matplotlibrc_asking_for_tex_or_mathtext_changes_nothing() -> None:
    text = "$\\undefinedmacro{x}$"
    series = {text: [(date(2023, 1, 1), 3.0)]}
    plain = charts.monthly_lines(series, text, "kg")
    with matplotlib.rc_context({"text.usetex": True, "text.parse_math": True}):
        assert charts.monthly_lines(series, text, "kg") == plain


def test_label_makes_one_short_line_and_keeps_legend_entries() -> None:
    assert charts.label("a\n  b\tc") == "a b c"
    assert charts.label("x" * 500) == "x" * (charts.MAX_LABEL - 1) + "…"
    assert charts.label("_nolegend_") == " _nolegend_"  # still shown in the legend
    assert charts.label("a\x00b\u202ec") == "a\ufffdb\ufffdc"
    assert charts.label("$x^2$") == "$x^2$"


def test_bars_whose_labels_shorten_alike_stay_apart() -> None:
    long_a, long_b = "p" * 100 + "a", "p" * 100 + "b"
    svg = charts.bars([long_a, long_b], [2.0, 1.0], "t", "kg")
    assert svg.count(b'id="patch_') >= 3  # the background and two bars
    assert _svg_text(svg).count(charts.label(long_a)) == 2
