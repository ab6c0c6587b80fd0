"""Search (names, aliases, identifiers) and aggregate counts, through the policy."""


from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from tearline.api.deps import AUTHED, CursorsDep, Reader, StoreDep
from tearline.api.envelope import model_response
from tearline.api.schemas import KnownSchema, Page, RecordOut, Stats, Text
from tearline.api.settings import ApiSettings
from tearline.errors import Problem, ValidationError
from tearline.store.tokens import query_tokens


def router(settings: ApiSettings) -> APIRouter:
    api = APIRouter(tags=["search"], responses=AUTHED)

    @api.get("/search", response_model=Page,
             summary="Records whose visible names, aliases or identifiers match every word")
    async def search(
        principal: Reader,
        store: StoreDep,
        cursors: CursorsDep,
        q: Annotated[Text, Query(min_length=1, max_length=settings.max_query_chars)],
        schema: Annotated[KnownSchema | None, Query()] = None,
        cursor: Annotated[str | None, Query(max_length=400)] = None,
        limit: Annotated[int, Query(ge=1, le=settings.max_page)] = settings.default_page,
    ) -> Response:
        words = query_tokens(q)
        if len(words) > settings.max_query_words:
            raise ValidationError(
                "query too complex",
                [Problem(f"{len(words)} words; at most {settings.max_query_words}", column="q")],
            )
        query = {"q": " ".join(words), "schema": schema}
        unit = principal.subject.unit
        after = cursors.open(cursor, unit, "search", query) if cursor else None
        found = await (await run_in_threadpool(store.search_later, principal.subject,
                                               datetime.now(UTC), q, schema, after, limit))
        nxt = cursors.seal(found[-1].id, unit, "search", query) if len(found) == limit else None
        return model_response(Page(items=[RecordOut.of(r) for r in found], next_cursor=nxt))

    @api.get("/stats", response_model=Stats, summary="How many records of each schema exist "
             "for the caller")
    def stats(principal: Reader, store: StoreDep) -> Stats:
        counts = store.stats(principal.subject, datetime.now(UTC))
        return Stats(counts=counts, total=sum(counts.values()))

    return api
