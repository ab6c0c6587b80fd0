"""Threat assessments: figures, charts, method and sources, as HTML, PDF or JSON.

An assessment is built for one subject (the unit that asked) from what that subject
may see: ``AssessmentInput.seizures`` must already be the policy-filtered frame of
Seizure records. Published aggregate series (CBP) may be added as context; they are
shown apart from the records and never mixed into the records' totals.

Reproducibility: the document carries its exact parameters and a digest of its
inputs (:mod:`tearline.reports.digest`); the same data and parameters give the same
figures and the same digest. Only the generation time differs between runs, unless
``AssessmentParams.generated_at`` fixes it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

from tearline.analysis.change import YearKind
from tearline.analysis.engine import Selection, Weight
from tearline.analysis.frame import SeizureFrame
from tearline.analysis.units import KG_PER_LB, kg_to_lb
from tearline.errors import Problem, ValidationError
from tearline.reports import charts
from tearline.reports.digest import inputs_digest
from tearline.reports.figures import Figures, compute_figures
from tearline.sources.provenance import FileProvenance

Format = Literal["html", "pdf", "json"]


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    subject: str  # the unit the assessment is produced for, e.g. "mx.semar.uie"
    seizures: SeizureFrame  # Seizure records visible to ``subject``
    aggregates: SeizureFrame | None = None  # e.g. tearline.sources.cbp.cbp_frame(...)
    sources: tuple[FileProvenance, ...] = ()  # provenance of the aggregate files


@dataclass(frozen=True, slots=True)
class AssessmentParams:
    drug: str = "fentanyl"
    start: date | None = None
    end: date | None = None
    origins: tuple[str, ...] = ("mx", "cn")
    weight: Weight = "gross"
    period: YearKind = "fiscal_year"
    top: int = 10
    title: str = "Drug seizure threat assessment"
    generated_at: datetime | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, object]:
        """The parameters that decide the figures (the generation time does not)."""
        return {
            "drug": self.drug.lower(),
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "origins": [o.lower() for o in self.origins],
            "weight": self.weight,
            "period": self.period,
            "top": self.top,
            "title": self.title,
        }


@dataclass(frozen=True, slots=True)
class Assessment:
    subject: str
    params: AssessmentParams
    generated_at: datetime
    digest: str
    sources: tuple[FileProvenance, ...]
    records: Figures
    aggregates: Figures | None

    @property
    def synthetic(self) -> bool:
        return self.records.all_synthetic_events > 0

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.params.title,
            "subject": self.subject,
            "generated_at": self.generated_at.isoformat(),
            "parameters": self.params.to_dict(),
            "inputs_digest": self.digest,
            "kg_per_lb": KG_PER_LB,
            "synthetic_data": self.synthetic,
            "sources": [s.to_dict() for s in self.sources],
            "records": self.records.to_dict(),
            "aggregates": None if self.aggregates is None else self.aggregates.to_dict(),
        }


def build_assessment(data: AssessmentInput, params: AssessmentParams) -> Assessment:
    if params.start and params.end and params.start > params.end:
        raise ValidationError(
            "the period is empty", [Problem("start is after end", column="period")]
        )
    window = Selection(start=params.start, end=params.end)

    def figures(frame: SeizureFrame, label: str) -> Figures:
        return compute_figures(
            frame,
            label,
            drug=params.drug,
            window=window,
            origins=tuple(params.origins),
            weight=params.weight,
            period=params.period,
            top=params.top,
        )

    records = figures(data.seizures, "Seizure records")
    aggregates = (
        None if data.aggregates is None else figures(data.aggregates, "Published aggregates")
    )
    digest = inputs_digest(
        {"subject": data.subject, **params.to_dict()},
        [s.to_dict() for s in data.sources],
        {"seizures": data.seizures, "aggregates": data.aggregates},
    )
    return Assessment(
        subject=data.subject,
        params=params,
        generated_at=params.generated_at or datetime.now(UTC).replace(microsecond=0),
        digest=digest,
        sources=data.sources,
        records=records,
        aggregates=aggregates,
    )


def _svg_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _charts(figures: Figures, drug: str) -> dict[str, str]:
    out = {
        "monthly": charts.monthly_lines(
            figures.monthly_by_region, f"{drug}: monthly weight by region", "kg"
        ),
        "trend": charts.trend(
            figures.trend.months,
            figures.trend.kg,
            figures.trend.moving_average,
            figures.trend.fitted(),
            f"{drug}: monthly total and trend",
            "kg",
        ),
    }
    if figures.origins is not None:
        out["origins"] = charts.bars(
            [f.origin.upper() for f in figures.origins.figures],
            [f.kg for f in figures.origins.figures],
            f"{drug} by origin ({figures.origins.weight} weight)",
            "kg",
        )
    if figures.places:
        out["places"] = charts.places_map(
            [(p.longitude, p.latitude, p.kg, p.synthetic_events > 0) for p in figures.places],
            f"{drug}: seizure places",
        )
    return {name: _svg_uri(svg) for name, svg in out.items()}


def render_html(assessment: Assessment) -> str:
    """The assessment as HTML. Every value is escaped (autoescape on for every template,
    whatever its file name; no template marks data ``|safe``): text from data is never
    markup."""
    environment = Environment(
        loader=PackageLoader("tearline.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters["lb"] = kg_to_lb
    drug = assessment.params.drug.lower()
    return environment.get_template("assessment.html").render(
        a=assessment,
        drug=drug,
        record_charts=_charts(assessment.records, drug),
        aggregate_charts=None
        if assessment.aggregates is None
        else _charts(assessment.aggregates, drug),
        kg_per_lb=KG_PER_LB,
    )


def render_assessment(data: AssessmentInput, params: AssessmentParams, fmt: Format) -> bytes:
    """The assessment for ``data.subject`` as HTML, PDF or JSON bytes."""
    assessment = build_assessment(data, params)
    if fmt == "json":
        text = json.dumps(assessment.to_dict(), indent=2, sort_keys=True, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
    html = render_html(assessment)
    if fmt == "html":
        return html.encode("utf-8")
    if fmt == "pdf":
        from tearline.reports.pdf import html_to_pdf

        return html_to_pdf(html)
    raise ValidationError("unknown format", [Problem(f"{fmt!r}", column="format")])
