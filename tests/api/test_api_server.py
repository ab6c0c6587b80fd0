"""Smoke set against a real uvicorn server on loopback (both backends)."""

from __future__ import annotations

import httpx
from apiworld import Served


def test_real_server(served: Served) -> None:
    auth = {"Authorization": f"Bearer {served.tokens['mx.semar.uie']}"}
    with httpx.Client(base_url=served.base, timeout=30) as client:
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
