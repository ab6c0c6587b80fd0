"""Sign-in (API token or password), sign-out, and the language switch."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tearline.errors import AuthenticationError, RateLimited
from tearline.i18n import SUPPORTED
from tearline.store import web_accounts
from tearline.web.context import (
    LANG_COOKIE,
    PRE_COOKIE,
    PREFIX,
    back_to,
    form,
    page,
    session_of,
    text,
    web_of,
)
from tearline.web.sessions import COOKIE


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _presession(request: Request, response: Response) -> None:
    if not request.cookies.get(PRE_COOKIE):
        return
    response.set_cookie(PRE_COOKIE, request.cookies[PRE_COOKIE], httponly=True,
                        samesite="strict", secure=_secure(request), path=PREFIX)


def router() -> APIRouter:
    web = APIRouter()

    @web.get("/signin")
    async def signin_page(request: Request, next: str = PREFIX + "/search") -> Response:
        token = request.cookies.get(PRE_COOKIE) or secrets.token_hex(32)
        answer = page(request, "signin.html", csrf=token, next=next[:400], failed=False)
        answer.set_cookie(PRE_COOKIE, token, httponly=True, samesite="strict",
                          secure=_secure(request), path=PREFIX)
        return answer

    @web.post("/signin")
    async def signin(request: Request) -> Response:
        fields = await form(request, None)
        sessions = web_of(request).sessions
        client = request.client.host if request.client else "unknown"
        token, name = text(fields, "token"), text(fields, "name", 200)
        try:
            if token:
                session_id = sessions.with_token(token, client)
            else:
                session_id = sessions.with_password(name, fields.get("password", "")[:1000],
                                                      client)
        except (AuthenticationError, RateLimited) as refused:
            status = 429 if isinstance(refused, RateLimited) else 401
            return page(request, "signin.html", status, csrf=fields["csrf"],
                        next=fields.get("next", ""), failed=True)
        answer = back_to(fields.get("next") or PREFIX + "/search")
        answer.set_cookie(COOKIE, session_id, httponly=True, samesite="strict",
                          secure=_secure(request), path="/",
                          max_age=web_of(request).settings.session_minutes * 60)
        return answer

    @web.post("/signout")
    async def signout(request: Request) -> Response:
        session = session_of(request)
        if session is not None:
            await form(request, session)
            web_of(request).sessions.end(session.id)
        answer = RedirectResponse(PREFIX + "/signin", status_code=303)
        answer.delete_cookie(COOKIE, path="/")
        return answer

    @web.post("/language")
    async def language(request: Request) -> Response:
        session = session_of(request)
        fields = await form(request, session)
        chosen = fields.get("locale", "")
        answer = back_to(fields.get("next", ""))
        if chosen not in SUPPORTED:
            return answer
        if session is not None:
            with web_of(request).store.transaction() as conn:
                web_accounts.set_locale(conn, session.owner, chosen)
        answer.set_cookie(LANG_COOKIE, chosen, httponly=True, samesite="strict",
                          secure=_secure(request), path="/", max_age=365 * 86400)
        _presession(request, answer)
        return answer

    @web.get("/")
    async def home() -> RedirectResponse:
        return RedirectResponse(PREFIX + "/search", status_code=303)

    return web
