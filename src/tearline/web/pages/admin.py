"""Administration: parties, vettings (with expiry), agreements, API tokens, peers and the
node's status — for the node's administrator only.

Who administers a node is decided as the API decides it: a credential with the ``admin``
scope (an API token issued with it, or a web password set with it). Anyone else is
refused with the API's own refusal (403, "this credential lacks the 'admin' scope"),
and the refusal is an ``auth.failed`` entry (reason ``scope``, channel ``web``).

Every change goes through the store calls the API's administration routes and the
command line make (``parties.put_*``, ``parties.revoke_vettings``, ``api_tokens.revoke``,
``peers.remove_peer``) and tokens are made by the API's ``issue_token`` (handed in as
:class:`~tearline.web.context.TokenIssuer`): a new token's text is shown on the answer
to the form that made it, once, and never stored.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from tearline.audit.events import AuthFailed, utc_timestamp
from tearline.errors import PolicyDenied, Problem, StoreError, ValidationError, tr
from tearline.model.parties import Agency, Agreement, Analyst, Unit, Vetting
from tearline.store import Store, api_tokens, audit_checkpoints, audit_log, parties, peers
from tearline.web.context import (
    PREFIX,
    back_to,
    form,
    page,
    session_of,
    text,
    viewer,
    web_of,
)
from tearline.web.sessions import Session

ADMIN = "admin"
SCOPES = ("read", "write", "admin")
PREFIX_PATTERN = re.compile(r"^[a-z2-7]{8}$")
HOME = f"{PREFIX}/admin"


def administrator(request: Request) -> Session:
    """The signed-in session if it holds the admin scope (whatever else it holds, as for
    the API's administration routes); else the API's refusal, audited."""
    try:
        return viewer(request, ADMIN)
    except PolicyDenied:
        session = session_of(request)
        assert session is not None  # viewer sends to the sign-in page without one
        with web_of(request).store.transaction() as conn:
            audit_log.append(conn, [AuthFailed(
                at=utc_timestamp(datetime.now(UTC)), actor=str(session.subject),
                token_prefix=None, reason="scope", channel="web")])
        raise PolicyDenied(tr("this credential lacks the {scope!r} scope", scope=ADMIN),
                           [tr("granted scopes: {scopes}",
                               scopes=", ".join(sorted(session.scopes)) or tr("no scope"))]
                           ) from None


def day(fields: dict[str, str], name: str, default: date | None = None) -> datetime:
    """A date field (``YYYY-MM-DD``) as midnight UTC of that day."""
    raw = text(fields, name, 20)
    if not raw and default is not None:
        return datetime.combine(default, time(), UTC)
    try:
        return datetime.combine(date.fromisoformat(raw), time(), UTC)
    except ValueError:
        raise ValidationError(tr("invalid date"),
                              [Problem(tr("YYYY-MM-DD"), column=name)]) from None


def required(fields: dict[str, str], name: str, limit: int = 200) -> str:
    value = text(fields, name, limit)
    if not value:
        raise ValidationError(tr("a required field is empty"), [Problem(tr("required"),
                                                                            column=name)])
    return value


def status(store: Store) -> dict[str, object]:
    """The node's status: the database's readiness, row counts, the log and checkpoint."""
    try:
        store.check_ready()
        ready: str | None = None
    except StoreError as exc:
        ready = exc.message
    with store.reading() as conn:
        size = audit_log.size(conn)
        checkpoint = audit_checkpoints.latest(conn)
    return {"ready": ready, "counts": store.counts(), "log_size": size,
            "checkpoint": checkpoint}


def overview(store: Store) -> dict[str, Any]:
    with store.reading() as conn:
        return {
            "agencies": parties.agencies(conn), "units": parties.units(conn),
            "analysts": parties.analysts(conn), "agreements": parties.agreements(conn),
            "vettings": sorted(parties.vettings(conn), key=lambda v: (v.unit, v.valid_from)),
            "tokens": sorted(api_tokens.listing(conn), key=lambda r: (r.owner, r.created_at)),
            "peers": peers.peers(conn, include_removed=True),
        }


def show(request: Request, issued: tuple[str, object] | None = None,
         status_code: int = 200) -> HTMLResponse:
    web = web_of(request)
    return page(request, "admin.html", status_code, now=datetime.now(UTC),
                node=status(web.store), issued=issued, can_issue=web.issue is not None,
                scopes=SCOPES, kinds=Agreement.KINDS, **overview(web.store))


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/admin")
    async def admin(request: Request) -> HTMLResponse:
        administrator(request)
        return show(request)

    @web.post("/admin/parties")
    async def add_party(request: Request) -> Response:
        session = administrator(request)
        fields = await form(request, session)
        kind, party_id = fields.get("kind", ""), required(fields, "id", 128)
        name, of = required(fields, "name"), required(fields, "of", 128)
        now = datetime.now(UTC)
        with web_of(request).store.transaction() as conn:
            if kind == "agency":
                parties.put_agency(conn, Agency(party_id, name, of.lower()), now)
            elif kind == "unit":
                parties.put_unit(conn, Unit(party_id, of, name), now)
            elif kind == "analyst":
                parties.put_analyst(conn, Analyst(party_id, of, name), now)
            else:
                raise ValidationError(tr("a party is an agency, a unit or an analyst"),
                                      [Problem(tr("agency, unit or analyst"), column="kind")])
        return back_to(HOME)

    @web.post("/admin/agreements")
    async def add_agreement(request: Request) -> Response:
        session = administrator(request)
        fields = await form(request, session)
        members = frozenset(p.strip() for p in required(fields, "parties", 1000).split(",")
                            if p.strip())
        valid_from = day(fields, "valid_from") if fields.get("valid_from") else None
        valid_until = day(fields, "valid_until") if fields.get("valid_until") else None
        agreement = Agreement(required(fields, "id", 128), required(fields, "title"),
                              fields.get("agreement_kind", ""), members, valid_from,
                              valid_until)
        with web_of(request).store.transaction() as conn:
            parties.put_agreement(conn, agreement, datetime.now(UTC))
        return back_to(HOME)

    @web.post("/admin/vettings")
    async def vet(request: Request) -> Response:
        session = administrator(request)
        fields = await form(request, session)
        now = datetime.now(UTC)
        vetting = Vetting(f"vet-{uuid.uuid4().hex[:20]}", required(fields, "by", 128),
                          required(fields, "unit", 128), day(fields, "valid_from", now.date()),
                          day(fields, "valid_until"))
        with web_of(request).store.transaction() as conn:
            parties.put_vetting(conn, vetting, now, by=session.owner)
        return back_to(HOME)

    @web.post("/admin/vettings/revoke")
    async def unvet(request: Request) -> Response:
        session = administrator(request)
        fields = await form(request, session)
        with web_of(request).store.transaction() as conn:
            parties.revoke_vettings(conn, required(fields, "unit", 128),
                                    required(fields, "by", 128), datetime.now(UTC),
                                    session.owner)
        return back_to(HOME)

    @web.post("/admin/tokens")
    async def issue(request: Request) -> Response:
        session = administrator(request)
        fields = await form(request, session)
        issuer = web_of(request).issue
        if issuer is None:
            raise ValidationError(tr("this node's web application issues no tokens; use "
                                     "`tearline token create`"))
        chosen = frozenset(s for s in SCOPES if fields.get(f"scope_{s}"))
        days = text(fields, "days", 4) or "30"
        if not days.isdigit():
            raise ValidationError(tr("invalid number"), [Problem(tr("days"), column="days")])
        made, row = issuer(required(fields, "owner", 200), chosen,
                           timedelta(days=int(days)), required(fields, "label"),
                           session.owner)
        # Answered here, not by a redirect: the text is on this answer only.
        return show(request, issued=(made, row), status_code=201)

    @web.post("/admin/tokens/{prefix}/revoke")
    async def revoke_token(request: Request, prefix: str) -> Response:
        session = administrator(request)
        await form(request, session)
        if not PREFIX_PATTERN.fullmatch(prefix):
            raise ValidationError(tr("invalid token prefix"), [Problem(tr("8 base32 letters"),
                                                                           column="prefix")])
        with web_of(request).store.transaction() as conn:
            api_tokens.revoke(conn, prefix, datetime.now(UTC))
        return back_to(HOME)

    @web.post("/admin/peers/{name}/remove")
    async def remove_peer(request: Request, name: str) -> Response:
        session = administrator(request)
        await form(request, session)
        with web_of(request).store.transaction() as conn:
            peers.remove_peer(conn, name[:200], datetime.now(UTC), session.owner)
        return back_to(HOME)

    return web
