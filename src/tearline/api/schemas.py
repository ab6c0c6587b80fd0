"""Wire shapes of the API (pydantic), kept apart from the model and the tables.

Inputs are parsed here for shape only — types, sizes, characters; meaning (schemata,
properties, markings) is validated by the model (``build_record``, ``Marking``), whose
errors answer 422 with every problem listed. The shapes of administration (parties,
vettings, agreements, tokens) are ``api/admin_schemas.py``.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tearline.model.marking import Marking
from tearline.model.record import MAX_VALUE_LENGTH, Record
from tearline.model.schema import get_model
from tearline.model.statement import Statement
from tearline.model.text import CONTROLS, bidi_problem

if TYPE_CHECKING:
    from tearline.store import facets

def clean_text(value: str) -> str:
    """Refuse control characters and lone surrogates (no database stores them faithfully)
    and bidirectional controls (they change how text is displayed: ``model/text.py``)."""
    if CONTROLS.search(value):
        raise ValueError("text contains control characters or invalid code points")
    bidi = bidi_problem(value)
    if bidi is not None:
        raise ValueError(f"text, {bidi}")
    return value


Text = Annotated[str, AfterValidator(clean_text)]
ShortText = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(clean_text)]
Value = Annotated[str, Field(max_length=MAX_VALUE_LENGTH), AfterValidator(clean_text)]
PropName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]
SchemaName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9]{0,63}$")]


def known_schema(name: str) -> str:
    """A schema of the model: a misspelt one would match nothing, and an empty answer
    would not say why."""
    schemata = get_model().schemata
    if name not in schemata:
        close = difflib.get_close_matches(name, list(schemata), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ValueError(f"unknown schema{hint}")
    return name


#: A schema name in a query: one the model knows (the pattern keeps it a plain word).
KnownSchema = Annotated[SchemaName, AfterValidator(known_schema)]
PartyId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$",
                               max_length=128)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- markings -----------------------------------------------------------------------------


class MarkingIn(Strict):
    tlp: Annotated[str, Field(max_length=16), AfterValidator(clean_text)]
    releasable_to: Annotated[list[Annotated[str, Field(max_length=160),
                                            AfterValidator(clean_text)]],
                             Field(max_length=100)] = []
    orcon: bool = False
    legal_basis: Annotated[str, Field(max_length=128), AfterValidator(clean_text)] | None = None
    caveats: Annotated[list[Annotated[str, Field(max_length=64), AfterValidator(clean_text)]],
                       Field(max_length=20)] = []
    expires_at: datetime | None = None

    def to_marking(self) -> Marking:
        data: dict[str, Any] = self.model_dump(exclude_none=True)
        if self.expires_at is not None:
            data["expires_at"] = self.expires_at.isoformat()
        return Marking.from_dict(data)


class MarkingOut(BaseModel):
    tlp: str
    releasable_to: list[str]
    orcon: bool
    legal_basis: str | None
    caveats: list[str]
    expires_at: str | None

    @classmethod
    def of(cls, marking: Marking) -> MarkingOut:
        return cls.model_validate(marking.to_dict())


# -- records ------------------------------------------------------------------------------

Properties = Annotated[
    dict[PropName, Annotated[list[Value], Field(max_length=1000)]], Field(max_length=200)
]
Portions = Annotated[dict[PropName, MarkingIn], Field(max_length=200)]


class EntityIn(Strict):
    """A FollowTheMoney entity with tearline's ``marking`` and ``portions``; the node
    assigns the id."""

    schema_: SchemaName = Field(alias="schema")
    properties: Properties
    marking: MarkingIn
    portions: Portions = {}
    reliability: Annotated[str, Field(pattern=r"^[A-Fa-f]$")] = "F"
    credibility: Annotated[str, Field(pattern=r"^[1-6]$")] = "6"


class AmendIn(Strict):
    """Statements to add to a record: values, an optional marking for them, portions."""

    properties: Properties
    marking: MarkingIn | None = None
    portions: Portions = {}
    reliability: Annotated[str, Field(pattern=r"^[A-Fa-f]$")] = "F"
    credibility: Annotated[str, Field(pattern=r"^[1-6]$")] = "6"


class StatementOut(BaseModel):
    id: str
    prop: str
    value: str
    original_value: str | None
    origin: str
    author: str
    reliability: str
    credibility: str
    first_seen: datetime
    last_seen: datetime
    marking: MarkingOut | None

    @classmethod
    def of(cls, st: Statement) -> StatementOut:
        return cls(
            id=st.id,
            prop=st.prop,
            value=st.value,
            original_value=st.original_value,
            origin=st.origin,
            author=st.author,
            reliability=st.reliability.value,
            credibility=st.credibility.value,
            first_seen=st.first_seen,
            last_seen=st.last_seen,
            marking=MarkingOut.of(st.marking) if st.marking else None,
        )


class RecordOut(BaseModel):
    """The tear-line view of a record: only what the caller may see."""

    id: str
    schema_: str = Field(alias="schema")
    caption: str
    originator: str
    author: str
    marking: MarkingOut
    version: int
    synthetic: bool
    retracted: bool
    created_at: datetime | None
    modified_at: datetime | None
    properties: dict[str, list[str]]
    statements: list[StatementOut]

    model_config = ConfigDict(populate_by_name=True)

    @classmethod
    def of(cls, record: Record) -> RecordOut:
        return cls(
            id=record.id,
            schema=record.schema,
            caption=record.caption(),
            originator=record.originator,
            author=record.author,
            marking=MarkingOut.of(record.marking),
            version=record.version,
            synthetic=record.synthetic,
            retracted=record.retracted,
            created_at=record.created_at,
            modified_at=record.modified_at,
            properties=record.to_ftm()["properties"],
            statements=[StatementOut.of(s) for s in record.statements],
        )


class Page(BaseModel):
    items: list[RecordOut]
    #: Pass as ``cursor`` for the next page; ``null`` on the last page.
    next_cursor: str | None


class FacetValue(BaseModel):
    value: str
    count: int


class FacetsOut(BaseModel):
    """How many of the search's best matches have each value (``store/facets.py``):
    over the best 250 when ``complete`` is false, over every match otherwise."""

    #: Per facet (schema, drug, country, originator, marking), most frequent first.
    counts: dict[str, list[FacetValue]]
    #: How many records the counts are over.
    matched: int
    complete: bool

    @classmethod
    def of(cls, counted: facets.Facets) -> FacetsOut:
        return cls(counts={name: [FacetValue(value=v, count=n) for v, n in values]
                           for name, values in counted.counts.items()},
                   matched=counted.matched, complete=counted.complete)


class SearchPage(Page):
    #: The search's facets, with ``facets=true`` only (the same on every page).
    facets: FacetsOut | None = None


class Stats(BaseModel):
    counts: dict[str, int]
    total: int


class Health(BaseModel):
    status: str


class WhoAmI(BaseModel):
    subject: str
    unit: str
    agency: str
    analyst: str | None
    scopes: list[str]
    credential: str
