"""Entity resolution over the API: the caller's pairs, a record's entity, judgements
(``docs/resolve.md``). Answers come from ``store/resolve_views.py``: only Person records
the caller may see, and judgements it may see about them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from tearline.api.deps import AUTHED, ONE_OBJECT, WITH_BODY, Reader, StoreDep, Writer
from tearline.api.schemas import Strict
from tearline.errors import NotFound, tr
from tearline.model.marking import Marking
from tearline.resolve.clusters import entities
from tearline.resolve.decide import Decision, Judged
from tearline.store import resolve_views


class PairOut(BaseModel):
    left: str
    right: str
    score: float
    decision: str
    reasons: list[str]


class EntityOut(BaseModel):
    members: list[str]
    pairs: list[PairOut]


class JudgementIn(Strict):
    left: Annotated[str, Field(min_length=1, max_length=200)]
    right: Annotated[str, Field(min_length=1, max_length=200)]
    judgement: Annotated[str, Field(pattern=r"^(match|no-match|unsure)$")]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    tlp: Annotated[str, Field(max_length=16)] = "AMBER"
    rel_to: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=50)] = []


class JudgementOut(BaseModel):
    left: str
    right: str
    judgement: str
    judged_by: str
    judged_at: str


def _out(pairs: list[Judged]) -> list[PairOut]:
    return [PairOut(left=p.left, right=p.right, score=p.score, decision=str(p.decision),
                    reasons=list(p.reasons)) for p in pairs]


def _shown(p: Judged) -> bool:
    return p.decision is not Decision.NO_MATCH or p.reasons[0].startswith("judged ")


def router() -> APIRouter:
    api = APIRouter(tags=["resolution"], responses=AUTHED)

    @api.get("/resolve/pairs", response_model=list[PairOut],
             summary="Matches, pairs to review and judged pairs among the records you see")
    def pairs(principal: Reader, store: StoreDep) -> list[PairOut]:
        found, _ = resolve_views.resolved(store, principal.subject, datetime.now(UTC))
        return _out([p for p in found if _shown(p)])

    @api.get("/resolve/entities/{entity_id}", response_model=EntityOut, responses=ONE_OBJECT,
             summary="The entity a record belongs to: its records and the pairs joining them")
    def entity(entity_id: Annotated[str, Path(min_length=1, max_length=200)],
               principal: Reader, store: StoreDep) -> EntityOut:
        found, names = resolve_views.resolved(store, principal.subject, datetime.now(UTC))
        if entity_id not in names:
            raise NotFound(tr("no record {entity_id!r}", entity_id=entity_id))
        group = next((g for g in entities(found) if entity_id in g), [entity_id])
        return EntityOut(members=group, pairs=_out([
            p for p in found if (p.left in group or p.right in group) and _shown(p)]))

    @api.post("/resolve/judgements", status_code=201, response_model=JudgementOut,
              responses={**WITH_BODY, **ONE_OBJECT},
              summary="Judge two records one entity, two, or unsure (append-only)")
    def judge(body: JudgementIn, principal: Writer, store: StoreDep) -> JudgementOut:
        subject = principal.subject
        marking = Marking.build(body.tlp, body.rel_to or [f"agency:{subject.agency}"])
        done = resolve_views.judge(store, subject, body.left, body.right, body.judgement,
                                   body.reason, marking, datetime.now(UTC))
        return JudgementOut(left=done.left, right=done.right, judgement=done.judgement,
                            judged_by=done.judged_by, judged_at=done.judged_at)

    return api
