"""What every page handler starts from: the session (if any), the language, the form.

A page asks :func:`viewer` for the signed-in session (or is sent to the sign-in page),
:func:`locale_of` for the language — the analyst's saved preference, then the language
cookie the switch sets before sign-in, then the browser's ``Accept-Language`` — and
:func:`form` for a posted form whose CSRF token has been checked.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol
from urllib.parse import parse_qs, quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tearline.errors import PolicyDenied, TooLarge, ValidationError, tr
from tearline.i18n import SUPPORTED, negotiate
from tearline.store import Store
from tearline.web.proofs import Verifier
from tearline.web.render import render
from tearline.web.sessions import COOKIE, Session, Sessions
from tearline.web.settings import WebSettings

LANG_COOKIE = "tearline_lang"
#: The double-submit token of forms sent before a session exists (sign-in, language).
PRE_COOKIE = "tearline_presession"
MAX_FORM = 65_536
PREFIX = "/web"


class SignInNeeded(Exception):
    """The page needs a live session: answered by a redirect to the sign-in page."""

    def __init__(self, back: str) -> None:
        self.back = back


class TokenIssuer(Protocol):
    """The API's token issuing (``api.auth.issue_token`` on this store), handed in by
    whoever composes the site (``cli/web.py``): the administration page issues tokens
    with it, so that a token made in a browser is the one the API would make."""

    def __call__(self, owner: str, scopes: frozenset[str], lifetime: timedelta, label: str,
                 created_by: str) -> tuple[str, Any]: ...


@dataclass(frozen=True)
class Web:
    """The web application's state, on ``app.state.web``; ``issue`` is ``None`` where
    the composer gave no token issuing (the page then offers none)."""

    store: Store
    settings: WebSettings
    sessions: Sessions
    issue: TokenIssuer | None = None
    #: The node's checkpoint verifier key, when the site was given it (audit proofs).
    verifier: Verifier | None = None


def web_of(request: Request) -> Web:
    found: Web = request.app.state.web
    return found


def session_of(request: Request) -> Session | None:
    cached = request.scope.get("tearline.session", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    found = web_of(request).sessions.current(request.cookies.get(COOKIE))
    request.scope["tearline.session"] = found
    return found


def viewer(request: Request, scope: str = "read") -> Session:
    """The live session of the request; :class:`SignInNeeded` without one."""
    found = session_of(request)
    if found is None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(back)
    if scope not in found.scopes:
        raise PolicyDenied(tr("this session lacks the {scope!r} scope", scope=scope),
                           [tr("granted scopes: {scopes}",
                               scopes=", ".join(sorted(found.scopes)) or tr("no scope"))])
    return found


def locale_of(request: Request) -> str:
    found = session_of(request)
    if found is not None and found.locale is not None and found.locale in SUPPORTED:
        return found.locale  # saved by the analyst, read with the session's row
    cookie = request.cookies.get(LANG_COOKIE)
    return negotiate(cookie if cookie in SUPPORTED else None,
                     request.headers.get("accept-language"))


async def form(request: Request, session: Session | None) -> dict[str, str]:
    """The posted form (``application/x-www-form-urlencoded``), its CSRF token checked:
    the session's, or before sign-in the pre-session cookie's."""
    body = await request.body()
    if len(body) > MAX_FORM:
        raise TooLarge(tr("form too large"))
    fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace"),
                                           keep_blank_values=True).items()}
    presented = fields.get("csrf")
    if session is not None:
        ok = session.csrf_ok(presented)
    else:
        cookie = request.cookies.get(PRE_COOKIE, "")
        ok = bool(cookie) and presented is not None and hmac.compare_digest(
            cookie.encode("utf-8", "replace"), presented.encode("utf-8", "replace"))
    if not ok:
        raise PolicyDenied(tr("the form's CSRF token is missing or wrong"),
                           [tr("reload the page and send the form again")])
    return fields


def page(request: Request, name: str, status: int = 200, csrf: str | None = None,
         **context: Any) -> HTMLResponse:
    """A page in the reader's language; its forms carry ``csrf`` (by default the
    session's token, or before sign-in the pre-session cookie's)."""
    locale = locale_of(request)
    session = session_of(request)
    if csrf is None:
        csrf = session.csrf if session else request.cookies.get(PRE_COOKIE, "")
    html = render(locale, name, session=session, path=request.url.path, csrf=csrf, **context)
    return HTMLResponse(html, status_code=status)


def back_to(target: str) -> RedirectResponse:
    """A redirect after a form (303: the browser follows with GET)."""
    if not target.startswith(PREFIX + "/") or "//" in target or "\\" in target:
        target = PREFIX + "/search"
    return RedirectResponse(target, status_code=303)


def sign_in_url(back: str) -> str:
    return f"{PREFIX}/signin?next={quote(back, safe='/')}"


def text(fields: dict[str, str], name: str, limit: int = 400) -> str:
    value = fields.get(name, "").strip()
    if len(value) > limit:
        raise ValidationError(tr("{name}: at most {limit} characters", name=name, limit=limit))
    return value
