"""The seizures page: the viewer's threat assessment — figures, charts, key judgments —
with its filters, and the PDF download.

The same code as ``tearline report assessment`` and ``GET /reports/assessment``: the
viewer's visible Seizure records (``Store.seizure_frame``, logged as reads by path
``report``), the parameters checked by ``check_params`` (an unknown drug, an empty or
future period, a bad country code: a 4xx page), the figures of ``build_assessment``.
The charts are the assessment's own, as SVG ``data:`` URIs (the Content-Security-Policy
allows ``img-src data:``; an SVG shown as an image runs no script): SVG rather than PNG
because matplotlib writes it in half the time and half the bytes. The PDF is the
report's document with the recipient's fingerprint, indexed and logged like the CLI's
and the API's (``log_report``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from tearline.errors import Problem, ValidationError, tr
from tearline.i18n.vocabulary import label
from tearline.model.drugs import DRUGS
from tearline.policy.subject import Subject
from tearline.reports.assessment import (
    AssessmentInput,
    AssessmentParams,
    build_assessment,
    check_params,
    render_assessment,
)
from tearline.reports.build import (
    assessment_input,
    cbp_series,
    log_report,
    parse_period,
    report_copy,
    unodc_series,
)
from tearline.reports.chart_set import assessment_charts
from tearline.store import Store
from tearline.web.context import locale_of, page, viewer, web_of

WEIGHTS = ("gross", "net")
YEARS = ("fiscal_year", "year")
MAX_ORIGINS = 8


@dataclass(frozen=True)
class Filters:
    """The page's filters as the form sends them (and as its links repeat them)."""

    drug: str = "fentanyl"
    period: str = ""
    origins: str = "mx, cn"
    weight: str = "gross"
    years: str = "fiscal_year"

    @classmethod
    def of(cls, request: Request) -> Filters:
        q = request.query_params
        return cls(drug=q.get("drug", cls.drug).strip()[:40] or cls.drug,
                   period=q.get("period", "").strip()[:40],
                   origins=q.get("origins", cls.origins).strip()[:60] or cls.origins,
                   weight=q.get("weight", cls.weight), years=q.get("years", cls.years))

    def query(self) -> str:
        return urlencode({"drug": self.drug, "period": self.period, "origins": self.origins,
                          "weight": self.weight, "years": self.years})

    def params(self, today: datetime) -> AssessmentParams:
        """The assessment's parameters, checked as the API checks them."""
        problems = []
        if self.weight not in WEIGHTS:
            problems.append(Problem(tr("one of {choices}", choices=", ".join(WEIGHTS)),
                                    column="weight"))
        if self.years not in YEARS:
            problems.append(Problem(tr("one of {choices}", choices=", ".join(YEARS)),
                                    column="years"))
        origins = tuple(o.strip().lower() for o in self.origins.split(",") if o.strip())
        bad = [o for o in origins if not (len(o) == 2 and o.isascii() and o.isalpha())]
        if bad or not origins or len(origins) > MAX_ORIGINS:
            problems.append(Problem(tr("one to {most} ISO 3166 alpha-2 codes, separated by "
                                       "commas", most=MAX_ORIGINS), column="origins"))
        if problems:
            raise ValidationError(tr("invalid assessment filters"), problems)
        start, end = parse_period(self.period or None)
        return check_params(AssessmentParams(
            drug=self.drug.lower(), start=start, end=end, origins=origins,
            weight=cast(Literal["gross", "net"], self.weight),
            period=cast(Literal["fiscal_year", "year"], self.years)), today.date())


def _input(store: Store, subject: Subject, now: datetime) -> AssessmentInput:
    """The viewer's assessment input, as the API builds it (audited read)."""
    return assessment_input(store, subject, now, cbp_series(store, None),
                            unodc_series(store, None))


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/seizures")
    def seizures(request: Request) -> HTMLResponse:
        session = viewer(request)
        store = web_of(request).store
        chosen = Filters.of(request)
        now = datetime.now(UTC)
        params = chosen.params(now)
        assessment = build_assessment(_input(store, session.subject, now), params)
        locale = locale_of(request)
        charts = assessment_charts(assessment.records, params.drug, locale, "svg")
        regions = {s.kind: label("region", s.kind, locale)
                   for s in assessment.records.monthly_by_region}
        return page(request, "seizures.html", a=assessment, f=assessment.records,
                    charts=charts, regions=regions, chosen=chosen, drugs=DRUGS,
                    weights=WEIGHTS, years=YEARS, query=chosen.query())

    @web.get("/seizures/pdf")
    def pdf(request: Request) -> Response:
        session = viewer(request)
        store = web_of(request).store
        now = datetime.now(UTC)
        params = Filters.of(request).params(now)
        data = _input(store, session.subject, now)
        copy = report_copy(store, session.subject)
        document = render_assessment(data, params, "pdf", locale_of(request), copy)
        log_report(store, copy, data)
        return Response(document, media_type="application/pdf", headers={
            "Content-Disposition": 'attachment; filename="assessment.pdf"'})

    return web
