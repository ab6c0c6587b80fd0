"""Threat assessments: figures, charts, method and sources, as HTML, PDF or JSON.

An assessment is built for one subject (the unit that asked) from what that subject
may see: ``AssessmentInput.seizures`` must already be the policy-filtered frame of
Seizure records. Published aggregate series (CBP) may be added as context; they are
shown apart from the records and never mixed into the records' totals.

Marked product (``docs/assessments.md``, *Marked products*): the document carries the
most restrictive marking of the inputs it used (``AssessmentInput.markings``), its
banner at the top and bottom of every page, page numbers, the date, and key judgments
in confidence language on page 1 (:mod:`tearline.reports.products`); a non-public one
carries its recipient's fingerprint (:mod:`tearline.reports.marked`).

Reproducibility: the document carries its exact parameters and a digest of its
inputs (:mod:`tearline.reports.digest`); the same data and parameters give the same
figures and the same digest. Only the generation time differs between runs, unless
``AssessmentParams.generated_at`` fixes it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Literal

from tearline.analysis.change import YearKind
from tearline.analysis.engine import Selection, Weight
from tearline.analysis.frame import SeizureFrame
from tearline.analysis.units import KG_PER_LB
from tearline.errors import Problem, ValidationError, tr
from tearline.i18n import DEFAULT
from tearline.i18n.vocabulary import label
from tearline.model.drugs import DRUGS, canonical_drug
from tearline.model.marking import Marking
from tearline.reports import charts
from tearline.reports.chart_set import assessment_charts, chart_uri
from tearline.reports.digest import inputs_digest
from tearline.reports.figures import Figures, compute_figures
from tearline.reports.longrun import ALPHA2, LongRun, long_run
from tearline.reports.marked import ReportCopy, labels, mark_html
from tearline.reports.products import KeyJudgment, banner, key_judgments, product_marking
from tearline.reports.wording import environment, gettext_for
from tearline.sources.citations import Citation, citation_for
from tearline.sources.provenance import FileProvenance
from tearline.sources.unodc import UnodcRow

Format = Literal["html", "pdf", "json"]


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    subject: str  # the unit the assessment is produced for, e.g. "mx.semar.uie"
    seizures: SeizureFrame  # Seizure records visible to ``subject``
    aggregates: SeizureFrame | None = None  # e.g. tearline.sources.cbp.cbp_frame(...)
    sources: tuple[FileProvenance, ...] = ()  # provenance of the aggregate files
    unodc: tuple[UnodcRow, ...] | None = None  # the UNODC annual series, for the long run
    #: the markings of the records used, as the subject sees them (record and portions)
    markings: tuple[Marking, ...] = ()


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
    long_run: LongRun | None = None
    marking: Marking = field(default_factory=lambda: product_marking(()))
    judgments: tuple[KeyJudgment, ...] = ()

    @property
    def banner(self) -> str:
        return banner(self.marking)

    @property
    def synthetic(self) -> bool:
        return self.records.all_synthetic_events > 0

    def citations(self) -> list[tuple[FileProvenance, Citation | None]]:
        """Each source file with its publisher, title, URL and retrieval, where known."""
        return [(s, citation_for(s.sha256)) for s in self.sources]

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.params.title,
            "subject": self.subject,
            "marking": self.marking.to_dict(),
            "banner": self.banner,
            "key_judgments": [j.to_dict() for j in self.judgments],
            "generated_at": self.generated_at.isoformat(),
            "parameters": self.params.to_dict(),
            "inputs_digest": self.digest,
            "kg_per_lb": KG_PER_LB,
            "synthetic_data": self.synthetic,
            "sources": [
                {**s.to_dict(), "citation": None if c is None else c.to_dict()}
                for s, c in self.citations()
            ],
            "records": self.records.to_dict(),
            "aggregates": None if self.aggregates is None else self.aggregates.to_dict(),
            "long_run": None if self.long_run is None else self.long_run.to_dict(),
        }


def check_params(params: AssessmentParams, today: date) -> AssessmentParams:
    """``params`` with the drug's canonical name, or a :class:`ValidationError` when the
    drug is not one tearline knows or the period has not begun by ``today``.

    Without these checks an unknown drug or a future period gives a report of zeros
    that reads like a finding ("no fentanil seized"). Both answers depend on the
    vocabulary and the calendar only, never on what is stored.
    """
    drug = canonical_drug(params.drug)
    if drug is None:
        raise ValidationError(
            tr("unknown drug {drug!r}", drug=params.drug[:40]),
            [Problem(tr("use one of: {drugs}", drugs=", ".join(DRUGS)), column="drug")],
        )
    if params.start and params.end and params.start > params.end:
        raise ValidationError(
            tr("the period is empty"), [Problem(tr("start is after end"), column="period")]
        )
    if params.start is not None and params.start > today:
        raise ValidationError(
            tr("the period begins on {start}, after today ({today}): there is nothing to "
               "report yet", start=params.start.isoformat(), today=today.isoformat()),
            [Problem(tr("choose a period that has begun"), column="period")],
        )
    return replace(params, drug=drug)


def build_assessment(data: AssessmentInput, params: AssessmentParams) -> Assessment:
    generated_at = params.generated_at or datetime.now(UTC).replace(microsecond=0)
    params = check_params(params, generated_at.date())
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
        generated_at=generated_at,
        digest=digest,
        sources=data.sources,
        records=records,
        aggregates=aggregates,
        long_run=None if data.unodc is None else long_run(data.unodc, params.drug),
        marking=product_marking(data.markings),
        judgments=tuple(key_judgments(records, params.drug.lower(), generated_at)),
    )


def render_html(assessment: Assessment, locale: str = DEFAULT,
                chart_format: charts.ChartFormat = "svg",
                copy: ReportCopy | None = None) -> str:
    """The assessment as HTML in ``locale`` (es_MX or en_US). Every value is escaped
    (autoescape on for every template, whatever its file name; no template marks data
    ``|safe``): text from data is never markup. Charts are SVG, or PNG for the HTML a
    PDF is made from (``charts.ChartFormat``); with ``copy``, the recipient's renderings."""
    drug = assessment.params.drug.lower()
    gettext = gettext_for(locale)
    return environment(locale).get_template("assessment.html").render(
        a=assessment,
        locale=locale,
        drug=drug,
        drug_name=label("drug", drug, locale),
        record_charts=assessment_charts(assessment.records, drug, locale, chart_format, copy,
                                        assessment.marking),
        aggregate_charts=None
        if assessment.aggregates is None
        else assessment_charts(assessment.aggregates, drug, locale, chart_format, copy,
                               assessment.marking),
        long_run_chart=None
        if assessment.long_run is None
        else chart_uri(charts.annual_lines(
            assessment.long_run.years,
            {label("country", ALPHA2.get(country, country), locale): kg
             for country, kg in assessment.long_run.kg.items()},
            gettext("{drug}: yearly seizures reported to UNODC").format(
                drug=label("drug", drug, locale)),
            gettext("kg equivalent"), chart_format,
        ), chart_format, copy, assessment.marking),
        kg_per_lb=KG_PER_LB,
        copy_mark=None if copy is None else copy.mark_for(assessment.marking),
        t=labels(),
    )


def render_assessment(data: AssessmentInput, params: AssessmentParams, fmt: Format,
                      locale: str = DEFAULT, copy: ReportCopy | None = None) -> bytes:
    """The assessment for ``data.subject`` as HTML, PDF or JSON bytes; HTML and PDF in
    ``locale`` (the JSON is data: the same in every language); with ``copy``, a
    non-public one carries that recipient's fingerprint."""
    return render_formats(data, params, (fmt,), copy=copy, locale=locale)[fmt]


def render_formats(
    data: AssessmentInput, params: AssessmentParams, formats: Sequence[Format],
    copy: ReportCopy | None = None, locale: str = DEFAULT,
) -> dict[Format, bytes]:
    """The assessment in each of ``formats``, its figures and digest computed once."""
    assessment = build_assessment(data, params)
    return {fmt: _render(assessment, fmt, copy, locale) for fmt in formats}


def _render(assessment: Assessment, fmt: Format, copy: ReportCopy | None,
            locale: str) -> bytes:
    if fmt == "json":
        out = assessment.to_dict()
        mark = None if copy is None else copy.mark_for(assessment.marking)
        if mark is not None:
            out["copy"] = mark
        text = json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
    if fmt == "html":
        html = render_html(assessment, locale, "svg", copy)
        return mark_html(html, copy, assessment.marking).encode("utf-8")
    if fmt == "pdf":
        from tearline.reports.pdf import html_to_pdf

        return html_to_pdf(mark_html(render_html(assessment, locale, "png", copy), copy,
                                     assessment.marking))
    raise ValidationError(tr("unknown format"), [Problem(repr(fmt), column="format")])
