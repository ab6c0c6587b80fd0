"""What route handlers receive: the store, the settings, the authenticated principal.

``Depends(reader)`` (or ``writer``, ``admin``) authenticates the request through the
app's :class:`~tearline.api.auth.Authenticator` and checks the credential's scope;
a handler never looks at headers or decides access itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from starlette.concurrency import run_in_threadpool

from tearline.api.auth import Authenticator, Principal, Scope
from tearline.api.error_envelope import ErrorEnvelope
from tearline.api.settings import ApiSettings
from tearline.cursors import CursorBox
from tearline.errors import Problem, ValidationError, tr
from tearline.store import Store

#: How the OpenAPI document describes the API token (see :func:`document_bearer`).
BEARER_SCHEME = {"HTTPBearer": {"type": "http", "scheme": "bearer",
                                "description": "API token: tl_<prefix>_<secret>"}}


def document_bearer(app: FastAPI) -> None:
    """In the app's OpenAPI document, every operation that can answer 401 needs the token.

    The authenticator reads the header itself. Declaring the scheme as a FastAPI
    security dependency would document it too, but at the price of resolving one more
    dependency in every authenticated request (docs/benchmarks.md, *Figures behind code
    choices*); the document is written once instead, from the 401 each authenticated operation
    declares (:data:`AUTHED`), to the same result.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()  # kept by FastAPI as app.openapi_schema
            schema.setdefault("components", {}).setdefault("securitySchemes", {}).update(
                BEARER_SCHEME)
            for operations in schema["paths"].values():
                for operation in operations.values():
                    if "401" in operation.get("responses", {}):
                        operation["security"] = [{name: []} for name in BEARER_SCHEME]
            return schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented hook


# Dependencies that do no I/O are ``async``: FastAPI runs a plain ``def`` dependency in
# the thread pool, and each such hop costs more than the work.


async def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def settings_of(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


async def cursors_of(request: Request) -> CursorBox:
    box: CursorBox = request.app.state.cursors
    return box


def _query_names(request: Request) -> frozenset[str] | None:
    """The query parameters the request's operation declares (those its OpenAPI entry
    lists: the route's and its dependencies'), remembered per route."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    known: dict[int, tuple[object, frozenset[str]]] = request.app.state.queries
    found = known.get(id(route))
    if found is None:
        names: set[str] = set()
        todo = [dependant]
        while todo:
            current = todo.pop()
            names.update(f.alias for f in current.query_params)
            todo.extend(current.dependencies)
        found = known[id(route)] = (route, frozenset(names))  # the route kept: ids stay unique
    return found[1]


async def known_query(request: Request) -> None:
    """Refuse (422) a query parameter the operation does not declare.

    A misspelt filter (``?shema=Person``, ``?drugs=fentanyl``) silently ignored would
    answer a wider question than the one asked, and the caller could not tell.
    """
    if not request.scope.get("query_string"):
        return
    allowed = _query_names(request)
    if allowed is None:
        return
    unknown = sorted({name for name in request.query_params if name not in allowed})
    if unknown:
        takes = ", ".join(sorted(allowed)) or "none"
        raise ValidationError(tr("unknown query parameter"), [
            Problem(tr("this operation takes no such parameter (it takes: {takes})", takes=takes),
                    column=f"query.{name[:64]}") for name in unknown[:20]])


def _scoped(scope: Scope) -> Callable[..., Awaitable[Principal]]:
    async def dependency(request: Request) -> Principal:
        authenticator: Authenticator = request.app.state.authenticator
        client = request.client.host if request.client else "unknown"
        header = request.headers.get("authorization")
        # A quick decision on the loop where the authenticator can make one; otherwise
        # the full check (database, Argon2, audited refusals) on a worker thread.
        principal = authenticator.recall(header, client)
        if principal is None:
            principal = await run_in_threadpool(authenticator.authenticate, header, client)
        principal.require(scope)
        await known_query(request)
        return principal

    return dependency


reader = _scoped(Scope.read)
writer = _scoped(Scope.write)
admin = _scoped(Scope.admin)

Reader = Annotated[Principal, Depends(reader)]
Writer = Annotated[Principal, Depends(writer)]
Admin = Annotated[Principal, Depends(admin)]
StoreDep = Annotated[Store, Depends(store_of)]
SettingsDep = Annotated[ApiSettings, Depends(settings_of)]
CursorsDep = Annotated[CursorBox, Depends(cursors_of)]
#: For operations without a token: their query is checked all the same.
KNOWN_QUERY = [Depends(known_query)]


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    names = {
        401: "No valid API token",
        403: "The credential lacks a scope, or the policy refuses the action",
        404: "No such object for this caller (hidden and missing answer alike)",
        409: "The object exists or changed meanwhile",
        413: "Request body too large",
        422: "Invalid input; every problem is listed",
        429: "Too many failed authentications; see Retry-After",
        503: "The database is unavailable or the request timed out",
    }
    return {s: {"model": ErrorEnvelope, "description": names[s]} for s in statuses}


#: Error responses of every authenticated operation.
AUTHED = _errors(401, 403, 422, 429, 503)
#: ... of those taking a body, and of those naming one object.
WITH_BODY = _errors(413)
ONE_OBJECT = _errors(404)
CONFLICT = _errors(409)
PUBLIC = _errors(503)
#: ... of those without a token (a query parameter they do not take).
INPUT = _errors(422)
