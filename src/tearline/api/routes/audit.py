"""The audit log over HTTP: entries through the policy, checkpoints, proofs.

* ``GET /audit/log`` — the entries the caller's unit may read, by the rule of
  ``tearline audit log`` (:func:`tearline.store.audit_query.who_saw`, which also records
  the question);
* ``GET /audit/checkpoint`` — the latest signed checkpoint (or the one at ``size``), as
  the C2SP signed-note text;
* ``GET /audit/proofs/inclusion`` and ``/consistency`` — the JSON documents of
  ``tearline audit prove`` and ``prove-consistency``, against published checkpoints
  (:mod:`tearline.store.published_log`), checked offline by ``tearline audit
  verify-proof``.
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from pydantic import AwareDatetime, BaseModel

from tearline.api.deps import AUTHED, ONE_OBJECT, Reader, StoreDep
from tearline.api.routes.entities import ENTITY_ID
from tearline.api.routes.policy import utc
from tearline.api.settings import ApiSettings
from tearline.audit.envelope import utc_timestamp
from tearline.store import audit_query, published_log
from tearline.store.audit_log import Entry

#: An audit actor: ``unit:ID``, ``analyst:name@unit``, ``agency:ID`` or ``system``.
ACTOR = r"^((unit|agency):[a-z0-9][a-z0-9._-]{0,127}|analyst:[a-z0-9][a-z0-9._-]{0,63}@" \
        r"[a-z][a-z0-9_.-]{0,127}|system)$"
Size = Annotated[int, Query(ge=0, le=2**62)]


class EntryOut(BaseModel):
    index: int
    at: str
    kind: str
    actor: str
    entity_id: str | None
    #: SHA-256 leaf hash (RFC 6962) of the entry's canonical bytes, hex.
    leaf_hash: str
    #: The event's other fields (see docs/audit.md, the catalogue of kinds).
    detail: dict[str, Any]

    @classmethod
    def of(cls, e: Entry) -> "EntryOut":
        body = e.event().to_json()
        detail = {k: v for k, v in body.items()
                  if k not in ("v", "kind", "at", "actor", "entity_id")}
        return cls(index=e.index, at=e.at, kind=e.kind, actor=e.actor, entity_id=e.entity_id,
                   leaf_hash=e.leaf.hex(), detail=detail)


class LogOut(BaseModel):
    entries: list[EntryOut]


class InclusionProof(BaseModel):
    type: str
    index: int
    size: int
    #: The entry's canonical JSON text, exactly as hashed.
    entry: str
    leaf_hash: str
    proof: list[str]
    checkpoint: str


class ConsistencyProof(BaseModel):
    type: str
    old_size: int
    new_size: int
    proof: list[str]
    old_checkpoint: str
    new_checkpoint: str


NOTE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {"schema": {"type": "string"}}},
          "description": "A C2SP signed note (tlog-checkpoint)"},
    # Failures still answer the JSON envelope, not the route's text/plain.
    **{status: {"description": about["description"], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}
       for status, about in {**AUTHED, **ONE_OBJECT}.items()},
}


def router(settings: ApiSettings) -> APIRouter:
    api = APIRouter(tags=["audit"], responses=AUTHED)

    @api.get("/audit/log", response_model=LogOut,
             summary="Audit entries the caller's unit may read (who saw its records), oldest "
             "first")
    def log(
        principal: Reader,
        store: StoreDep,
        entity: Annotated[str | None, Query(pattern=ENTITY_ID)] = None,
        actor: Annotated[str | None, Query(max_length=200, pattern=ACTOR)] = None,
        since: Annotated[AwareDatetime | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=settings.max_page)] = settings.default_page,
    ) -> LogOut:
        since_ts = utc_timestamp(utc(since)) if since else None
        with store.transaction() as conn:
            found = audit_query.who_saw(conn, principal.subject, datetime.now(UTC), entity,
                                        actor, since_ts, limit)
        return LogOut(entries=[EntryOut.of(e) for e in found])

    @api.get("/audit/checkpoint", response_class=PlainTextResponse,
             responses=NOTE,
             summary="The latest signed checkpoint of the log (or the one at size)")
    def checkpoint(principal: Reader, store: StoreDep,
                   size: Size | None = None) -> PlainTextResponse:
        with store.transaction() as conn:
            found = published_log.checkpoint(conn, principal.subject, size)
        return PlainTextResponse(found.note, media_type="text/plain; charset=utf-8")

    @api.get("/audit/proofs/inclusion", response_model=InclusionProof, responses=ONE_OBJECT,
             summary="Proof that an entry the caller may read is in a published checkpoint")
    def inclusion(principal: Reader, store: StoreDep,
                  index: Annotated[int, Query(ge=0, le=2**62)],
                  size: Size | None = None) -> dict[str, object]:
        with store.transaction() as conn:
            return published_log.inclusion(conn, principal.subject, datetime.now(UTC), index,
                                           size)

    @api.get("/audit/proofs/consistency", response_model=ConsistencyProof,
             responses=ONE_OBJECT,
             summary="Proof that a published checkpoint extends an older one")
    def consistency(principal: Reader, store: StoreDep, old: Size,
                    new: Size | None = None) -> dict[str, object]:
        with store.transaction() as conn:
            return published_log.consistency(conn, principal.subject, old, new)

    return api
