"""Threat-assessment figures as JSON: the same document `tearline report assessment` writes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from tearline.api.deps import AUTHED, Reader, StoreDep
from tearline.errors import Problem, ValidationError
from tearline.reports.assessment import AssessmentParams, render_assessment
from tearline.reports.build import assessment_input, cbp_series, parse_period


def router() -> APIRouter:
    api = APIRouter(tags=["reports"], responses=AUTHED)

    @api.get("/reports/assessment", summary="Seizure threat assessment for the caller's unit, "
             "built only from the Seizure statements it may see")
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
    ) -> dict[str, Any]:
        start, end = parse_period(period)
        origins = tuple(o.strip().lower() for o in origin) if origin else ("mx", "cn")
        bad = [o for o in origins if not (len(o) == 2 and o.isascii() and o.isalpha())]
        if bad:
            raise ValidationError("origins are ISO 3166 alpha-2 codes",
                                  [Problem(f"not a country code: {o[:8]!r}", column="origin")
                                   for o in bad])
        params = AssessmentParams(drug=drug.strip().lower(), start=start, end=end,
                                  origins=origins, weight=weight, period=years)
        data = assessment_input(store, principal.subject, datetime.now(UTC),
                                cbp_series(store, None))
        result: dict[str, Any] = json.loads(render_assessment(data, params, "json"))
        return result

    return api
