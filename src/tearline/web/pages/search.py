"""Search: ranked results over what the viewer sees, facets counted over the same, pages.

The same store calls as the API's ``/search?facets=true`` and ``/entities``
(``facets.search_faceted_async``, ``page_async``): the results are read through the
policy and logged as reads; the facet counts are one ``aggregate.read``
(``store/facets.py``). Without words, the page lists
the visible records by id. Pages follow each other by position (the rank and id of the
last result, or its id): a position only says where to resume among the records the
viewer sees, so it needs no seal.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tearline.errors import Problem, ValidationError, tr
from tearline.model.drugs import DRUGS
from tearline.model.marking import Tlp
from tearline.model.schema import get_model
from tearline.store import Filters, facets, query_tokens, rank_of
from tearline.web.context import page, text, viewer, web_of

MAX_WORDS = 8
FILTERS = ("schema", "drug", "country", "originator", "tlp", "date_from", "date_to")


def _filters(params: dict[str, str]) -> Filters:
    problems = []

    def day(name: str) -> date | None:
        if not params.get(name):
            return None
        try:
            return date.fromisoformat(params[name])
        except ValueError:
            problems.append(Problem(tr("not a date (YYYY-MM-DD)"), column=name))
            return None

    drug = params.get("drug") or None
    if drug is not None and drug not in DRUGS:
        problems.append(Problem(tr("not a drug of the vocabulary"), column="drug"))
    made = Filters(drug=drug, country=(params.get("country") or "").lower() or None,
                   originator=params.get("originator") or None,
                   tlp=Tlp.parse(params["tlp"]).value if params.get("tlp") else None,
                   date_from=day("date_from"), date_to=day("date_to"))
    if problems:
        raise ValidationError(tr("invalid search filters"), problems)
    return made


def _after(raw: str, ranked: bool) -> Any:
    if not raw:
        return None
    if not ranked:
        return raw[:200]
    rank, _, entity_id = raw.partition(":")
    if not rank.lstrip("-").isdigit() or not entity_id:
        raise ValidationError(tr("invalid page position"), [Problem(tr("rank:id"), column="after")])
    return int(rank), entity_id[:200]


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/search")
    async def search(request: Request) -> HTMLResponse:
        session = viewer(request)
        store, settings = web_of(request).store, web_of(request).settings
        params = {k: v[:200] for k, v in request.query_params.items()}
        q = text(params, "q", 200)
        words = query_tokens(q)
        if len(words) > MAX_WORDS:
            raise ValidationError(tr("query too complex"),
                                  [Problem(tr("at most {most} words", most=MAX_WORDS),
                                           column="q")])
        schema = params.get("schema") or None
        if schema is not None and get_model().get(schema) is None:
            raise ValidationError(tr("unknown schema"), [Problem(tr("not a schema"),
                                                                 column="schema")])
        filtering = _filters(params)
        now = datetime.now(UTC)
        subject, size = session.subject, settings.page_size
        after = _after(params.get("after", ""), bool(words))
        if words:  # one store call: the page and the facets (one ranked search of both)
            read = await facets.search_faceted_async(store, subject, now, q, schema, after,
                                                     size, filtering, "web")
            found, counted = read.records, read.facets
            nxt = (f"{rank_of(found[-1], words)}:{found[-1].id}"
                   if len(found) == size else None)
        else:
            found = await store.page_async(subject, now, schema, after, size, "list",
                                           filtering)
            nxt = found[-1].id if len(found) == size else None
            counted = await facets.facets_async(store, subject, now, None, schema, filtering)
        chosen = {name: params.get(name, "") for name in FILTERS}
        return page(request, "search.html", q=q, results=found, facets=counted,
                    chosen=chosen, next_after=nxt, drugs=DRUGS)

    return web
