"""Adding the web application to the API's FastAPI application.

:func:`install` mounts the pages under ``/web`` (and sends ``/`` there), the static
files under ``/web/static``, ahead of the API's routes, and a middleware that gives
every page its security headers. The API's error envelope stays the API's: a failure
on a web path is answered with an HTML page in the reader's language instead, with the
same status.

The web package sits beside ``api/`` (one floor, tests/arch): it does not import it.
The application and its authenticator are handed in by whoever composes the two — the
CLI's ``serve`` — so that API tokens sign in to the web exactly as they authenticate
to the API (same checks, limits and audited refusals).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount

from tearline.errors import TearlineError, http_status
from tearline.web import context
from tearline.web.context import PREFIX, SignInNeeded, TokenIssuer, Web
from tearline.web.pages import (
    admin,
    audit,
    network,
    record,
    record_panels,
    search,
    seizures,
    sharing,
    sharing_forms,
    signin,
)
from tearline.web.proofs import Verifier
from tearline.web.sessions import Sessions, TokenAuthenticator
from tearline.web.settings import WebSettings

log = logging.getLogger("tearline.web")
STATIC = Path(__file__).resolve().parent / "static"

#: No inline script or style, nothing from elsewhere, no framing, forms only to us.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
HEADERS = (
    (b"content-security-policy", CSP.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)

#: The page modules, each a router mounted under ``/web``.
PAGES = (signin, search, record, sharing, sharing_forms, audit, record_panels, admin,
         network, seizures)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class SecurityHeaders:
    """Every answer under ``/web`` gets :data:`HEADERS`; pages are never cached."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        static = str(scope["path"]).startswith(PREFIX + "/static/")

        async def sending(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(HEADERS)
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)


def route_table() -> set[tuple[str, str]]:
    """Every (method, path) the web application answers, but its static files."""
    found = {("GET", "/")}
    for module in PAGES:
        for route in module.router().routes:
            found |= {(method, PREFIX + route.path) for method in
                      getattr(route, "methods", None) or () if method != "HEAD"}
    return found


def install(app: FastAPI, tokens: TokenAuthenticator, settings: WebSettings | None = None,
            clock: Callable[[], datetime] = lambda: datetime.now(UTC),
            issue: TokenIssuer | None = None, verifier: Verifier | None = None) -> Web:
    """Add the web application to ``app`` (built by ``api.app.create_app``): its store is
    ``app.state.store``; ``tokens`` checks API tokens used to sign in; ``clock`` decides
    session expiry; ``issue`` makes API tokens for the administration page; ``verifier``
    (the node's checkpoint key, if known) lets the audit page check a checkpoint's
    signature besides its Merkle proof."""
    settings = settings or WebSettings.from_env()
    store = app.state.store
    web = Web(store, settings, Sessions(store, settings, tokens, clock), issue, verifier)
    app.state.web = web
    api_errors = dict(app.exception_handlers)

    async def on_error(request: Request, exc: Exception) -> Response:
        if not request.url.path.startswith(PREFIX):
            handler = next((api_errors[k] for k in type(exc).__mro__ if k in api_errors), None)
            assert handler is not None
            return await handler(request, exc)  # type: ignore[no-any-return]
        if isinstance(exc, SignInNeeded):
            return RedirectResponse(context.sign_in_url(exc.back), status_code=303)
        if isinstance(exc, TearlineError):
            return context.page(request, "error.html", http_status(exc), error=exc)
        if isinstance(exc, StarletteHTTPException):
            return context.page(request, "error.html", exc.status_code, error=None,
                                code=exc.status_code)
        log.exception("internal error", exc_info=exc)
        return context.page(request, "error.html", 500, error=None, code=500)

    for kind in (SignInNeeded, TearlineError, StarletteHTTPException, Exception):
        app.add_exception_handler(kind, on_error)
    pages = APIRouter()
    for module in PAGES:
        pages.include_router(module.router(), include_in_schema=False)
    pages.mount("/static", StaticFiles(directory=STATIC), name="web-static")
    # First, behind one prefix test: a page is not tried against every API route first
    # (FastAPI tests each route of each included router in turn, several µs a router),
    # and an API request passes it with one failed prefix match.
    app.router.routes.insert(0, Mount(PREFIX, app=pages))

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse(PREFIX + "/search", status_code=303)

    app.add_middleware(SecurityHeaders)
    return web
