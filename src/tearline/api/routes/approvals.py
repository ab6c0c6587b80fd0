"""Two-person approval of releases: a first officer requests, a second one approves or
refuses (``store/release_approvals.py``); nothing is decided here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from tearline.api.deps import AUTHED, CONFLICT, ONE_OBJECT, WITH_BODY, Reader, StoreDep, Writer
from tearline.api.routes.entities import EntityId
from tearline.api.routes.releases import ReleaseIn
from tearline.errors import InputError, tr
from tearline.model.marking import Selector
from tearline.store import release_approvals


class RequestOut(BaseModel):
    id: str
    state: str
    entity_id: str
    to: str
    basis: str
    requested_by: str
    approved_by: str | None
    release_id: str | None
    refused_by: str | None = None


class Approved(BaseModel):
    request_id: str
    release_id: str


class RefusalIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


def _out(r: release_approvals.Request) -> RequestOut:
    return RequestOut(id=r.id, state=r.state, entity_id=r.entity_id, to=r.recipient,
                      basis=r.legal_basis, requested_by=r.requested_by,
                      approved_by=r.approved_by, release_id=r.release_id,
                      refused_by=r.refused_by)


RequestId = Annotated[str, Path(pattern=r"^rr-[0-9a-f]{1,64}$")]


def router() -> APIRouter:
    api = APIRouter(tags=["releases"], responses=AUTHED)

    @api.post("/entities/{entity_id}/release-requests", status_code=201,
              response_model=RequestOut, responses={**WITH_BODY, **ONE_OBJECT},
              summary="Ask for a release a second officer of your agency must approve")
    def request(entity_id: EntityId, body: ReleaseIn, principal: Writer,
                store: StoreDep) -> RequestOut:
        if body.basis is None:
            raise InputError(tr("a release request names its agreement (basis)"))
        with store.transaction() as conn:
            made = release_approvals.request(conn, principal.subject, entity_id,
                                             Selector.parse(body.to), body.basis,
                                             datetime.now(UTC))
        return _out(made)

    @api.post("/release-requests/{request_id}/approval", status_code=201,
              response_model=Approved, responses={**ONE_OBJECT, **CONFLICT},
              summary="Approve, as a second officer, a pending release")
    def approve(request_id: RequestId, principal: Writer, store: StoreDep) -> Approved:
        with store.transaction() as conn:
            release_id = release_approvals.approve(conn, principal.subject, request_id,
                                                   datetime.now(UTC))
        return Approved(request_id=request_id, release_id=release_id)

    @api.post("/release-requests/{request_id}/refusal", status_code=204,
              responses={**WITH_BODY, **ONE_OBJECT, **CONFLICT},
              summary="Refuse, as a second officer, a pending release (with the reason)")
    def refuse(request_id: RequestId, body: RefusalIn, principal: Writer,
               store: StoreDep) -> None:
        with store.transaction() as conn:
            release_approvals.refuse(conn, principal.subject, request_id, body.reason,
                                     datetime.now(UTC))

    @api.get("/release-requests", response_model=list[RequestOut],
             summary="Pending, approved and refused releases of your agency")
    def listing(principal: Reader, store: StoreDep) -> list[RequestOut]:
        with store.transaction() as conn:
            found = release_approvals.listed(conn, principal.subject, datetime.now(UTC))
        return [_out(r) for r in found]

    return api
