"""The audit log over HTTP: entries through the policy, checkpoints, proofs.

* ``GET /audit/log`` — the entries the caller's unit may read, whole or reduced, by the
  rule of ``tearline audit log`` (:func:`tearline.store.audit_query.who_saw`, which also
  records the question);
* ``GET /audit/checkpoint`` — the latest signed checkpoint (or the one at ``size``), as
  the C2SP signed-note text;
* ``GET /audit/proofs/inclusion`` and ``/consistency`` — the JSON documents of
  ``tearline audit prove`` and ``prove-consistency``, against published checkpoints
  (:mod:`tearline.store.published_log`), checked offline by ``tearline audit
  verify-proof``.
"""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from pydantic import AwareDatetime, BaseModel

from tearline.api.deps import AUTHED, ONE_OBJECT, CursorsDep, Reader, StoreDep
from tearline.api.routes.entities import ENTITY_ID
from tearline.api.routes.policy import utc
from tearline.api.settings import ApiSettings
from tearline.audit.envelope import utc_timestamp
from tearline.store import Shown, audit_query, published_log

#: An audit actor: ``unit:ID``, ``analyst:name@unit``, ``agency:ID`` or ``system``.
ACTOR = r"^((unit|agency):[a-z0-9][a-z0-9._-]{0,127}|analyst:[a-z0-9][a-z0-9._-]{0,63}@" \
        r"[a-z][a-z0-9_.-]{0,127}|system)$"
Size = Annotated[int, Query(ge=0, le=2**62)]


class EntryOut(BaseModel):
    """An entry as the caller may see it (docs/audit.md, "Reading the log").

    A ``whole`` entry is the entry itself, with its index and leaf hash, so that the
    caller can ask for its inclusion proof; a ``reduced`` one keeps only the fields its
    kind shows to this caller, with neither (a hash of the whole entry would let the
    caller test guesses of what was left out).
    """

    index: int | None
    at: str
    kind: str
    actor: str
    entity_id: str | None
    form: Literal["whole", "reduced"]
    #: SHA-256 leaf hash (RFC 6962) of the entry's canonical bytes, hex; whole entries only.
    leaf_hash: str | None
    #: The event's other fields shown to the caller (see docs/audit.md, the catalogue).
    detail: dict[str, Any]

    @classmethod
    def of(cls, shown: Shown) -> "EntryOut":
        return cls(**shown.row())


class LogOut(BaseModel):
    """A page of the log, like every listing: pass ``next_cursor`` back as ``cursor``."""

    items: list[EntryOut]
    #: Pass as ``cursor`` (with the same query) for the next page; ``null`` on the last.
    next_cursor: str | None


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
             summary="Audit entries as the caller's unit may see them (who opened its "
             "records, its own activity), oldest first, page by page")
    def log(
        principal: Reader,
        store: StoreDep,
        cursors: CursorsDep,
        entity: Annotated[str | None, Query(pattern=ENTITY_ID)] = None,
        actor: Annotated[str | None, Query(max_length=200, pattern=ACTOR)] = None,
        since: Annotated[AwareDatetime | None, Query()] = None,
        cursor: Annotated[str | None, Query(max_length=400)] = None,
        limit: Annotated[int, Query(ge=1, le=settings.max_page)] = settings.default_page,
    ) -> LogOut:
        """Pages are cut by the entries' places in the log, sealed in the cursor: many
        entries share one time, so ``since`` cannot page past them."""
        since_ts = utc_timestamp(utc(since)) if since else None
        query = {"entity": entity, "actor": actor, "since": since_ts}
        unit = principal.subject.unit
        after = int(cursors.open(cursor, unit, "audit", query)) if cursor else None
        with store.transaction() as conn:
            found = audit_query.who_saw(conn, principal.subject, datetime.now(UTC), entity,
                                        actor, since_ts, limit, after)
        nxt = (cursors.seal(str(found[-1].position), unit, "audit", query)
               if len(found) == limit else None)
        return LogOut(items=[EntryOut.of(e) for e in found], next_cursor=nxt)

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
