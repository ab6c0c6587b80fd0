"""Administration (admin scope): parties, vettings, agreements, API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path

from tearline.api.admin_schemas import (
    AgencyIn,
    AgreementIn,
    AnalystIn,
    NewToken,
    Parties,
    PartyOut,
    TokenIn,
    TokenOut,
    UnitIn,
    VettingIn,
    VettingOut,
    VettingRevocationIn,
)
from tearline.api.auth import Scope, issue_token
from tearline.api.deps import AUTHED, CONFLICT, ONE_OBJECT, WITH_BODY, Admin, StoreDep
from tearline.model.parties import Agency, Agreement, Analyst, Unit, Vetting
from tearline.store import Store, api_tokens, parties


def _parties(store: Store) -> Parties:
    with store.reading() as conn:
        rows = [PartyOut(kind="agency", id=a.id, name=a.name, detail=a.country)
                for a in parties.agencies(conn)]
        rows += [PartyOut(kind="unit", id=u.id, name=u.name, detail=u.agency)
                 for u in parties.units(conn)]
        rows += [PartyOut(kind="analyst", id=a.id, name=a.name, detail=a.unit)
                 for a in parties.analysts(conn)]
        rows += [PartyOut(kind="agreement", id=a.id, name=a.title,
                          detail=f"{a.kind}: {', '.join(sorted(a.parties))}")
                 for a in parties.agreements(conn)]
        vettings = [VettingOut(id=v.id, by=v.by, unit=v.unit, valid_from=v.valid_from,
                               valid_until=v.valid_until, revoked_at=v.revoked_at)
                    for v in parties.vettings(conn)]
    return Parties(parties=rows, vettings=vettings)


def router() -> APIRouter:
    api = APIRouter(tags=["administration"], responses=AUTHED)
    body = {**WITH_BODY}

    @api.get("/parties", response_model=Parties, summary="Agencies, units, analysts, "
             "agreements and vettings")
    def list_parties(_principal: Admin, store: StoreDep) -> Parties:
        return _parties(store)

    @api.post("/parties/agencies", status_code=201, response_model=Parties, responses=body)
    def add_agency(data: AgencyIn, _principal: Admin, store: StoreDep) -> Parties:
        with store.transaction() as conn:
            parties.put_agency(conn, Agency(data.id, data.name, data.country.lower()),
                               datetime.now(UTC))
        return _parties(store)

    @api.post("/parties/units", status_code=201, response_model=Parties, responses=body)
    def add_unit(data: UnitIn, _principal: Admin, store: StoreDep) -> Parties:
        with store.transaction() as conn:
            parties.put_unit(conn, Unit(data.id, data.agency, data.name), datetime.now(UTC))
        return _parties(store)

    @api.post("/parties/analysts", status_code=201, response_model=Parties, responses=body)
    def add_analyst(data: AnalystIn, _principal: Admin, store: StoreDep) -> Parties:
        with store.transaction() as conn:
            parties.put_analyst(conn, Analyst(data.id, data.unit, data.name), datetime.now(UTC))
        return _parties(store)

    @api.post("/parties/agreements", status_code=201, response_model=Parties, responses=body)
    def add_agreement(data: AgreementIn, _principal: Admin, store: StoreDep) -> Parties:
        agreement = Agreement(data.id, data.title, data.kind, frozenset(data.parties),
                              data.valid_from, data.valid_until)
        with store.transaction() as conn:
            parties.put_agreement(conn, agreement, datetime.now(UTC))
        return _parties(store)

    @api.post("/vettings", status_code=201, response_model=Parties,
              responses={**body, **CONFLICT}, summary="Record that an agency vets a unit")
    def add_vetting(data: VettingIn, principal: Admin, store: StoreDep) -> Parties:
        vetting = Vetting(data.id, data.by, data.unit, data.valid_from, data.valid_until)
        with store.transaction() as conn:
            parties.put_vetting(conn, vetting, datetime.now(UTC), by=principal.name)
        return _parties(store)

    @api.post("/vettings/revocations", response_model=Parties,
              responses={**body, **ONE_OBJECT}, summary="Revoke the vettings of a unit by "
              "an agency, from now on")
    def revoke_vetting(data: VettingRevocationIn, principal: Admin, store: StoreDep) -> Parties:
        with store.transaction() as conn:
            parties.revoke_vettings(conn, data.unit, data.by, datetime.now(UTC), principal.name)
        return _parties(store)

    @api.get("/tokens", response_model=list[TokenOut], summary="API tokens (never secrets)")
    def list_tokens(_principal: Admin, store: StoreDep) -> list[TokenOut]:
        with store.reading() as conn:
            return [TokenOut.model_validate(r.to_public()) for r in api_tokens.listing(conn)]

    @api.post("/tokens", status_code=201, response_model=NewToken,
              responses={**body, **ONE_OBJECT},
              summary="Create a token; its text is shown in this answer only")
    def create_token(data: TokenIn, principal: Admin, store: StoreDep) -> NewToken:
        text, row = issue_token(store, data.owner, frozenset(Scope(s) for s in data.scopes),
                                timedelta(days=data.days), data.label, principal.name)
        return NewToken(token=text, info=TokenOut.model_validate(row.to_public()))

    @api.delete("/tokens/{prefix}", response_model=TokenOut, responses=ONE_OBJECT,
                summary="Revoke a token from now on")
    def revoke_token(prefix: Annotated[str, Path(pattern=r"^[a-z2-7]{8}$")], _principal: Admin,
                     store: StoreDep) -> TokenOut:
        with store.transaction() as conn:
            row = api_tokens.revoke(conn, prefix, datetime.now(UTC))
        return TokenOut.model_validate(row.to_public())

    return api
