"""Markings and portions of a record: read them (as the caller sees them), change them.

Reading goes through the tear line (``Store.read``, an audited read): a portion the
caller may not see is not listed, and a record that does not exist for the caller
answers 404 like a missing one. Changing goes through ``store/marking_changes.py``,
which asks the policy (only the originating agency's units, a portion only narrower
than its record) and records the change in the history and the audit log.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from tearline.api.deps import AUTHED, ONE_OBJECT, WITH_BODY, Reader, StoreDep, Writer
from tearline.api.routes.entities import EntityId
from tearline.api.schemas import MarkingIn, MarkingOut
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.store import MarkingChange, set_marking

PropPath = Annotated[str, Path(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]


class PortionOut(BaseModel):
    statement_id: str
    prop: str
    marking: MarkingOut


class MarkingsOut(BaseModel):
    """The record's marking and the portions (statements marked apart) the caller sees."""

    entity_id: str
    version: int
    marking: MarkingOut
    portions: list[PortionOut]

    @classmethod
    def of(cls, record: Record) -> MarkingsOut:
        return cls(entity_id=record.id, version=record.version,
                   marking=MarkingOut.of(record.marking),
                   portions=[PortionOut(statement_id=s.id, prop=s.prop,
                                        marking=MarkingOut.of(s.marking))
                             for s in record.statements if s.marking is not None])


class MarkingChangeOut(BaseModel):
    entity_id: str
    #: The property whose statements were re-marked; ``null`` for the record's own marking.
    prop: str | None
    #: The statements re-marked (those of the caller's agency); empty for the record.
    statements: list[str]
    marking: MarkingOut
    changed_at: datetime

    @classmethod
    def of(cls, entity_id: str, prop: str | None, marking: Marking,
           changes: list[MarkingChange], at: datetime) -> MarkingChangeOut:
        return cls(entity_id=entity_id, prop=prop,
                   statements=[c.statement_id for c in changes if c.statement_id],
                   marking=MarkingOut.of(marking), changed_at=at)


def router() -> APIRouter:
    api = APIRouter(tags=["markings"], responses={**AUTHED, **ONE_OBJECT})

    @api.get("/entities/{entity_id}/marking", response_model=MarkingsOut,
             summary="The marking of a record and the portions the caller sees")
    def read(entity_id: EntityId, principal: Reader, store: StoreDep) -> MarkingsOut:
        at = datetime.now(UTC)
        return MarkingsOut.of(store.read(principal.subject, at, entity_id, path="api"))

    @api.put("/entities/{entity_id}/marking", response_model=MarkingChangeOut,
             responses=WITH_BODY, summary="Change the marking of a record (originator only)")
    def mark_record(entity_id: EntityId, body: MarkingIn, principal: Writer,
                    store: StoreDep) -> MarkingChangeOut:
        at, marking = datetime.now(UTC), body.to_marking()
        with store.transaction() as conn:
            changes = set_marking(conn, principal.subject, entity_id, None, marking, at)
        return MarkingChangeOut.of(entity_id, None, marking, changes, at)

    @api.put("/entities/{entity_id}/portions/{prop}", response_model=MarkingChangeOut,
             responses=WITH_BODY, summary="Mark one property's statements apart (a portion; "
             "originator only, never wider than the record)")
    def mark_portion(entity_id: EntityId, prop: PropPath, body: MarkingIn, principal: Writer,
                     store: StoreDep) -> MarkingChangeOut:
        at, marking = datetime.now(UTC), body.to_marking()
        with store.transaction() as conn:
            changes = set_marking(conn, principal.subject, entity_id, prop, marking, at)
        return MarkingChangeOut.of(entity_id, prop, marking, changes, at)

    return api
