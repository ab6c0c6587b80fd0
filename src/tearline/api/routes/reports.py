"""Threat assessments as JSON, HTML or PDF: the same document `tearline report assessment`
writes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from tearline import i18n
from tearline.api.deps import AUTHED, Reader, StoreDep
from tearline.errors import Problem, ValidationError, tr
from tearline.i18n.messages import content_language
from tearline.reports.assessment import AssessmentParams, check_params, render_assessment
from tearline.reports.build import (
    assessment_input,
    cbp_series,
    log_report,
    parse_period,
    report_copy,
    unodc_series,
)

MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def router() -> APIRouter:
    api = APIRouter(tags=["reports"], responses=AUTHED)

    @api.get("/reports/assessment", summary="Seizure threat assessment for the caller's unit, "
             "built only from the Seizure statements it may see", response_model=None,
             responses={200: {"content": {"application/json": {}, "text/html": {},
                                          "application/pdf": {}},
                              "description": "the assessment in the format asked for"}})
    def assessment(
        principal: Reader,
        store: StoreDep,
        drug: Annotated[str, Query(min_length=2, max_length=40, pattern=r"^[A-Za-z -]+$")] = (
            "fentanyl"
        ),
        period: Annotated[str | None, Query(max_length=40)] = None,
        origin: Annotated[list[str] | None, Query(max_length=8)] = None,
        weight: Literal["gross", "net"] = "gross",
        years: Literal["fiscal_year", "year"] = "fiscal_year",
        fmt: Annotated[Literal["json", "html", "pdf"], Query(alias="format")] = "json",
        lang: Annotated[str | None, Query(max_length=16, description=(
            "es-MX or en-US: the language of HTML and PDF (default: Accept-Language)"))] = None,
        accept_language: Annotated[str | None, Header(max_length=512)] = None,
    ) -> dict[str, Any] | Response:
        start, end = parse_period(period)
        origins = tuple(o.strip().lower() for o in origin) if origin else ("mx", "cn")
        bad = [o for o in origins if not (len(o) == 2 and o.isascii() and o.isalpha())]
        if bad:
            raise ValidationError(tr("origins are ISO 3166 alpha-2 codes"),
                                  [Problem(tr("not a country code: {code!r}", code=o[:8]),
                                           column="origin")
                                   for o in bad])
        now = datetime.now(UTC)
        params = check_params(AssessmentParams(drug=drug.strip().lower(), start=start, end=end,
                                               origins=origins, weight=weight, period=years),
                              now.date())  # an unknown drug or a future period: 422
        data = assessment_input(store, principal.subject, now, cbp_series(store, None),
                                unodc_series(store, None))
        copy = report_copy(store, principal.subject)  # the caller's fingerprint
        locale = i18n.negotiate(lang, accept_language)
        document = render_assessment(data, params, fmt, locale, copy)
        log_report(store, copy, data)
        if fmt != "json":
            return Response(document, media_type=MEDIA_TYPES[fmt],
                            headers={"Content-Language": content_language(locale)})
        result: dict[str, Any] = json.loads(document)
        return result

    return api
