"""Blind deconfliction over the API: check, register, withdraw, list (``docs/deconfliction.md``).

The routes parse and call the node's :class:`~tearline.federation.deconflict_flow.Deconfliction`
for the caller's unit; selectors are normalized, blinded and tokenized on this node and
never stored or logged in clear. The node's keys are the workspace's (the identity the
listener serves), or ``app.state.deconflict_keys`` where an embedding sets it.

The app keeps one ``Deconfliction`` (``app.state.deconfliction``) for all its requests:
the node's identity and key are loaded, and its peers' connections opened, once per
process, not once per request.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from tearline.api.deps import AUTHED, CONFLICT, ONE_OBJECT, WITH_BODY, Reader, StoreDep, Writer
from tearline.api.error_envelope import ErrorEnvelope
from tearline.api.schemas import Strict
from tearline.deconflict import events, selectors
from tearline.errors import SelectorError, tr
from tearline.settings import Settings
from tearline.store import Store, deconflict_index

if TYPE_CHECKING:
    from tearline.federation.deconflict_flow import Deconfliction, Outcome


class SelectorIn(Strict):
    kind: Annotated[str, Field(pattern=r"^[a-z]{3,12}$")]
    value: Annotated[str, Field(min_length=1, max_length=200)]
    country: Annotated[str, Field(max_length=60)] | None = None
    scheme: Annotated[str, Field(max_length=32)] | None = None
    birth_date: Annotated[str, Field(max_length=32)] | None = None


class OperationIn(Strict):
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    start: datetime
    end: datetime


class CheckIn(Strict):
    selectors: Annotated[list[SelectorIn], Field(max_length=1000)] = []
    operation: OperationIn | None = None


class RegisterIn(CheckIn):
    contact: Annotated[str, Field(min_length=1, max_length=200)]
    expires: datetime | None = None


class HitOut(BaseModel):
    registration_id: str
    agency: str
    unit: str
    contact: str
    since: str
    kind: str


class ResultOut(BaseModel):
    position: int
    overlap: bool
    hits: list[HitOut]


class CheckOut(BaseModel):
    results: list[ResultOut]
    registered: list[str]
    unavailable: dict[str, str]


class EventOut(BaseModel):
    event: str
    registration_id: str
    kind: str | None = None
    since: str | None = None
    expires: str | None = None
    withdrawn_at: str | None = None
    at: str | None = None
    checker_unit: str | None = None
    checker_agency: str | None = None
    agreement_id: str | None = None


_MAKING = threading.Lock()


def _flow(request: Request, store: Store) -> Deconfliction:
    """The app's deconfliction for ``store``, made by the first request that needs it
    (again if the store or the keys' folder changed)."""
    from tearline.federation.deconflict_flow import Deconfliction

    state = request.app.state
    keys: FsPath | None = getattr(state, "deconflict_keys", None)
    with _MAKING:
        flow: Deconfliction | None = getattr(state, "deconfliction", None)
        wanted = keys if keys is not None else (
            flow.keys_dir if flow is not None and flow.store is store
            else Settings.load().keys_dir)
        if flow is None or flow.store is not store or flow.keys_dir != wanted:
            if flow is not None:
                flow.close()
            flow = Deconfliction(store, wanted)
            state.deconfliction = flow
    return flow


def _parsed(body: CheckIn) -> list[selectors.Selector]:
    return [selectors.parse(s.kind, s.value, country=s.country, scheme=s.scheme,
                            birth_date=s.birth_date) for s in body.selectors]


def _operation(body: CheckIn) -> events.PlannedOperation | None:
    op = body.operation
    return None if op is None else events.PlannedOperation(op.latitude, op.longitude,
                                                           op.start, op.end)


def _out(outcome: Outcome, status: int = 200) -> Response:
    """The answer, :class:`CheckOut` as JSON, written from the outcome directly: for
    1,000 selectors, building, validating and serializing the models cost several times
    the JSON alone (the values are the flow's, already typed;
    ``test_api_deconflict.py`` reads every answer back as a ``CheckOut``)."""
    body = {"results": [{"position": i, "overlap": bool(hits), "hits": [
        {"registration_id": h.registration_id, "agency": h.agency, "unit": h.unit,
         "contact": h.contact, "since": h.since, "kind": h.kind} for h in hits]}
        for i, hits in enumerate(outcome.hits)],
        "registered": list(outcome.registered), "unavailable": dict(outcome.unavailable)}
    return Response(json.dumps(body, ensure_ascii=False, separators=(",", ":")),
                    status_code=status, media_type="application/json")


#: Fewer than t key-share holders answered (the others offline or refusing).
PEERS: dict[int | str, dict[str, Any]] = {
    502: {"model": ErrorEnvelope, "description": "Too few key-share holders answered"}}


def router() -> APIRouter:
    api = APIRouter(tags=["deconfliction"], responses={**AUTHED, **CONFLICT, **PEERS})

    @api.post("/deconflict/checks", response_model=CheckOut, responses=WITH_BODY,
              summary="Is anyone else working these selectors, or this place and time?")
    def check(body: CheckIn, principal: Reader, store: StoreDep, request: Request
              ) -> Response:
        chosen = _parsed(body)
        op = _operation(body)
        if op is not None:
            chosen += list(events.probes(op))
        if not chosen:
            raise SelectorError(tr("nothing to check: give selectors or an operation"))
        return _out(_flow(request, store).check(principal.subject, chosen))

    @api.post("/deconflict/registrations", status_code=201, response_model=CheckOut,
              responses=WITH_BODY, summary="Register targets or an operation with a pointer "
              "to your unit")
    def register(body: RegisterIn, principal: Writer, store: StoreDep, request: Request
                 ) -> Response:
        chosen = _parsed(body)
        op = _operation(body)
        probes = list(events.probes(op)) if op is not None else []
        if op is not None:
            chosen += list(events.registered(op))
        if not chosen:
            raise SelectorError(tr("nothing to register: give selectors or an operation"))
        return _out(_flow(request, store).register(
            principal.subject, chosen, body.contact.strip(), expires=body.expires,
            probes=probes), 201)

    @api.delete("/deconflict/registrations/{registration_id}", status_code=204,
                responses=ONE_OBJECT, summary="Withdraw one of your unit's registrations")
    def withdraw(registration_id: Annotated[str, Path(pattern=r"^dr-[0-9a-f]{32}$")],
                 principal: Writer, store: StoreDep, request: Request) -> None:
        _flow(request, store).withdraw(principal.subject, registration_id)

    @api.get("/deconflict/events", response_model=list[EventOut],
             summary="Your unit's registrations and who met them")
    def list_events(principal: Reader, store: StoreDep) -> list[EventOut]:
        unit = principal.subject.unit
        with store.reading() as conn:
            mine = deconflict_index.of_unit(conn, unit)
            notices = deconflict_index.notices_for_unit(conn, unit)
        out = [EventOut(event="registered", registration_id=s.registration.id,
                        kind=s.registration.kind, since=s.registration.since,
                        expires=s.registration.expires, withdrawn_at=s.withdrawn_at)
               for s in mine]
        out += [EventOut(event="hit", registration_id=n.registration_id, at=n.at,
                         checker_unit=n.checker_unit, checker_agency=n.checker_agency,
                         agreement_id=n.agreement_id) for n in notices]
        return out

    return api
