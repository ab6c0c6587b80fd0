"""Entities, search, stats, parties, tokens and node routes through the ASGI interface."""

from __future__ import annotations

from typing import Any

from apiworld import Api

GREEN_PERSON: dict[str, Any] = {
    "schema": "Person",
    "properties": {"name": ["Héctor Palma Salazar"], "birthDate": ["1940-12-29"]},
    "marking": {"tlp": "AMBER", "releasable_to": ["agency:us.dea"], "legal_basis": "mx-us-2024"},
    "portions": {"birthDate": {"tlp": "RED", "releasable_to": ["unit:mx.semar.uie"]}},
    "reliability": "B",
    "credibility": "2",
}


def test_create_read_amend_retract(api: Api) -> None:
    made = api.post("/api/v1/entities", "mx.semar.uie", json=GREEN_PERSON)
    assert made.status_code == 201, made.text
    body = made.json()
    rid = body["id"]
    assert rid.startswith("tl-")
    assert body["properties"] == {"birthDate": ["1940-12-29"], "name": ["Héctor Palma Salazar"]}
    assert body["originator"] == "mx.semar" and body["author"] == "mx.semar.uie"
    assert body["marking"]["tlp"] == "AMBER"
    assert {s["reliability"] + s["credibility"] for s in body["statements"]} == {"B2"}

    # The DEA unit sees the record through its tear line: the RED portion is cut off.
    dea = api.get(f"/api/v1/entities/{rid}", "us.dea.sod")
    assert dea.status_code == 200
    assert dea.json()["properties"] == {"name": ["Héctor Palma Salazar"]}
    # FGR sees nothing, exactly as for an id that never existed.
    assert api.get(f"/api/v1/entities/{rid}", "mx.fgr.seido").status_code == 404

    amended = api.post(f"/api/v1/entities/{rid}/statements", "mx.semar.uie",
                       json={"properties": {"alias": ["El Güero"]}})
    assert amended.status_code == 200, amended.text
    assert amended.json()["version"] == 2
    assert amended.json()["properties"]["alias"] == ["El Güero"]

    # Another agency adds statements only under a marking of its own.
    unmarked = api.post(f"/api/v1/entities/{rid}/statements", "us.dea.sod",
                        json={"properties": {"alias": ["Palma"]}})
    assert unmarked.status_code == 403
    assert unmarked.json()["error"]["code"] == "denied"
    marked = api.post(
        f"/api/v1/entities/{rid}/statements", "us.dea.sod",
        json={"properties": {"alias": ["Palma"]},
              "marking": {"tlp": "AMBER", "releasable_to": ["agency:mx.semar"],
                          "legal_basis": "mx-us-2024"}},
    )
    assert marked.status_code == 200, marked.text
    assert "Palma" in marked.json()["properties"]["alias"]

    # Only the originator's units retract.
    assert api.delete(f"/api/v1/entities/{rid}", "us.dea.sod").status_code == 403
    gone = api.delete(f"/api/v1/entities/{rid}", "mx.semar.uie")
    assert gone.status_code == 200 and gone.json()["retracted"] is True
    for unit in ("mx.semar.uie", "us.dea.sod"):
        assert api.get(f"/api/v1/entities/{rid}", unit).status_code == 404


def test_create_rejects_bad_input_with_every_problem(api: Api) -> None:
    bad = {
        "schema": "Person",
        "properties": {"birthDate": ["not a date"], "shoeSize": ["44"]},
        "marking": {"tlp": "AMBER"},
    }
    answer = api.post("/api/v1/entities", "mx.semar.uie", json=bad)
    assert answer.status_code == 422
    columns = {p.get("column") for p in answer.json()["error"]["details"]["problems"]}
    assert {"birthDate", "shoeSize"} <= columns
    # The framework's own validation uses the same envelope.
    extra = api.post("/api/v1/entities", "mx.semar.uie", json={**GREEN_PERSON, "id": "mine"})
    assert extra.status_code == 422
    assert extra.json()["error"]["code"] == "validation_failed"
    bad_marking = {**GREEN_PERSON, "marking": {"tlp": "PURPLE"}}
    assert api.post("/api/v1/entities", "mx.semar.uie", json=bad_marking).status_code == 422


def test_list_pages_with_sealed_cursors(api: Api) -> None:
    first = api.get("/api/v1/entities?limit=2", "mx.semar.uie").json()
    assert [r["id"] for r in first["items"]] == ["rec-dea", "rec-public"]
    cursor = first["next_cursor"]
    # Sealed: the page's last id does not show (checked as whole ids: three random
    # letters of the cursor may spell anything).
    assert cursor and "rec-public" not in cursor and "public" not in cursor
    second = api.get(f"/api/v1/entities?limit=2&cursor={cursor}", "mx.semar.uie").json()
    assert [r["id"] for r in second["items"]] == ["rec-secret", "rec-shared"]
    third = api.get(f"/api/v1/entities?limit=2&cursor={second['next_cursor']}",
                    "mx.semar.uie").json()
    assert third == {"items": [], "next_cursor": None}
    # A cursor is bound to its unit and query; altered, it is refused.
    assert api.get(f"/api/v1/entities?cursor={cursor}", "us.dea.sod").status_code == 422
    assert api.get(f"/api/v1/entities?schema=Person&cursor={cursor}",
                   "mx.semar.uie").status_code == 422
    flipped = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
    assert api.get(f"/api/v1/entities?cursor={flipped}", "mx.semar.uie").status_code == 422
    people = api.get("/api/v1/entities?schema=Organization", "mx.semar.uie").json()
    assert [r["id"] for r in people["items"]] == ["rec-dea"]


def test_search_names_aliases_identifiers(api: Api) -> None:
    def ids(query: str, unit: str) -> list[str]:
        answer = api.get("/api/v1/search", unit, params={"q": query})
        assert answer.status_code == 200, answer.text
        return [r["id"] for r in answer.json()["items"]]

    assert ids("garcia", "mx.semar.uie") == ["rec-dea", "rec-public", "rec-secret", "rec-shared"]
    assert ids("garcia", "us.dea.sod") == ["rec-dea", "rec-public", "rec-shared"]
    assert ids("contador", "mx.semar.uie") == ["rec-shared"]
    assert ids("contador", "us.dea.sod") == []
    assert ids("ZAGO610927HSLLYR00", "mx.semar.uie") == ["rec-secret"]
    assert ids("garcia", "mx.fgr.seido") == ["rec-public"]
    orgs = api.get("/api/v1/search", "mx.semar.uie",
                   params={"q": "garcia", "schema": "Organization"})
    assert [r["id"] for r in orgs.json()["items"]] == ["rec-dea"]
    page = api.get("/api/v1/search", "mx.semar.uie", params={"q": "garcia", "limit": 3}).json()
    rest = api.get("/api/v1/search", "mx.semar.uie",
                   params={"q": "garcia", "limit": 3, "cursor": page["next_cursor"]}).json()
    assert [r["id"] for r in rest["items"]] == ["rec-shared"]
    too_many = api.get("/api/v1/search", "mx.semar.uie", params={"q": "a b c d e f g h i"})
    assert too_many.status_code == 422


def test_stats_and_node_routes(api: Api) -> None:
    stats = api.get("/api/v1/stats", "us.dea.sod").json()
    assert stats == {"counts": {"Organization": 1, "Person": 2}, "total": 3}
    assert api.get("/api/v1/health").json() == {"status": "ok"}
    assert api.get("/api/v1/ready").json() == {"status": "ready"}
    me = api.get("/api/v1/whoami", "ana@mx.semar.uie").json()
    assert me["subject"] == "analyst:ana@mx.semar.uie" and me["agency"] == "mx.semar"
    docs = api.get("/api/v1/docs")
    assert docs.status_code == 200 and "/api/v1/docs/assets/swagger-ui-bundle.js" in docs.text
    assert api.get("/api/v1/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert "/api/v1/entities/{entity_id}" in api.get("/api/v1/openapi.json").json()["paths"]


def test_administration_needs_admin_scope(api: Api) -> None:
    assert api.get("/api/v1/parties", "reader").status_code == 403
    listed = api.get("/api/v1/parties", "us.dea.sod").json()
    assert {"kind": "unit", "id": "mx.fgr.seido", "name": "SEIDO", "detail": "mx.fgr"} in (
        listed["parties"]
    )
    calls: list[tuple[str, dict[str, Any]]] = [
        ("/api/v1/parties/agencies", {"id": "co.dijin", "name": "DIJIN", "country": "co"}),
        ("/api/v1/parties/units", {"id": "co.dijin.anti", "agency": "co.dijin", "name": "Anti"}),
        ("/api/v1/parties/analysts",
         {"id": "luz@co.dijin.anti", "unit": "co.dijin.anti", "name": "Luz"}),
        ("/api/v1/parties/agreements",
         {"id": "co-us-1", "title": "CO-US", "kind": "mlat", "parties": ["co.dijin", "us.dea"]}),
        ("/api/v1/vettings", {"id": "v-1", "by": "us.dea", "unit": "co.dijin.anti",
                              "valid_from": "2026-01-01T00:00:00Z",
                              "valid_until": "2030-01-01T00:00:00Z"}),
    ]
    for url, body in calls:
        assert api.post(url, "reader", json=body).status_code == 403
        answer = api.post(url, "us.dea.sod", json=body)
        assert answer.status_code == 201, (url, answer.text)
    assert api.post("/api/v1/vettings", "us.dea.sod", json=calls[-1][1]).status_code == 409
    revoked = api.post("/api/v1/vettings/revocations", "us.dea.sod",
                       json={"unit": "co.dijin.anti", "by": "us.dea"})
    assert revoked.status_code == 200
    assert revoked.json()["vettings"][0]["revoked_at"] is not None
    again = api.post("/api/v1/vettings/revocations", "us.dea.sod",
                     json={"unit": "co.dijin.anti", "by": "us.dea"})
    assert again.status_code == 404


def test_tokens_through_the_api(api: Api) -> None:
    made = api.post("/api/v1/tokens", "mx.semar.uie",
                    json={"owner": "eva@mx.fgr.seido", "scopes": ["read"], "days": 1})
    assert made.status_code == 201
    token, prefix = made.json()["token"], made.json()["info"]["prefix"]
    listed = api.get("/api/v1/tokens", "mx.semar.uie")
    assert prefix in listed.text and token.split("_", 2)[2] not in listed.text
    me = api.get("/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["analyst"] == "eva@mx.fgr.seido"
    assert api.delete(f"/api/v1/tokens/{prefix}", "mx.semar.uie").status_code == 200
    again = api.get("/api/v1/whoami", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 401
    unknown = api.post("/api/v1/tokens", "mx.semar.uie",
                       json={"owner": "nobody@mx.fgr.seido", "scopes": ["read"]})
    assert unknown.status_code == 404
