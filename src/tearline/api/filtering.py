"""The filters of ``GET /entities`` and ``GET /search``, parsed from the query.

Each is checked here for meaning (a drug of the vocabulary, a country FollowTheMoney
knows, a TLP level, a range that is not inverted) and answered 422 otherwise: a filter
that can match nothing would answer an empty page and not say why. They are evaluated
by the store, inside the policy-bound statement (``store/filters.py``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Query
from pydantic import AfterValidator, AwareDatetime

from tearline.errors import MarkingError, Problem, ValidationError, tr
from tearline.model.drugs import DRUGS, canonical_drug
from tearline.model.marking import Tlp
from tearline.model.normalize import country_code
from tearline.store import Filters


def _drug(text: str) -> str:
    found = canonical_drug(text)
    if found is None:
        raise ValueError(f"unknown drug; expected one of {', '.join(DRUGS)}")
    return found


def _country(text: str) -> str:
    found = country_code(text)
    if found is None:
        raise ValueError("unknown country; expected an ISO 3166-1 alpha-2 code such as mx")
    return found


def _tlp(text: str) -> str:
    try:  # a '+' unescaped in a query string arrives as a space
        return Tlp.parse(text.replace(" ", "+")).value
    except MarkingError:
        levels = ", ".join(t.value for t in Tlp)
        raise ValueError(f"unknown TLP level; expected one of {levels}") from None


Drug = Annotated[str, AfterValidator(_drug)]
Country = Annotated[str, AfterValidator(_country)]
Level = Annotated[str, AfterValidator(_tlp)]

_DRUG_DOC = "Seizures of this drug (the vocabulary's name or a synonym, e.g. fentanilo)"
_COUNTRY_DOC = ("A shown value of a country property (nationality, originCountry, …): "
                "ISO 3166-1 alpha-2 code or country name")
_FROM_DOC = "A shown date of the record's temporal extent on or after this day"
_TO_DOC = "A shown date of the record's temporal extent on or before this day"
_ORIGIN_DOC = "The record's originating agency"
_TLP_DOC = "The TLP level of the record's own marking (AMBER_STRICT for AMBER+STRICT)"
_SINCE_DOC = "The record as the caller sees it changed at or after this instant"


async def filters_of(
    drug: Annotated[Drug | None, Query(max_length=64, description=_DRUG_DOC)] = None,
    country: Annotated[Country | None, Query(max_length=64, description=_COUNTRY_DOC)] = None,
    date_from: Annotated[date | None, Query(description=_FROM_DOC)] = None,
    date_to: Annotated[date | None, Query(description=_TO_DOC)] = None,
    originator: Annotated[str | None, Query(
        max_length=128, pattern=r"^[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$",
        description=_ORIGIN_DOC)] = None,
    tlp: Annotated[Level | None, Query(max_length=20, description=_TLP_DOC)] = None,
    modified_since: Annotated[AwareDatetime | None, Query(description=_SINCE_DOC)] = None,
) -> Filters:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ValidationError(tr("the date range is empty"), [
            Problem(tr("date_from is after date_to"), column="query.date_from")])
    return Filters(drug=drug, country=country, date_from=date_from, date_to=date_to,
                   originator=originator, tlp=tlp,
                   modified_since=_utc(modified_since) if modified_since else None)


def _utc(moment: datetime) -> datetime:
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValidationError(tr("the time is out of range"), [
            Problem(tr("not a representable UTC time"), column="query.modified_since")]) from None


#: The filters of a request, for a route's signature.
FiltersDep = Annotated[Filters, Depends(filters_of)]
