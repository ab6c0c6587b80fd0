"""The one error envelope: ``{"error": {"code", "message", "details"}}``.

Every failure — ours, the framework's (unknown route, wrong method, invalid
parameters), a body too large, a timeout, and any bug — leaves through
:func:`error_response`, with the status from :func:`tearline.errors.http_status`.
A bug answers 500 with a fixed message; its traceback goes to the log, not the client.

The ``message`` is in the language the client asks for (``Accept-Language``: es-MX or
en-US, :func:`tearline.i18n.negotiate`), said in ``Content-Language``; the ``code``
and the ``details`` never change with the language, so a program reads them alike.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from tearline import i18n
from tearline.errors import (
    AuthenticationError,
    InputError,
    InternalError,
    NotFound,
    Problem,
    RateLimited,
    TearlineError,
    TooLarge,
    UnsupportedMethod,
    ValidationError,
    http_status,
    tr,
)
from tearline.i18n.messages import content_language, localize

log = logging.getLogger("tearline.api")


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any]


class ErrorEnvelope(BaseModel):
    error: ErrorBody


def model_response(model: BaseModel) -> Response:
    """A model the route built, answered as JSON (the route keeps ``response_model`` for
    the OpenAPI document). FastAPI would otherwise validate it again against that same
    model before serialising it: the same work twice."""
    return Response(model.model_dump_json(by_alias=True), media_type="application/json")


def request_locale(accept_language: str | None) -> str:
    """The locale of an answer to a request with this ``Accept-Language`` header."""
    return i18n.negotiate(None, accept_language)


def error_response(error: TearlineError, locale: str = i18n.DEFAULT) -> JSONResponse:
    status = http_status(error)
    headers: dict[str, str] = {"Content-Language": content_language(locale)}
    if isinstance(error, AuthenticationError):
        headers["WWW-Authenticate"] = 'Bearer realm="tearline"'
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    body = {"error": {"code": error.code, "message": localize(error, locale),
                      "details": error.details()}}
    return JSONResponse(body, status_code=status, headers=headers)


def _location(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def _validation(exc: RequestValidationError) -> ValidationError:
    problems = []
    for item in exc.errors()[:50]:
        # The framework's message and location only: never echo the input value back.
        problems.append(Problem(str(item.get("msg", "invalid")), column=_location(item["loc"])))
    return ValidationError(tr("the request is invalid"), problems)


def _http(exc: StarletteHTTPException) -> TearlineError:
    if exc.status_code == 404:
        return NotFound(tr("no such resource"))
    if exc.status_code == 405:
        return UnsupportedMethod(tr("this method is not allowed here"))
    if exc.status_code == 413:
        return TooLarge(tr("request body too large"))
    if exc.status_code == 401:
        return AuthenticationError(tr("missing or invalid API token"))
    return InputError(str(exc.detail))


def install(app: FastAPI) -> None:
    """Route every failure of ``app`` through the envelope."""

    def locale(request: Request) -> str:
        return request_locale(request.headers.get("accept-language"))

    async def on_tearline(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, TearlineError)
        if http_status(exc) >= 500:
            log.error("%s: %s", exc.code, exc.message)
        return error_response(exc, locale(request))

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(_validation(exc), locale(request))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        response = error_response(_http(exc), locale(request))
        if exc.status_code == 405 and exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error", exc_info=exc)
        return error_response(InternalError(tr("internal error")), locale(request))

    app.add_exception_handler(TearlineError, on_tearline)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_bug)
