"""Link analysis and sanctions screening over what the caller's unit may see: the same
answers as ``tearline network …`` and ``tearline screen``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field

from tearline.api.deps import AUTHED, ONE_OBJECT, Reader, StoreDep
from tearline.api.schemas import Strict
from tearline.errors import InputError, tr
from tearline.network.analysis import Analysis
from tearline.network.export import gexf, graphml, i2_links, i2_nodes
from tearline.screening.matcher import REVIEW
from tearline.screening.run import hit_row, parties_of, screen, visible

EXPORTS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml",
           "i2-nodes": "text/csv; charset=utf-8", "i2-links": "text/csv; charset=utf-8"}
Top = Annotated[int, Query(ge=1, le=1000)]
Entity = Annotated[str, Query(min_length=1, max_length=128)]


class Screened(Strict):
    """FollowTheMoney entities to screen (Person, Organization, Company, LegalEntity)."""

    entities: list[dict[str, Any]] = Field(min_length=1, max_length=10_000)
    min_score: float = Field(default=REVIEW, ge=0.0, le=1.0)


def router() -> APIRouter:
    api = APIRouter(tags=["network"], responses=AUTHED)

    def analysis(store: Any, principal: Any) -> tuple[Analysis, datetime]:
        now = datetime.now(UTC)
        return Analysis.of(store.network(principal.subject, now)), now

    @api.get("/network", summary="Key players, communities, brokers, heads and mid-level of "
             "the network the caller may see")
    def network(principal: Reader, store: StoreDep, top: Top = 20,
                by: Literal["betweenness", "degree", "eigenvector"] = "betweenness"
                ) -> dict[str, Any]:
        done, _ = analysis(store, principal)
        return {"summary": done.summary(), "players": done.key_players(by, top),
                "communities": done.community_rows(top), "brokers": done.broker_rows(top),
                "heads": done.player_rows()}

    @api.get("/network/path", summary="A shortest path between two entities, with the "
             "evidence of each link", responses=ONE_OBJECT)
    def path(principal: Reader, store: StoreDep, source: Entity, target: Entity
             ) -> dict[str, Any]:
        done, _ = analysis(store, principal)
        return done.path_rows(source, target)

    @api.get("/network/export", summary="The network as GraphML or GEXF (Gephi), or i2 "
             "Analyst's Notebook CSV (nodes or links)", response_model=None,
             responses={200: {"content": {t.split(";")[0]: {} for t in EXPORTS.values()},
                              "description": "the export"}})
    def export(principal: Reader, store: StoreDep,
               fmt: Annotated[Literal["graphml", "gexf", "i2-nodes", "i2-links"],
                              Query(alias="format")] = "graphml") -> Response:
        done, now = analysis(store, principal)
        args = (done.graph, done.community, done.measures)
        body = {"graphml": lambda: graphml(*args), "gexf": lambda: gexf(*args, now.date()),
                "i2-nodes": lambda: i2_nodes(*args).encode(),
                "i2-links": lambda: i2_links(done.graph).encode()}[fmt]()
        return Response(body, media_type=EXPORTS[fmt])

    @api.get("/screening", summary="Screen the people and organizations the caller may see "
             "against the sanctions designations it may see")
    def screening(principal: Reader, store: StoreDep,
                  min_score: Annotated[float, Query(ge=0.0, le=1.0)] = REVIEW
                  ) -> dict[str, Any]:
        seen = visible(store, principal.subject, datetime.now(UTC), "api")
        hits = screen(seen.parties, seen.designations, min_score)
        return {"screened": len(seen.parties), "designations": len(seen.designations),
                "hits": [hit_row(h) for h in hits]}

    @api.post("/screening", summary="Screen the entities sent (not stored) against the "
              "sanctions designations the caller may see")
    def screening_batch(principal: Reader, store: StoreDep, body: Screened) -> dict[str, Any]:
        parties = parties_of(body.entities)
        if not parties:
            raise InputError(tr(
                "no entity to screen: send Person or organization entities with a name"))
        seen = visible(store, principal.subject, datetime.now(UTC), "api")
        hits = screen(parties, seen.designations, body.min_score)
        return {"screened": len(parties), "designations": len(seen.designations),
                "hits": [hit_row(h) for h in hits]}

    return api
