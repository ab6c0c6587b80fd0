"""The record page (the tear-line view) and its release and recall forms.

Read with the API's own store call (``read_async``, path ``web``): every value shown is
one the policy lets the viewer see, with its marking, originating agency, author and
grade. Related records are the values of the record's entity-typed properties (links
to their own pages, which read them through the policy when opened). The releases
listed are those the viewer's own agency made of this record.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from tearline.errors import NotFound, Problem, ValidationError, tr
from tearline.model.marking import Selector
from tearline.model.record import Record
from tearline.model.schema import get_model
from tearline.store import parties, release_reads, releases
from tearline.web.context import PREFIX, back_to, form, page, text, viewer, web_of

ENTITY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


def checked_id(entity_id: str) -> str:
    if not ENTITY_ID.fullmatch(entity_id):
        raise NotFound(tr("no such record"))
    return entity_id


def related(record: Record) -> list[tuple[str, str]]:
    """(property, id) of the record's entity-typed values, in order."""
    schema = get_model().get(record.schema)
    if schema is None:
        return []
    out = []
    for stmt in sorted(record.statements, key=lambda s: (s.prop, s.value)):
        prop = schema.properties.get(stmt.prop)
        if prop is not None and prop.type.name == "entity":
            out.append((stmt.prop, stmt.value))
    return out


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/record/{entity_id}")
    async def show(request: Request, entity_id: str) -> HTMLResponse:
        session = viewer(request)
        store = web_of(request).store
        can_write = "write" in session.scopes
        found = await store.read_async(session.subject, datetime.now(UTC),
                                       checked_id(entity_id), "web")
        with store.reading() as conn:
            made = release_reads.made_by(conn, found.id, session.subject.agency)
            agreements = [a for a in parties.agreements(conn)
                          if session.subject.agency in a.parties] if can_write else []
        statements = sorted(found.statements, key=lambda s: (s.prop, s.value, s.id))
        return page(request, "record.html", record=found, statements=statements,
                    related=related(found), releases=made, agreements=agreements,
                    can_write=can_write)

    @web.post("/record/{entity_id}/release")
    async def release(request: Request, entity_id: str) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        to = text(fields, "to", 200)
        if not to:
            raise ValidationError(tr("say to whom"), [Problem(tr(
                "agency:ID, unit:ID or vetted-by:AGENCY"), column="to")])
        basis = text(fields, "basis", 200) or None
        with web_of(request).store.transaction() as conn:
            releases.release(conn, session.subject, checked_id(entity_id), Selector.parse(to),
                             basis, datetime.now(UTC), str(session.subject))
        return back_to(f"{PREFIX}/record/{entity_id}")

    @web.post("/record/{entity_id}/recall")
    async def recall(request: Request, entity_id: str) -> Response:
        session = viewer(request, "write")
        fields = await form(request, session)
        release_id = text(fields, "release", 200) or None
        with web_of(request).store.transaction() as conn:
            releases.recall(conn, session.subject, checked_id(entity_id), datetime.now(UTC),
                            str(session.subject), release_id)
        return back_to(f"{PREFIX}/record/{entity_id}")

    return web
