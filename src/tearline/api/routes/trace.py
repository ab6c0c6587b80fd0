"""Leak tracing for the node's administrators (admin scope): honeytoken alerts.

A unit's token is refused before any lookup: an alert names the recipient a canary was
given to and who brought it back, which no unit may learn (``docs/trace.md``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from tearline.api.deps import AUTHED, Admin, StoreDep
from tearline.store import Store, trace_store


def check_returned(store: Store, by: str, path: str, texts: list[str]) -> None:
    """Alert on any canary in ``texts`` brought back by ``by`` (committed on its own)."""
    with store.transaction() as conn:
        trace_store.check_return(conn, by, path, datetime.now(UTC), texts=texts)


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
