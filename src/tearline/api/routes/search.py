"""Search (names, aliases, identifiers) and aggregate counts, through the policy."""


from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from tearline.api.deps import AUTHED, CursorsDep, Reader, StoreDep
from tearline.api.error_envelope import model_response
from tearline.api.filtering import FiltersDep
from tearline.api.routes.trace import check_returned_async
from tearline.api.schemas import (
    FacetsOut,
    KnownSchema,
    Page,
    RecordOut,
    SearchPage,
    Stats,
    Text,
)
from tearline.api.settings import ApiSettings
from tearline.errors import Problem, ValidationError, tr
from tearline.store import Position, facets, query_tokens, rank_of


def _position(sealed: str) -> Position:
    """The rank and id a cursor sealed (``rank:id``; the seal vouches for the form)."""
    rank, _, entity_id = sealed.partition(":")
    return int(rank), entity_id


def router(settings: ApiSettings) -> APIRouter:
    api = APIRouter(tags=["search"], responses=AUTHED)

    @api.get("/search", response_model=SearchPage,
             summary="Records whose visible names, aliases or identifiers match every word, "
             "best first")
    async def search(
        principal: Reader,
        store: StoreDep,
        cursors: CursorsDep,
        filtering: FiltersDep,
        q: Annotated[Text, Query(min_length=1, max_length=settings.max_query_chars)],
        schema: Annotated[KnownSchema | None, Query()] = None,
        cursor: Annotated[str | None, Query(max_length=400)] = None,
        limit: Annotated[int, Query(ge=1, le=settings.max_page)] = settings.default_page,
        with_facets: Annotated[bool, Query(alias="facets")] = False,
    ) -> Response:
        """Ranked by relevance over what the caller sees (``docs/api.md``, "Search
        ranking"): a name that is exactly the words first, then more whole-word
        matches, then by id. The filters narrow the results inside the policy's query.
        ``facets=true`` adds the search's facet counts (``docs/api.md``, "Search
        facets"): the web search page's figures, from the same store call."""
        words = query_tokens(q)
        if len(words) > settings.max_query_words:
            raise ValidationError(
                tr("query too complex"),
                [Problem(tr("{n} words; at most {most}", n=len(words),
                            most=settings.max_query_words), column="q")],
            )
        query = {"q": " ".join(words), "schema": schema, **filtering.as_query()}
        unit = principal.subject.unit
        after = _position(cursors.open(cursor, unit, "search", query)) if cursor else None
        if after is None:  # a canary searched for: an alert (docs/trace.md)
            await check_returned_async(store, str(principal.subject), "search", [q])
        now = datetime.now(UTC)
        counted = None
        if with_facets:
            read = await facets.search_faceted_async(store, principal.subject, now, q, schema,
                                                     after, limit, filtering, "api")
            found, counted = read.records, FacetsOut.of(read.facets)
        else:
            found = await store.search_async(principal.subject, now, q, schema, after, limit,
                                             filtering)
        nxt = None
        if len(found) == limit:
            last = found[-1]
            nxt = cursors.seal(f"{rank_of(last, words)}:{last.id}", unit, "search", query)
        items = [RecordOut.of(r) for r in found]
        return model_response(SearchPage(items=items, next_cursor=nxt, facets=counted)
                              if with_facets else Page(items=items, next_cursor=nxt))

    @api.get("/stats", response_model=Stats, summary="How many records of each schema exist "
             "for the caller")
    def stats(principal: Reader, store: StoreDep) -> Stats:
        counts = store.stats(principal.subject, datetime.now(UTC))
        return Stats(counts=counts, total=sum(counts.values()))

    return api
