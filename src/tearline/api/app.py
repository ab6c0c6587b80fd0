"""The ASGI application: routers under ``/api/v1``, limits, the error envelope.

FastAPI was chosen over bare Starlette (on which it is built, at the same speed)
because the OpenAPI document is generated from the same pydantic types that parse
every request — the description schemathesis tests against cannot drift from the
code — and because its dependency injection makes authentication one replaceable
dependency (:class:`~tearline.api.auth.Authenticator`) rather than code in each route.
"""

from __future__ import annotations

import asyncio
import gc

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from tearline.api import error_envelope
from tearline.api.auth import Authenticator, TokenAuthenticator
from tearline.api.deps import document_bearer
from tearline.api.limits import BodyLimit, Deadline, Timeout
from tearline.api.routes import (
    admin,
    approvals,
    audit,
    consent_requests,
    deconflict,
    entities,
    markings,
    meta,
    network,
    policy,
    releases,
    reports,
    resolve,
    search,
    trace,
)
from tearline.api.settings import ApiSettings
from tearline.cursors import CursorBox
from tearline.errors import StoreError
from tearline.settings import Settings
from tearline.store import Store, require_current

PREFIX = "/api/v1"


def create_app(
    store: Store,
    settings: ApiSettings | None = None,
    authenticator: Authenticator | None = None,
    deadline: Deadline = asyncio.timeout,
) -> FastAPI:
    """The API of ``store``; ``deadline`` decides when a request is cut off (tests fire
    it themselves, :class:`~tearline.api.limits.Timeout`)."""
    settings = settings or ApiSettings.from_env()
    app = FastAPI(
        title="tearline",
        version="1",
        summary="Counter-narcotics intelligence shared through a dissemination policy.",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.authenticator = authenticator or TokenAuthenticator(store, settings)
    key = bytes.fromhex(settings.cursor_key) if settings.cursor_key else None
    app.state.cursors = CursorBox(key)
    app.state.queries = {}  # the query parameters of each route (api/deps.py)

    error_envelope.install(app)
    document_bearer(app)
    app.include_router(meta.router(), prefix=PREFIX)
    app.include_router(meta.docs_redirect())
    app.include_router(entities.router(settings), prefix=PREFIX)
    app.include_router(search.router(settings), prefix=PREFIX)
    app.include_router(markings.router(), prefix=PREFIX)
    app.include_router(releases.router(), prefix=PREFIX)
    app.include_router(policy.router(), prefix=PREFIX)
    app.include_router(audit.router(settings), prefix=PREFIX)
    app.include_router(admin.router(), prefix=PREFIX)
    app.include_router(reports.router(), prefix=PREFIX)
    app.include_router(deconflict.router(), prefix=PREFIX)
    app.include_router(trace.router(), prefix=PREFIX)
    app.include_router(resolve.router(), prefix=PREFIX)
    app.include_router(network.router(), prefix=PREFIX)
    app.include_router(approvals.router(), prefix=PREFIX)
    app.include_router(consent_requests.router(), prefix=PREFIX)
    app.mount(meta.ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-assets")
    # Outermost last: the timeout covers everything, the body limit sees bytes first.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(Timeout, seconds=settings.request_timeout_seconds, deadline=deadline)
    if settings.trusted_proxies:
        # The client address (which failure limits count) is taken from X-Forwarded-For
        # only when the connection comes from a configured proxy, and then as the last
        # address that proxy added, never what its client wrote in front of it. Done
        # here rather than by the server, whose own handling trusts loopback by
        # default: servers are told not to (``api/server.py``).
        app.add_middleware(ProxyHeadersMiddleware,
                           trusted_hosts=list(settings.trusted_proxies))
    return app


def from_environment() -> FastAPI:
    """The app of the node named by ``TEARLINE_WORKSPACE`` / ``TEARLINE_DB_URL``.

    The factory each uvicorn worker process calls (``tearline serve --workers N``). The
    parent has opened (and migrated) the database already, so workers do not migrate.
    """
    store = Store.open(Settings.load().db_url, migrate=False)
    try:
        require_current(store.engine)  # the read queries rely on the derived rows too
    except StoreError:
        store.close()
        raise
    app = create_app(store, ApiSettings.from_env())
    settle_heap()
    return app


def settle_heap() -> None:
    """Keep what the process has built so far out of the garbage collector's full passes.

    Called once by a serving process, after the app is built and before it takes
    requests. Loaded schemata, compiled statements, the routes and the models are
    hundreds of thousands of long-lived objects; each full (oldest-generation) pass
    walked all of them while every request in the process waited, the long tail of
    the latency (docs/api.md, "Performance"). :func:`gc.freeze` moves them to a
    generation the collector never scans; objects made later are collected as usual.
    """
    gc.collect()
    gc.freeze()
