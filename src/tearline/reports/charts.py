"""Charts for assessments, drawn with matplotlib as SVG.

Output is deterministic: the object-oriented API is used (no pyplot global state),
the SVG id salt is fixed, the date metadata is dropped, and text is drawn as paths
with the DejaVu Sans font that matplotlib ships, so that the same figures give the
same bytes and the chart looks the same wherever it is opened.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import matplotlib
import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

RC: dict[Any, Any] = {
    "svg.hashsalt": "tearline",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
PALETTE = ("#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f")
SIZE = (7.0, 3.2)


def _days(days: Sequence[date]) -> npt.NDArray[np.datetime64]:
    return np.array([d.isoformat() for d in days], dtype="datetime64[D]")


def _render(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasSVG(figure)
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _figure() -> Figure:
    figure = Figure(figsize=SIZE, dpi=100)
    # Fixed margins: a layout engine would draw every chart twice to measure it.
    figure.subplots_adjust(left=0.09, right=0.98, bottom=0.12, top=0.9)
    return figure


def monthly_lines(
    series: Mapping[str, Sequence[tuple[date, float]]], title: str, ylabel: str
) -> bytes:
    """One line per named series over months (e.g. weight by region)."""
    with matplotlib.rc_context(RC):
        figure = _figure()
        axes = figure.add_subplot()
        for index, (name, points) in enumerate(sorted(series.items())):
            axes.plot(
                _days([p[0] for p in points]),
                [p[1] for p in points],
                label=name,
                color=PALETTE[index % len(PALETTE)],
                linewidth=1.4,
            )
        axes.set_title(title, loc="left")
        axes.set_ylabel(ylabel)
        axes.grid(axis="y", alpha=0.3)
        if series:
            axes.legend(frameon=False, fontsize=8)
        return _render(figure)


def bars(labels: Sequence[str], values: Sequence[float], title: str, ylabel: str) -> bytes:
    with matplotlib.rc_context(RC):
        figure = _figure()
        axes = figure.add_subplot()
        colors = [PALETTE[i % len(PALETTE)] for i in range(len(labels))]
        drawn = axes.bar(list(labels), list(values), color=colors)
        axes.bar_label(drawn, fmt="%.1f", fontsize=8)
        axes.set_title(title, loc="left")
        axes.set_ylabel(ylabel)
        axes.grid(axis="y", alpha=0.3)
        return _render(figure)


def trend(
    months: Sequence[date],
    values: Sequence[float],
    smoothed: Sequence[float | None],
    fitted: Sequence[float],
    title: str,
    ylabel: str,
) -> bytes:
    """Monthly totals as bars, the centred moving average, and the least-squares line."""
    with matplotlib.rc_context(RC):
        figure = _figure()
        axes = figure.add_subplot()
        axes.bar(_days(months), list(values), width=20, color="#b4c7e7", label="monthly total")
        kept = [(m, v) for m, v in zip(months, smoothed, strict=True) if v is not None]
        if kept:
            axes.plot(
                _days([m for m, _ in kept]),
                [v for _, v in kept],
                color=PALETTE[0],
                label="centred moving average",
            )
        if fitted:
            axes.plot(
                _days(months),
                list(fitted),
                color=PALETTE[1],
                linestyle="--",
                label="least-squares line",
            )
        axes.set_title(title, loc="left")
        axes.set_ylabel(ylabel)
        axes.grid(axis="y", alpha=0.3)
        axes.legend(frameon=False, fontsize=8)
        return _render(figure)


def places_map(points: Sequence[tuple[float, float, float, bool]], title: str) -> bytes:
    """A map-like scatter: longitude × latitude, marker area by weight.

    ``points`` are (longitude, latitude, kg, synthetic). No base map is drawn (it
    would need map data this node does not carry); the axes are degrees.
    """
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(7.0, 4.0), dpi=100)
        figure.subplots_adjust(left=0.09, right=0.98, bottom=0.12, top=0.92)
        axes = figure.add_subplot()
        largest = max((p[2] for p in points), default=1.0) or 1.0
        for synthetic, color, label in (
            (False, PALETTE[0], "recorded"),
            (True, PALETTE[4], "synthetic"),
        ):
            chosen = [p for p in points if p[3] is synthetic]
            if not chosen:
                continue
            axes.scatter(
                [p[0] for p in chosen],
                [p[1] for p in chosen],
                s=[20 + 280 * p[2] / largest for p in chosen],
                color=color,
                alpha=0.6,
                edgecolors="black",
                linewidths=0.4,
                label=label,
            )
        axes.set_xlabel("longitude (°)")
        axes.set_ylabel("latitude (°)")
        axes.set_title(title, loc="left")
        axes.grid(alpha=0.3)
        axes.set_aspect("equal", adjustable="datalim")
        if points:
            axes.legend(frameon=False, fontsize=8)
        return _render(figure)
