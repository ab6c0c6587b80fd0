"""Health, readiness, the caller's identity, and the API's own documentation."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from tearline.api.deps import AUTHED, PUBLIC, Reader, StoreDep
from tearline.api.schemas import Health, WhoAmI

ASSETS = "/api/v1/docs/assets"


def router() -> APIRouter:
    api = APIRouter(tags=["node"])

    @api.get("/health", response_model=Health, summary="The process answers (liveness)")
    async def health() -> Health:
        return Health(status="ok")

    @api.get("/ready", response_model=Health, responses=PUBLIC,
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
