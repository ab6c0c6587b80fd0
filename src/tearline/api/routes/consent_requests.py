"""Consent requests: a unit asks the originating unit for consent to release its ORCON
items onward, and that unit answers (``store/consent_requests.py``); nothing is decided
here. A request about a record the asker may not see answers 404 as for an id that never
existed; a request not addressed to the answering unit answers 404 as a missing one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from tearline.api.deps import AUTHED, CONFLICT, ONE_OBJECT, WITH_BODY, Reader, StoreDep, Writer
from tearline.api.routes.entities import EntityId
from tearline.api.schemas import PartyId, Strict
from tearline.model.marking import Selector
from tearline.store import consent_requests

Reason = Annotated[str, Field(min_length=1, max_length=500)]


class ConsentRequestIn(Strict):
    to: Annotated[str, Field(pattern=r"^(agency|unit|vetted-by):[a-z][a-z0-9_.-]{0,127}$")]
    reason: Reason
    #: The originating agency asked, when the record holds ORCON items of several.
    of: PartyId | None = None
    #: Only the items of these properties (all the ORCON items otherwise).
    properties: Annotated[list[Annotated[str, Field(max_length=200)]],
                          Field(max_length=100)] = []


class AnswerIn(Strict):
    answer: Literal["grant", "refuse"]
    #: Why, when refused (shown to the unit that asked).
    reason: Annotated[str, Field(max_length=500)] = ""


class ConsentRequestOut(BaseModel):
    id: str
    direction: Literal["sent", "received"]
    state: str
    entity_id: str
    properties: list[str]
    statement_ids: list[str]
    originator: str
    to_unit: str
    asked_by: str
    asker_unit: str
    to: str
    reason: str
    asked_at: str
    answered_by: str | None
    answered_at: str | None
    consent_id: str | None
    answer_reason: str | None


def _out(direction: Literal["sent", "received"],
         q: consent_requests.ConsentRequest) -> ConsentRequestOut:
    return ConsentRequestOut(
        id=q.id, direction=direction, state=q.state, entity_id=q.entity_id,
        properties=list(q.props), statement_ids=list(q.statement_ids),
        originator=q.origin_agency, to_unit=q.to_unit, asked_by=q.asked_by,
        asker_unit=q.asker_unit, to=q.recipient, reason=q.reason, asked_at=q.asked_at,
        answered_by=q.answered_by, answered_at=q.answered_at, consent_id=q.consent_id,
        answer_reason=q.answer_reason)


RequestId = Annotated[str, Path(pattern=r"^cr-[0-9a-f]{1,64}$")]


def router() -> APIRouter:
    api = APIRouter(tags=["releases"], responses=AUTHED)

    @api.post("/entities/{entity_id}/consent-requests", status_code=201,
              response_model=ConsentRequestOut,
              responses={**WITH_BODY, **ONE_OBJECT, **CONFLICT},
              summary="Ask the originating unit for consent to release ORCON items onward")
    def ask(entity_id: EntityId, body: ConsentRequestIn, principal: Writer,
            store: StoreDep) -> ConsentRequestOut:
        with store.transaction() as conn:
            made = consent_requests.ask(conn, principal.subject, entity_id,
                                        Selector.parse(body.to), body.reason,
                                        datetime.now(UTC), origin=body.of,
                                        props=body.properties)
        return _out("sent", made)

    @api.get("/consent-requests", response_model=list[ConsentRequestOut],
             summary="Consent requests your unit sent and those addressed to it")
    def listing(principal: Reader, store: StoreDep) -> list[ConsentRequestOut]:
        with store.transaction() as conn:
            found = consent_requests.listed(conn, principal.subject, datetime.now(UTC))
        return [_out(d, q) for d, q in found]

    @api.post("/consent-requests/{request_id}/answer", response_model=ConsentRequestOut,
              responses={**WITH_BODY, **ONE_OBJECT, **CONFLICT},
              summary="Grant (the consent is given) or refuse, as the unit addressed")
    def answer(request_id: RequestId, body: AnswerIn, principal: Writer,
               store: StoreDep) -> ConsentRequestOut:
        with store.transaction() as conn:
            done = consent_requests.answer(conn, principal.subject, request_id,
                                           body.answer == "grant", body.reason,
                                           datetime.now(UTC))
        return _out("received", done)

    return api
