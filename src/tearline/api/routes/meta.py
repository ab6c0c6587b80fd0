"""Health, readiness, the caller's identity, and the API's own documentation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse

from tearline.api.deps import AUTHED, INPUT, KNOWN_QUERY, PUBLIC, Reader, StoreDep
from tearline.api.schemas import Health, WhoAmI

DOCS = "/api/v1/docs"
ASSETS = f"{DOCS}/assets"


def router() -> APIRouter:
    api = APIRouter(tags=["node"])

    @api.get("/health", response_model=Health, responses=INPUT, dependencies=KNOWN_QUERY,
             summary="The process answers (liveness)")
    async def health() -> Health:
        return Health(status="ok")

    @api.get("/ready", response_model=Health, responses={**PUBLIC, **INPUT},
             dependencies=KNOWN_QUERY,
             summary="The database answers and its schema is current (readiness)")
    def ready(store: StoreDep) -> Health:
        store.check_ready()
        return Health(status="ready")

    @api.get("/whoami", response_model=WhoAmI, responses=AUTHED,
             summary="The authenticated caller and the policy subject it acts as")
    async def whoami(principal: Reader) -> WhoAmI:
        s = principal.subject
        return WhoAmI(subject=str(s), unit=s.unit, agency=s.agency, analyst=s.analyst,
                      scopes=sorted(principal.scopes), credential=principal.credential)

    @api.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="tearline API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )

    return api


def docs_redirect() -> APIRouter:
    """``/docs`` (where FastAPI apps usually keep theirs, and where people look first)
    answers a permanent redirect to the API's documentation at ``/api/v1/docs``."""
    api = APIRouter(tags=["node"])

    @api.get("/docs", include_in_schema=False)
    async def docs() -> RedirectResponse:
        return RedirectResponse(DOCS, status_code=308)

    return api
