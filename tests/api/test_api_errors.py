"""One error envelope for every failure, with the status from ``tearline.errors``."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from apiworld import Api, build_api

from store_template import copy_to
from tearline.errors import (
    AuthenticationError,
    InternalError,
    NotFound,
    TooLarge,
    UnsupportedMethod,
    ValidationError,
    http_status,
)


def _envelope(answer_json: object) -> dict[str, object]:
    assert isinstance(answer_json, dict) and set(answer_json) == {"error"}
    error = answer_json["error"]
    assert set(error) == {"code", "message", "details"}
    assert isinstance(error["message"], str) and isinstance(error["details"], dict)
    return error


def test_envelope_for_framework_failures(api: Api) -> None:
    cases = [
        (api.get("/api/v1/nowhere"), NotFound("")),
        (api.get("/elsewhere"), NotFound("")),
        (api.request("PUT", "/api/v1/stats"), UnsupportedMethod("")),
        (api.get("/api/v1/stats"), AuthenticationError("")),
        (api.get("/api/v1/search?q=x&limit=0", "mx.semar.uie"), ValidationError("")),
        (api.get("/api/v1/search?limit=2", "mx.semar.uie"), ValidationError("")),
        (api.get("/api/v1/entities?cursor=not-a-cursor", "mx.semar.uie"), ValidationError("")),
        (api.post("/api/v1/entities", "mx.semar.uie", content=b"{not json",
                  headers={"content-type": "application/json"}), ValidationError("")),
        (api.get("/api/v1/entities/bad%20id", "mx.semar.uie"), ValidationError("")),
    ]
    for answer, error in cases:
        assert answer.status_code == http_status(error), answer.text
        assert _envelope(answer.json())["code"] == error.code
    assert "allow" in {k.lower() for k in cases[2][0].headers}


def test_a_bug_answers_the_internal_error_of_the_tree(
        api: Api, caplog: pytest.LogCaptureFixture) -> None:
    async def broken() -> None:
        raise RuntimeError("secret detail of a bug")

    api.app.add_api_route("/api/v1/broken", broken)

    async def ask() -> httpx.Response:
        transport = httpx.ASGITransport(app=api.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/api/v1/broken")

    answer = asyncio.run(ask())
    assert answer.status_code == http_status(InternalError("")) == 500
    assert _envelope(answer.json()) == {"code": InternalError.code, "message": "internal error",
                                        "details": {}}
    assert "secret detail of a bug" in caplog.text  # the traceback goes to the log only


def test_control_characters_are_refused_not_stored(api: Api) -> None:
    body = {"schema": "Person", "properties": {"name": ["bad\u0000name"]},
            "marking": {"tlp": "GREEN"}}
    answer = api.post("/api/v1/entities", "mx.semar.uie", json=body)
    assert answer.status_code == 422
    assert api.get("/api/v1/search", "mx.semar.uie", params={"q": "a\x00b"}).status_code == 422


@pytest.fixture
def strict(db_url: str, store_template: Path) -> Api:
    return build_api(copy_to(store_template, db_url), max_body_bytes=2_000, max_page=5,
                     default_page=2)


def test_limits(strict: Api) -> None:
    try:
        big = {"schema": "Person", "properties": {"name": ["x" * 3_000]},
               "marking": {"tlp": "GREEN"}}
        answer = strict.post("/api/v1/entities", "mx.semar.uie", json=big)
        assert answer.status_code == http_status(TooLarge("")) == 413
        assert _envelope(answer.json())["code"] == "too_large"
        # A body without Content-Length is counted as it arrives.

        async def chunks():  # type: ignore[no-untyped-def]
            for _ in range(10):
                yield b"x" * 500

        streamed = strict.post("/api/v1/entities", "mx.semar.uie", content=chunks(),
                               headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert strict.get("/api/v1/entities?limit=6", "mx.semar.uie").status_code == 422
        page = strict.get("/api/v1/entities", "mx.semar.uie").json()
        assert len(page["items"]) == 2
        spec = strict.get("/api/v1/openapi.json").json()
        limit = [p for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]
                 if p["name"] == "limit"][0]
        assert limit["schema"]["maximum"] == 5
    finally:
        strict.close()
        strict.store.close()

