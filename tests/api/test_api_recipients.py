"""Recipients hidden from each other over the API: a unit named on another agency's RED
record is shown itself named, in the record and in listings; the originator sees all."""

from __future__ import annotations

from datetime import timedelta

from apiworld import ALL, Api

from tearline.api.auth import issue_token

NAMED = ["unit:mx.semar.log", "unit:mx.semar.uie"]


def test_a_red_recipient_is_shown_only_itself(api: Api) -> None:
    api.tokens["mx.semar.log"], _ = issue_token(api.store, "mx.semar.log", ALL,
                                                timedelta(days=1), "test", "test")
    made = api.post("/api/v1/entities", "us.dea.sod", json={
        "schema": "Person", "properties": {"name": ["Rafael Caro Quintero"]},
        "marking": {"tlp": "RED", "releasable_to": NAMED, "legal_basis": "mx-us-2024"}})
    assert made.status_code == 201, made.text
    entity = made.json()["id"]
    for unit in ("mx.semar.uie", "mx.semar.log"):
        shown = api.get(f"/api/v1/entities/{entity}", unit)
        assert shown.status_code == 200, shown.text
        assert shown.json()["marking"]["releasable_to"] == [f"unit:{unit}"]
        listed = [e for e in api.get("/api/v1/entities?tlp=RED", unit).json()["items"]
                  if e["id"] == entity]
        assert [e["marking"]["releasable_to"] for e in listed] == [[f"unit:{unit}"]]
    originator = api.get(f"/api/v1/entities/{entity}", "us.dea.sod").json()
    assert sorted(originator["marking"]["releasable_to"]) == NAMED
    assert api.get(f"/api/v1/entities/{entity}", "mx.fgr.seido").status_code == 404
