"""Charts for assessments, drawn with matplotlib as SVG (for HTML) or PNG (for PDF).

Output is deterministic: the object-oriented API is used (no pyplot global state),
the SVG id salt is fixed, the date metadata is dropped, and text is written as SVG
text in the DejaVu Sans font that matplotlib ships, so that the same figures give
the same bytes.

Text is never markup. Labels come from data that any unit with a write token may
have written (a region named ``$\\undefinedmacro{x}$`` must not make every unit's
assessment fail), so every chart is drawn with mathtext and TeX switched off
(:data:`LITERAL`, pinned whatever a ``matplotlibrc`` says), and every string that
comes from data or parameters goes through :func:`label` first. matplotlib escapes
the SVG text it writes.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

import matplotlib
import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from tearline.model.text import BIDI_CONTROLS

#: Text is drawn as given: no mathtext (``$…$``), no TeX, no mathtext in tick offsets.
LITERAL: dict[str, Any] = {
    "text.usetex": False,
    "text.parse_math": False,
    "axes.formatter.use_mathtext": False,
}
RC: dict[Any, Any] = {
    **LITERAL,
    "svg.hashsalt": "tearline",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
#: ``svg`` for HTML (sharp at any zoom, text selectable); ``png`` for PDF, because
#: WeasyPrint's SVG renderer walks every element of a chart in Python while it embeds a
#: raster image as it is (``docs/benchmarks.md``, "Assessments").
ChartFormat = Literal["svg", "png"]
#: Resolution of PNG charts: 7 inches wide at 150 dpi is sharp on a printed page.
PNG_DPI = 150
PALETTE = ("#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f")
SIZE = (7.0, 3.2)
#: The longest label drawn; the tables of the document show the whole text.
MAX_LABEL = 60
_SPACE = re.compile(r"\s+")


def _unprintable(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") or bool(
        BIDI_CONTROLS.match(char)
    )


def label(text: object) -> str:
    """``text`` as one line a chart can draw literally: whitespace (newlines included)
    collapsed, control characters, bidirectional controls, surrogates and unassigned
    code points replaced by U+FFFD (data stored before they were refused, or from a
    peer, still draws, and shows where they were), at most
    :data:`MAX_LABEL` characters (an ellipsis marks the cut).

    Markup characters (``$``, ``\\``, ``<``) are kept: :data:`LITERAL` makes matplotlib
    draw them as they are, and its SVG writer escapes them. A leading underscore, which
    matplotlib reads as "leave out of the legend", is kept visible behind a space.
    """
    line = _SPACE.sub(" ", str(text)).strip()
    line = "".join("\ufffd" if _unprintable(c) else c for c in line)
    if len(line) > MAX_LABEL:
        line = line[: MAX_LABEL - 1] + "…"
    return " " + line if line.startswith("_") else line


def _days(days: Sequence[date]) -> npt.NDArray[np.datetime64]:
    return np.array([d.isoformat() for d in days], dtype="datetime64[D]")


def render(figure: Figure, fmt: ChartFormat = "svg") -> bytes:
    """The figure as SVG or PNG bytes, the same bytes for the same figure (no date, no
    software version written)."""
    buffer = io.BytesIO()
    if fmt == "png":
        FigureCanvasAgg(figure)
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    else:
        FigureCanvasSVG(figure)
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _figure() -> Figure:
    figure = Figure(figsize=SIZE, dpi=100)
    # Fixed margins: a layout engine would draw every chart twice to measure it.
    figure.subplots_adjust(left=0.09, right=0.98, bottom=0.12, top=0.9)
    return figure


def monthly_figure(
    months: Sequence[date], series: Mapping[str, Sequence[float]], title: str, ylabel: str
) -> Figure:
    """One line per named series over ``months``, a marker on every month.

    Every series has one value per month (0 where nothing was seized), so a line
    joins neighbouring months only and a region seen once is still drawn as a point.
    The y-axis starts at 0 and is set to hold the largest value, whatever the
    autoscaling would have chosen.
    """
    figure = _figure()
    axes = figure.add_subplot()
    x = _days(months)
    for index, (name, values) in enumerate(sorted(series.items())):
        axes.plot(
            x,
            list(values),
            label=label(name),
            color=PALETTE[index % len(PALETTE)],
            linewidth=1.2,
            marker="o",
            markersize=3,
        )
    top = max((v for values in series.values() for v in values), default=0.0)
    axes.set_ylim(0.0, top * 1.08 if top > 0 else 1.0)
    axes.set_title(label(title), loc="left")
    axes.set_ylabel(label(ylabel))
    axes.grid(axis="y", alpha=0.3)
    if series:
        axes.legend(frameon=False, fontsize=8)
    return figure


def monthly_lines(
    months: Sequence[date], series: Mapping[str, Sequence[float]], title: str, ylabel: str,
    fmt: ChartFormat = "svg",
) -> bytes:
    """:func:`monthly_figure` as SVG (or PNG)."""
    with matplotlib.rc_context(RC):
        return render(monthly_figure(months, series, title, ylabel), fmt)


def annual_figure(
    years: Sequence[int], series: Mapping[str, Sequence[float | None]], title: str, ylabel: str
) -> Figure:
    """One line per named series over years, a marker on every reported year; a year
    without a value (``None``) is a gap in the line, not a zero."""
    figure = _figure()
    axes = figure.add_subplot()
    for index, (name, values) in enumerate(sorted(series.items())):
        axes.plot(
            list(years),
            [math.nan if v is None else v for v in values],
            label=label(name),
            color=PALETTE[index % len(PALETTE)],
            linewidth=1.2,
            marker="o",
            markersize=3,
        )
    top = max((v for values in series.values() for v in values if v is not None), default=0.0)
    axes.set_ylim(0.0, top * 1.08 if top > 0 else 1.0)
    axes.set_title(label(title), loc="left")
    axes.set_ylabel(label(ylabel))
    axes.grid(axis="y", alpha=0.3)
    if series:
        axes.legend(frameon=False, fontsize=8)
    return figure


def annual_lines(
    years: Sequence[int], series: Mapping[str, Sequence[float | None]], title: str, ylabel: str,
    fmt: ChartFormat = "svg",
) -> bytes:
    """:func:`annual_figure` as SVG (or PNG)."""
    with matplotlib.rc_context(RC):
        return render(annual_figure(years, series, title, ylabel), fmt)


def bars(labels: Sequence[str], values: Sequence[float], title: str, ylabel: str,
         fmt: ChartFormat = "svg") -> bytes:
    with matplotlib.rc_context(RC):
        figure = _figure()
        axes = figure.add_subplot()
        colors = [PALETTE[i % len(PALETTE)] for i in range(len(labels))]
        # Positions, not categories: two labels alike once shortened stay two bars.
        positions = list(range(len(labels)))
        drawn = axes.bar(positions, list(values), color=colors)
        axes.set_xticks(positions, [label(x) for x in labels])
        axes.bar_label(drawn, fmt="%.1f", fontsize=8)
        axes.set_title(label(title), loc="left")
        axes.set_ylabel(label(ylabel))
        axes.grid(axis="y", alpha=0.3)
        return render(figure, fmt)


def trend(
    months: Sequence[date],
    values: Sequence[float],
    smoothed: Sequence[float | None],
    fitted: Sequence[float],
    title: str,
    ylabel: str,
    fmt: ChartFormat = "svg",
    gettext: Callable[[str], str] = str,
) -> bytes:
    """Monthly totals as bars, the centred moving average, and the least-squares line;
    the legend's words in the language of ``gettext``."""
    with matplotlib.rc_context(RC):
        figure = _figure()
        axes = figure.add_subplot()
        axes.bar(_days(months), list(values), width=20, color="#b4c7e7",
                 label=gettext("monthly total"))
        kept = [(m, v) for m, v in zip(months, smoothed, strict=True) if v is not None]
        if kept:
            axes.plot(
                _days([m for m, _ in kept]),
                [v for _, v in kept],
                color=PALETTE[0],
                label=gettext("centred moving average"),
            )
        if fitted:
            axes.plot(
                _days(months),
                list(fitted),
                color=PALETTE[1],
                linestyle="--",
                label=gettext("least-squares line"),
            )
        axes.set_title(label(title), loc="left")
        axes.set_ylabel(label(ylabel))
        axes.grid(axis="y", alpha=0.3)
        axes.legend(frameon=False, fontsize=8)
        return render(figure, fmt)
