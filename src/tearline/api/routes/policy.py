"""``policy/explain``: which statements of a record a unit sees, and why (admin scope).

The decisions come from :func:`tearline.store.explain.explain_record` — the same function
``tearline policy explain`` calls. Explaining shows the whole stored record whoever may
see it, so it needs the admin scope (the scope that already manages parties and tokens,
the node operator's); the administrator is recorded in the audit log as having read every
statement of the record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from tearline.api.deps import AUTHED, ONE_OBJECT, Admin, StoreDep
from tearline.api.routes.entities import EntityId
from tearline.api.schemas import MarkingOut
from tearline.errors import Problem, ValidationError, tr
from tearline.policy.explain import Explanation
from tearline.store import explain_record

#: A unit id or an analyst id (``name@unit``), as the CLI's ``--as``.
SUBJECT = r"^[a-z0-9][a-z0-9._-]{0,63}(@[a-z][a-z0-9_.-]{0,127})?$"


class DecisionOut(BaseModel):
    visible: bool
    reasons: list[str]


class ExplainedStatementOut(BaseModel):
    statement_id: str
    prop: str
    value: str
    #: The statement's own marking; ``null`` when it carries the record's.
    marking: MarkingOut | None
    decision: DecisionOut


class ExplanationOut(BaseModel):
    entity_id: str
    schema_: str = Field(alias="schema")
    subject: str
    at: datetime
    marking: MarkingOut
    #: Whether the record exists for the subject at all.
    record: DecisionOut
    statements: list[ExplainedStatementOut]

    model_config = ConfigDict(populate_by_name=True)

    @classmethod
    def of(cls, found: Explanation) -> ExplanationOut:
        return cls(
            entity_id=found.entity_id, schema=found.schema, subject=str(found.subject),
            at=found.at, marking=MarkingOut.of(found.marking),
            record=DecisionOut(visible=found.record.allowed, reasons=list(found.record.reasons)),
            statements=[
                ExplainedStatementOut(
                    statement_id=s.statement_id, prop=s.prop, value=s.value,
                    marking=MarkingOut.of(s.marking) if s.marking else None,
                    decision=DecisionOut(visible=s.decision.allowed,
                                         reasons=list(s.decision.reasons)))
                for s in found.statements
            ],
        )


def utc(moment: datetime) -> datetime:
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValidationError(tr("the time is out of range"),
                              [Problem(tr("not a representable UTC time"), column="at")]) from None


def router() -> APIRouter:
    api = APIRouter(tags=["policy"], responses={**AUTHED, **ONE_OBJECT})

    @api.get("/policy/explain/{entity_id}", response_model=ExplanationOut,
             summary="Which statements of a record a unit sees, and why (administrators)")
    def explain(
        entity_id: EntityId,
        principal: Admin,
        store: StoreDep,
        as_: Annotated[str | None, Query(alias="as", max_length=200, pattern=SUBJECT)] = None,
        at: Annotated[AwareDatetime | None, Query()] = None,
    ) -> ExplanationOut:
        """``as``: the unit or analyst to explain for (default: the caller); ``at``: the
        moment (default: now)."""
        subject = store.subject(as_) if as_ else principal.subject
        when = utc(at) if at else datetime.now(UTC)
        with store.transaction() as conn:
            found = explain_record(conn, subject, entity_id, when, str(principal.subject),
                                   path="api")
        return ExplanationOut.of(found)

    return api
