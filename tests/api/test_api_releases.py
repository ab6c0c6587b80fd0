"""Releases, recalls and consents through the API."""

from __future__ import annotations

from apiworld import Api


def test_release_recall_and_consent(api: Api) -> None:
    body = {"schema": "Person", "properties": {"name": ["Amado Carrillo Fuentes"]},
            "marking": {"tlp": "AMBER", "orcon": True}}
    rid = api.post("/api/v1/entities", "mx.semar.uie", json=body).json()["id"]
    assert api.get(f"/api/v1/entities/{rid}", "us.dea.sod").status_code == 404
    # A unit that cannot see the record gets the same 404 when it tries to release it.
    hidden = api.post(f"/api/v1/entities/{rid}/releases", "mx.fgr.seido",
                      json={"to": "agency:mx.fgr", "basis": "mx-us-2024"})
    assert hidden.status_code == 404

    made = api.post(f"/api/v1/entities/{rid}/releases", "mx.semar.uie",
                    json={"to": "agency:us.dea", "basis": "mx-us-2024"})
    assert made.status_code == 201, made.text
    assert made.json()["to"] == "agency:us.dea" and made.json()["statements"] == 1
    assert api.get(f"/api/v1/entities/{rid}", "us.dea.sod").status_code == 200
    # ORCON: the DEA may not pass it on without the originator's consent.
    onward = api.post(f"/api/v1/entities/{rid}/releases", "us.dea.sod",
                      json={"to": "agency:mx.fgr", "basis": "mx-us-2024"})
    assert onward.status_code in (403, 422), onward.text
    given = api.post(f"/api/v1/entities/{rid}/consents", "mx.semar.uie",
                     json={"to_agency": "us.dea"})
    assert given.status_code == 201, given.text
    assert api.delete(f"/api/v1/consents/{given.json()['id']}", "mx.semar.uie").status_code == 204

    recalled = api.delete(f"/api/v1/entities/{rid}/releases", "mx.semar.uie")
    assert recalled.status_code == 200 and recalled.json()["revoked"] == [made.json()["id"]]
    assert api.get(f"/api/v1/entities/{rid}", "us.dea.sod").status_code == 404
