"""Leak tracing for the node's administrators (admin scope): honeytoken alerts.

A unit's token is refused before any lookup: an alert names the recipient a canary was
given to and who brought it back, which no unit may learn (``docs/trace.md``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from tearline.api.deps import AUTHED, Admin, StoreDep
from tearline.store import Store, trace_store


def check_returned(store: Store, by: str, path: str, texts: list[str]) -> None:
    """Alert on any canary in ``texts`` brought back by ``by`` (committed on its own)."""
    with store.transaction() as conn:
        trace_store.check_return(conn, by, path, datetime.now(UTC), texts=texts)


async def check_returned_async(store: Store, by: str, path: str, texts: list[str]) -> None:
    """:func:`check_returned` for an event loop. On a node with no canary planted (the
    common case) the check is one short read, made on the loop where reads are
    (:attr:`Store.reads_on_loop`) rather than a transaction in a worker thread; with
    canaries, the check (which may write alerts) runs in a worker thread."""
    if store.reads_on_loop:
        with store.reading() as conn:
            if not trace_store.any_planted(conn):
                return
    await run_in_threadpool(check_returned, store, by, path, texts)


class AlertOut(BaseModel):
    """A canary that came back: who brought it back, where, and whom it was given to."""

    model_config = ConfigDict(extra="forbid")

    at: str
    entity_id: str
    recipient: str
    returned_by: str
    path: str
    selector: str


def router() -> APIRouter:
    api = APIRouter(tags=["trace"], responses=AUTHED)

    @api.get("/trace/alerts", response_model=list[AlertOut],
             summary="Honeytoken alerts, newest first (admin scope)")
    def alerts(_principal: Admin, store: StoreDep,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AlertOut]:
        with store.reading() as conn:
            return [AlertOut(**a.to_dict()) for a in trace_store.alerts(conn, limit)]

    return api
