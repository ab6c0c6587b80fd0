"""Wire shapes of the API's administration (pydantic): parties, vettings, agreements, tokens.

The inputs and answers of ``api/routes/admin.py``, built from the field types of
``api/schemas.py`` (parsed for shape only; the model validates meaning). Apart from
the records' shapes because administration is its own concern, and its own scope.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from tearline.api.schemas import PartyId, ShortText, Strict


class AgencyIn(Strict):
    id: PartyId
    name: ShortText
    country: Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]


class UnitIn(Strict):
    id: PartyId
    agency: PartyId
    name: ShortText


class AnalystIn(Strict):
    id: Annotated[str, Field(max_length=200,
                             pattern=r"^[a-z0-9][a-z0-9._-]{0,63}@[a-z][a-z0-9_.-]*$")]
    unit: PartyId
    name: ShortText


class AgreementIn(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")]
    title: ShortText
    kind: Annotated[str, Field(pattern=r"^(bilateral|mlat|memorandum|treaty|other)$")]
    parties: Annotated[list[PartyId], Field(max_length=50)]
    #: In force from (inclusive) and until (exclusive); either may be left open.
    valid_from: datetime | None = None
    valid_until: datetime | None = None


class VettingIn(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
    by: PartyId
    unit: PartyId
    valid_from: datetime
    valid_until: datetime


class VettingRevocationIn(Strict):
    unit: PartyId
    by: PartyId


class PartyOut(BaseModel):
    kind: str
    id: str
    name: str
    detail: str


class VettingOut(BaseModel):
    id: str
    by: str
    unit: str
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None


class Parties(BaseModel):
    parties: list[PartyOut]
    vettings: list[VettingOut]


class TokenIn(Strict):
    owner: Annotated[str, Field(max_length=200, pattern=r"^[a-z0-9][a-z0-9._@-]{0,199}$")]
    scopes: Annotated[list[Annotated[str, Field(pattern=r"^(read|write|admin)$")]],
                      Field(min_length=1, max_length=3)]
    days: Annotated[int, Field(ge=1, le=366)] = 90
    label: ShortText = "api"


class TokenOut(BaseModel):
    prefix: str
    owner: str
    scopes: list[str]
    label: str
    created_at: datetime
    created_by: str
    expires_at: datetime
    revoked_at: datetime | None


class NewToken(BaseModel):
    #: The token itself: shown this once, stored only as a hash.
    token: str
    info: TokenOut
