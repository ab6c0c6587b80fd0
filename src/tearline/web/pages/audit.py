"""Audit: the log's entries as the viewer's unit may see them (its own activity, who
opened its records), with the node's latest signed checkpoint.

The same store calls as the API's ``/audit/log`` and ``/audit/checkpoint``
(``audit_query.who_saw``, which records the question; ``published_log.checkpoint``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from tearline.errors import NotFound, Problem, ValidationError
from tearline.store import audit_query, published_log
from tearline.web.context import page, viewer, web_of

PAGE = 50


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/audit")
    async def audit(request: Request) -> HTMLResponse:
        session = viewer(request)
        raw = request.query_params.get("after", "")
        if raw and not raw.isdigit():
            raise ValidationError("invalid page position", [Problem("a number",
                                                                    column="after")])
        after = int(raw) if raw else None
        store = web_of(request).store
        with store.transaction() as conn:
            shown = audit_query.who_saw(conn, session.subject, datetime.now(UTC), None, None,
                                        None, PAGE, after)
            try:
                checkpoint: str | None = published_log.checkpoint(
                    conn, session.subject, None).note
            except NotFound:
                checkpoint = None
        nxt = shown[-1].position if len(shown) == PAGE else None
        return page(request, "audit.html", entries=[s.row() for s in shown],
                    checkpoint=checkpoint, next_after=nxt)

    return web
