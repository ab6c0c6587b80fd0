"""Smoke set against a real uvicorn server on loopback (both backends)."""

from __future__ import annotations

from pathlib import Path

import httpx
from apiworld import Served, build_api

from serving import serving
from store_template import copy_to
from waiting import HANG


def test_real_server(served: Served) -> None:
    auth = {"Authorization": f"Bearer {served.tokens['mx.semar.uie']}"}
    with httpx.Client(base_url=served.base, timeout=HANG) as client:
        assert client.get("/api/v1/health").json() == {"status": "ok"}
        assert client.get("/api/v1/ready").status_code == 200
        assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "tearline"
        made = client.post("/api/v1/entities", headers=auth, json={
            "schema": "Phone", "properties": {"number": ["+52 55 1234 5678"]},
            "marking": {"tlp": "AMBER"}})
        assert made.status_code == 201, made.text
        rid = made.json()["id"]
        assert made.json()["properties"]["number"] == ["+525512345678"]
        assert client.get(f"/api/v1/entities/{rid}", headers=auth).status_code == 200
        found = client.get("/api/v1/search", params={"q": "525512345678"}, headers=auth)
        assert [r["id"] for r in found.json()["items"]] == [rid]
        assert client.get("/api/v1/stats", headers=auth).json()["counts"]["Phone"] == 1
        fgr = {"Authorization": f"Bearer {served.tokens['mx.fgr.seido']}"}
        assert client.get(f"/api/v1/entities/{rid}", headers=fgr).status_code == 404
        assert client.get("/api/v1/stats").status_code == 401
        assert client.get("/api/v1/nope").json()["error"]["code"] == "not_found"
        big = client.post("/api/v1/entities", headers=auth, content=b"x" * 2_000_000)
        assert big.status_code == 413
        assert client.delete(f"/api/v1/entities/{rid}", headers=auth).status_code == 200


def test_a_real_server_believes_no_forwarded_address(db_url: str, store_template: Path) -> None:
    """uvicorn's own default believes X-Forwarded-For from loopback: a client could spread
    its failures over invented addresses. The node's server does not."""
    api = build_api(copy_to(store_template, db_url), auth_failures_per_address=3)
    unknown = "Bearer tl_aaaaaaaa_" + "U" * 43
    try:
        with serving(api.app) as base, httpx.Client(base_url=base, timeout=HANG) as client:
            codes = [client.get("/api/v1/stats", headers={
                "Authorization": unknown, "X-Forwarded-For": f"203.0.113.{i}"}).status_code
                for i in range(4)]
            assert codes == [401, 401, 401, 429]
            # Requests without a token are no one's failure; valid tokens still get in.
            assert {client.get("/api/v1/stats").status_code for _ in range(25)} == {401}
            auth = {"Authorization": f"Bearer {api.tokens['us.dea.sod']}"}
            assert client.get("/api/v1/stats", headers=auth).status_code == 200
    finally:
        api.close()
        api.store.close()
