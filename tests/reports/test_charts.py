"""Charts are SVG and deterministic, and text from data is drawn as it is, never as markup."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import matplotlib
import pytest

from hostile import hostile_strings
from tearline.reports import charts, placemap


def test_same_figures_same_svg_bytes() -> None:
    months, series = [date(2023, 1, 1), date(2023, 2, 1)], {"Southwest Border": [3.0, 5.0]}
    first = charts.monthly_lines(months, series, "title", "kg")
    assert first == charts.monthly_lines(months, series, "title", "kg")
    assert first.startswith(b"<?xml") and b"<svg" in first
    assert b"<dc:date>" not in first
    assert charts.bars(["MX", "CN"], [2.0, 1.0], "t", "kg") == charts.bars(
        ["MX", "CN"], [2.0, 1.0], "t", "kg"
    )


def test_png_charts_for_pdf_are_deterministic_png() -> None:
    months, series = [date(2023, 1, 1), date(2023, 2, 1)], {"Southwest Border": [3.0, 5.0]}
    first = charts.monthly_lines(months, series, "title", "kg", "png")
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert first == charts.monthly_lines(months, series, "title", "kg", "png")
    assert b"matplotlib" not in first  # no software version written
    assert placemap.places_map([(-100.0, 20.0, 1.0, True)], "places", "png").startswith(b"\x89PNG")


def test_empty_inputs_still_draw() -> None:
    assert b"<svg" in placemap.places_map([], "places")
    assert b"<svg" in charts.monthly_lines([], {}, "monthly", "kg")
    assert b"<svg" in charts.trend([], [], [], [], "trend", "kg")


# -- text from data is never markup (mathtext, TeX, legend conventions) ------------------


def _svg_text(svg: bytes) -> str:
    root = ElementTree.fromstring(svg)  # well-formed XML, whatever the labels
    return " ".join(t for el in root.iter() for t in (el.text,) if t)


@pytest.mark.parametrize("text", hostile_strings(), ids=lambda s: repr(s[:24]))
def test_labels_from_data_are_drawn_literally(text: str) -> None:
    months = [date(2023, 1, 1), date(2023, 2, 1)]
    series = {text: [3.0, 5.0], "Southwest": [1.0, 0.0]}
    shown = charts.label(text)
    for svg in (
        charts.monthly_lines(months, series, f"{text}: monthly weight", text),
        charts.annual_lines([2018, 2019], {text: [1.0, None]}, text, text),
        charts.bars([text, "MX"], [2.0, 1.0], text, text),
    ):
        assert shown in _svg_text(svg), f"{shown!r} not drawn as given"


def test_titles_of_every_chart_are_drawn_literally() -> None:
    text = "$\\undefinedmacro{x}$ <b>"
    for svg in (
        charts.trend([date(2023, 1, 1)], [1.0], [None], [1.0], text, text),
        placemap.places_map([(-117.0, 32.5, 1.0, False)], text),
    ):
        assert text in _svg_text(svg)


def test_a_matplotlibrc_asking_for_tex_or_mathtext_changes_nothing() -> None:
    text = "$\\undefinedmacro{x}$"
    months, series = [date(2023, 1, 1)], {text: [3.0]}
    plain = charts.monthly_lines(months, series, text, "kg")
    with matplotlib.rc_context({"text.usetex": True, "text.parse_math": True}):
        assert charts.monthly_lines(months, series, text, "kg") == plain


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


# -- what the charts draw (their artists, not their pixels) ------------------------------


def test_monthly_lines_draw_every_month_with_a_marker_and_hold_the_largest_point() -> None:
    months = [date(2023, m, 1) for m in range(1, 8)]
    # a single 461 kg month (Colima), a region seized from only at both ends (Michoacán)
    series = {"Colima": [0.0, 461.0, 0.0, 0.0, 0.0, 0.0, 0.0],
              "Michoacán": [318.0, 0.0, 0.0, 0.0, 0.0, 0.0, 14500.0]}
    axes = charts.monthly_figure(months, series, "t", "kg").axes[0]
    lines = {line.get_label(): line for line in axes.get_lines()}
    assert set(lines) == {"Colima", "Michoacán"}
    for name, line in lines.items():
        assert line.get_marker() == "o"  # a month seen once is still a visible point
        assert list(line.get_ydata()) == series[name]  # every month, the empty ones at 0
        assert len(line.get_xdata()) == len(months)
    low, high = axes.get_ylim()
    assert low == 0.0 and high >= 14500.0
    single = charts.monthly_figure(months[:1], {"Colima": [461.0]}, "t", "kg").axes[0]
    assert single.get_ylim()[1] >= 461.0
    assert single.get_lines()[0].get_marker() == "o"


def test_annual_lines_leave_unreported_years_as_gaps() -> None:
    axes = charts.annual_figure([2017, 2018, 2019], {"Mexico": [5.0, None, 7.0]}, "t",
                                "kg").axes[0]
    (line,) = axes.get_lines()
    values = list(line.get_ydata())
    assert values[0] == 5.0 and values[2] == 7.0 and values[1] != values[1]  # NaN: a gap
    assert axes.get_ylim()[1] >= 7.0
