"""Charts are SVG and deterministic."""

from __future__ import annotations

from datetime import date

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
