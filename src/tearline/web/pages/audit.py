"""Audit: the log's entries as the viewer's unit may see them (its own activity, who
opened its records), page by page; an inclusion proof of any entry it may read whole,
checked and downloadable; the node's latest signed checkpoint and its witnesses'
cosignatures.

The same store calls as the API's ``/audit/log``, ``/audit/checkpoint`` and
``/audit/proofs/inclusion`` (``audit_query.who_saw`` and ``published_log``, which record
each question in the log): a proof is given only for an entry the viewer may read
whole, and an entry it may not answers exactly like an index the log does not hold.
The checkpoint and its cosignatures are public by design (the log's size and root).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from tearline.errors import NotFound, Problem, ValidationError, tr
from tearline.store import audit_checkpoints, audit_query, published_log
from tearline.web.context import page, viewer, web_of
from tearline.web.proofs import check, checkpoint_of

PAGE = 50
#: Largest index a page asks about (the API's bound).
MAX_INDEX = 2**62


def _index(raw: str, column: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_INDEX:
        raise ValidationError(tr("invalid log position"), [Problem(tr("a number"),
                                                                   column=column)])
    return int(raw)


def _proof(request: Request, index: str) -> dict[str, object]:
    session = viewer(request)
    with web_of(request).store.transaction() as conn:
        return published_log.inclusion(conn, session.subject, datetime.now(UTC),
                                       _index(index, "index"))


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/audit")
    async def audit(request: Request) -> HTMLResponse:
        session = viewer(request)
        raw = request.query_params.get("after", "")
        after = _index(raw, "after") if raw else None
        store = web_of(request).store
        with store.transaction() as conn:
            shown = audit_query.who_saw(conn, session.subject, datetime.now(UTC), None, None,
                                        None, PAGE, after)
            try:
                note: str | None = published_log.checkpoint(conn, session.subject, None).note
            except NotFound:
                note = None
            head = checkpoint_of(note) if note else None
            witnesses = audit_checkpoints.cosignatures(conn, head[0].size) if head else []
        nxt = shown[-1].position if len(shown) == PAGE else None
        return page(request, "audit.html", entries=[s.row() for s in shown],
                    checkpoint=note, head=head[0] if head else None,
                    signers=head[1] if head else (), witnesses=witnesses, next_after=nxt)

    @web.get("/audit/proof/{index}")
    async def proof(request: Request, index: str) -> HTMLResponse:
        document = _proof(request, index)
        checked = check(document, web_of(request).verifier)
        return page(request, "proof.html", document=document, checked=checked,
                    entry=json.loads(str(document["entry"])))

    @web.get("/audit/proof/{index}/json")
    async def proof_json(request: Request, index: str) -> Response:
        """The document ``tearline audit verify-proof FILE`` checks."""
        document = _proof(request, index)
        body = json.dumps(document, indent=2, sort_keys=True) + "\n"
        return Response(body, media_type="application/json", headers={
            "content-disposition": f'attachment; filename="inclusion-{document["index"]}'
                                   f'-{document["size"]}.json"'})

    return web
