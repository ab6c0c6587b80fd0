"""Releases (and recalls) of records, and the originator's consents to onward release.

The store's release functions read the record through the policy (hidden answers as
missing) and ask the policy's onward-release rules; nothing is decided here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from tearline.api.deps import AUTHED, CONFLICT, ONE_OBJECT, WITH_BODY, StoreDep, Writer
from tearline.api.routes.entities import EntityId
from tearline.api.schemas import PartyId, Strict
from tearline.model.marking import Selector
from tearline.store import releases


class ReleaseIn(Strict):
    to: Annotated[str, Field(pattern=r"^(agency|unit|vetted-by):[a-z][a-z0-9_.-]{0,127}$")]
    basis: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")] | None = None


class Skipped(BaseModel):
    statement_id: str
    reason: str


class ReleaseOut(BaseModel):
    id: str
    entity_id: str
    to: str
    basis: str | None
    released_at: datetime
    statements: int
    skipped: list[Skipped]


class Recalled(BaseModel):
    revoked: list[str]


class ConsentIn(Strict):
    to_agency: PartyId


class ConsentOut(BaseModel):
    id: str
    entity_id: str
    by_agency: str
    to_agency: str
    granted_at: datetime


ReleaseId = Annotated[str | None, Query(pattern=r"^rel-[0-9a-f]{1,64}$")]


def router() -> APIRouter:
    api = APIRouter(tags=["releases"], responses={**AUTHED, **ONE_OBJECT})

    @api.post("/entities/{entity_id}/releases", status_code=201, response_model=ReleaseOut,
              responses={**WITH_BODY, **CONFLICT},
              summary="Release what you see of a record to more parties")
    def release(entity_id: EntityId, body: ReleaseIn, principal: Writer,
                store: StoreDep) -> ReleaseOut:
        with store.transaction() as conn:
            result = releases.release(conn, principal.subject, entity_id, Selector.parse(body.to),
                                      body.basis, datetime.now(UTC), str(principal.subject))
        made = result.release
        return ReleaseOut(id=made.id, entity_id=made.entity_id, to=str(made.to), basis=made.basis,
                          released_at=made.at, statements=len(made.items),
                          skipped=[Skipped(statement_id=s, reason=r) for s, r in result.skipped])

    @api.delete("/entities/{entity_id}/releases", response_model=Recalled,
                summary="Recall the releases of a record (or one, with release_id)")
    def recall(entity_id: EntityId, principal: Writer, store: StoreDep,
               release_id: ReleaseId = None) -> Recalled:
        with store.transaction() as conn:
            ids = releases.recall(conn, principal.subject, entity_id, datetime.now(UTC),
                                  str(principal.subject), release_id)
        return Recalled(revoked=ids)

    @api.post("/entities/{entity_id}/consents", status_code=201, response_model=ConsentOut,
              responses=WITH_BODY, summary="Consent, as originator, to onward release")
    def consent(entity_id: EntityId, body: ConsentIn, principal: Writer,
                store: StoreDep) -> ConsentOut:
        with store.transaction() as conn:
            given = releases.grant_consent(conn, principal.subject, entity_id, body.to_agency,
                                           datetime.now(UTC), str(principal.subject))
        return ConsentOut(id=given.id, entity_id=given.entity_id, by_agency=given.by_agency,
                          to_agency=given.to_agency, granted_at=given.at)

    @api.delete("/consents/{consent_id}", status_code=204, summary="Withdraw a consent")
    def withdraw(consent_id: Annotated[str, Path(pattern=r"^con-[0-9a-f]{1,64}$")],
                 principal: Writer, store: StoreDep) -> None:
        with store.transaction() as conn:
            releases.withdraw_consent(conn, principal.subject, consent_id, datetime.now(UTC),
                                      str(principal.subject))

    return api
