"""The charts of an assessment's figures, in the report's language, as ``data:`` URIs.

The words on a chart (title, legend, the regions CBP names) are the report's language;
an SVG chart of a recipient's copy carries the copy's renderings like the page does.
"""

from __future__ import annotations

import base64

from tearline.i18n.vocabulary import label
from tearline.model.marking import Marking
from tearline.reports import charts, placemap
from tearline.reports.figures import Figures
from tearline.reports.marked import ReportCopy, mark_html
from tearline.reports.wording import gettext_for

_MEDIA = {"svg": "image/svg+xml", "png": "image/png"}


def chart_uri(image: bytes, fmt: charts.ChartFormat, copy: ReportCopy | None = None,
              marking: Marking | None = None) -> str:
    """A chart as a ``data:`` URI; an SVG one with ``copy`` has its text in the
    recipient's renderings (a date on an axis is text like any other)."""
    if fmt == "svg" and copy is not None and marking is not None:
        image = mark_html(image.decode("utf-8"), copy, marking).encode("utf-8")
    return f"data:{_MEDIA[fmt]};base64," + base64.b64encode(image).decode("ascii")


def assessment_charts(figures: Figures, drug: str, locale: str, fmt: charts.ChartFormat,
                      copy: ReportCopy | None = None,
                      marking: Marking | None = None) -> dict[str, str]:
    gettext = gettext_for(locale)
    name = label("drug", drug, locale)
    out = {
        f"monthly-{series.kind}": charts.monthly_lines(
            series.months, {label("cbp_region", region, locale): kg  # CBP names its regions
                            for region, kg in series.kg.items()},
            gettext("{drug}: monthly weight, {regions}").format(
                drug=name, regions=label("region", series.kind, locale)), "kg", fmt
        )
        for series in figures.monthly_by_region
    }
    out["trend"] = charts.trend(
        figures.trend.months,
        figures.trend.kg,
        figures.trend.moving_average,
        figures.trend.fitted(),
        gettext("{drug}: monthly total and trend").format(drug=name),
        "kg",
        fmt,
        gettext,
    )
    if figures.origins is not None:
        out["origins"] = charts.bars(
            [f.origin.upper() for f in figures.origins.figures],
            [f.kg for f in figures.origins.figures],
            gettext("{drug} by origin ({weight})").format(
                drug=name, weight=label("weight", figures.origins.weight, locale)),
            "kg",
            fmt,
        )
    if figures.places:
        out["places"] = placemap.places_map(
            [(p.longitude, p.latitude, p.kg, p.synthetic_events > 0) for p in figures.places],
            gettext("{drug}: seizure places").format(drug=name),
            fmt,
            gettext,
        )
    return {key: chart_uri(image, fmt, copy, marking) for key, image in out.items()}
