"""Entities: create with markings, read the tear-line view, list, amend, retract."""


import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from tearline.api.deps import (
    AUTHED,
    ONE_OBJECT,
    WITH_BODY,
    CursorsDep,
    Reader,
    StoreDep,
    Writer,
)
from tearline.api.error_envelope import model_response
from tearline.api.filtering import FiltersDep
from tearline.api.schemas import AmendIn, EntityIn, KnownSchema, Page, RecordOut
from tearline.api.settings import ApiSettings
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import check_markings, edits

#: A record id: what ``build_record`` accepts, and short enough for a URL.
ENTITY_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
EntityId = Annotated[str, Path(pattern=ENTITY_ID)]


def _provenance(principal: Writer, reliability: str, credibility: str) -> Provenance:
    subject = principal.subject
    return Provenance(subject.agency, subject.unit, datetime.now(UTC),
                      Reliability.parse(reliability), Credibility.parse(credibility))


def _cited(marking: Marking | None,
           portions: Mapping[str, Marking]) -> list[tuple[Marking, str | None]]:
    """The markings a request sets, each with the field it came from."""
    out: list[tuple[Marking, str | None]] = [] if marking is None else [(marking, "marking")]
    return out + [(m, f"portions.{prop}") for prop, m in sorted(portions.items())]


def router(settings: ApiSettings) -> APIRouter:
    api = APIRouter(tags=["entities"], responses=AUTHED)

    @api.post("/entities", status_code=201, response_model=RecordOut,
              responses=WITH_BODY, summary="Create a record with its marking and portions")
    def create(body: EntityIn, principal: Writer, store: StoreDep) -> RecordOut:
        """The node assigns the id (``tl-…``): a client-chosen id could collide with a
        record the client may not see, and the answer would reveal that it exists."""
        prov = _provenance(principal, body.reliability, body.credibility)
        marking = body.marking.to_marking()
        portions = {prop: m.to_marking() for prop, m in body.portions.items()}
        record = build_record(
            f"tl-{uuid.uuid4().hex}", body.schema_, body.properties, prov, marking, portions,
            keyer=store.keyer,
        )
        with store.reading() as conn:
            check_markings(conn, _cited(marking, portions), prov.origin, prov.seen_at)
        store.write([record], by=str(principal.subject))
        return RecordOut.of(store.read(principal.subject, prov.seen_at, record.id, path="api"))

    @api.get("/entities/{entity_id}", response_model=RecordOut, responses=ONE_OBJECT,
             summary="The tear-line view of one record")
    async def read(entity_id: EntityId, principal: Reader, store: StoreDep) -> Response:
        # The store decides where the query runs (loop or thread); waiting for the audit
        # commit holds no thread (store/audit_group.py).
        found = await store.read_async(principal.subject, datetime.now(UTC), entity_id, "api")
        return model_response(RecordOut.of(found))

    @api.get("/entities", response_model=Page, summary="Records visible to the caller, by id")
    async def listing(
        principal: Reader,
        store: StoreDep,
        cursors: CursorsDep,
        filtering: FiltersDep,
        schema: Annotated[KnownSchema | None, Query()] = None,
        cursor: Annotated[str | None, Query(max_length=400)] = None,
        limit: Annotated[int, Query(ge=1, le=settings.max_page)] = settings.default_page,
    ) -> Response:
        """Narrowed by the filters (``docs/api.md``, "Filters"), inside the policy's
        query: a value the caller may not see neither matches nor excludes."""
        query = {"schema": schema, **filtering.as_query()}
        unit = principal.subject.unit
        after = cursors.open(cursor, unit, "list", query) if cursor else None
        found = await store.page_async(principal.subject, datetime.now(UTC), schema, after,
                                       limit, "list", filtering)
        nxt = cursors.seal(found[-1].id, unit, "list", query) if len(found) == limit else None
        return model_response(Page(items=[RecordOut.of(r) for r in found], next_cursor=nxt))

    @api.post("/entities/{entity_id}/statements", response_model=RecordOut,
              responses={**ONE_OBJECT, **WITH_BODY}, summary="Add statements to a record")
    def amend(entity_id: EntityId, body: AmendIn, principal: Writer,
              store: StoreDep) -> RecordOut:
        prov = _provenance(principal, body.reliability, body.credibility)
        marking = body.marking.to_marking() if body.marking else None
        portions = {prop: m.to_marking() for prop, m in body.portions.items()}
        with store.reading() as conn:
            check_markings(conn, _cited(marking, portions), prov.origin, prov.seen_at)
        record, _ = edits.amend(
            store, principal.subject, prov, entity_id, body.properties, marking, portions
        )
        return RecordOut.of(record)

    @api.delete("/entities/{entity_id}", response_model=RecordOut, responses=ONE_OBJECT,
                summary="Retract a record for everyone (originator's units only)")
    def retract(entity_id: EntityId, principal: Writer, store: StoreDep) -> RecordOut:
        return RecordOut.of(edits.retract(store, principal.subject, datetime.now(UTC), entity_id))

    return api
