"""Sharing: the releases the viewer's agency made and the consents it gave, with recall.

Only the viewer's own agency's acts are listed: who else released what to whom is not
theirs to see. Each release links to its record page, where it can be recalled.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tearline.store import releases
from tearline.web.context import page, viewer, web_of


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/sharing")
    async def sharing(request: Request) -> HTMLResponse:
        session = viewer(request)
        agency = session.subject.agency
        with web_of(request).store.reading() as conn:
            made = [r for r in releases.releases(conn) if r.by_agency == agency]
            given = [c for c in releases.consents(conn) if c.by_agency == agency]
        made.sort(key=lambda r: (r.at, r.id), reverse=True)
        given.sort(key=lambda c: (c.at, c.id), reverse=True)
        return page(request, "sharing.html", releases=made, consents=given)

    return web
