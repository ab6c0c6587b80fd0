"""Consent requests over the API: asked by the DEA of SEMAR's ORCON record, answered by the
originating unit, listed by the two units only; a hidden record answers as a missing one."""

from __future__ import annotations

from apiworld import Api

ORCON = {"schema": "Person", "marking": {"tlp": "AMBER", "releasable_to": ["agency:us.dea"],
                                         "orcon": True, "legal_basis": "mx-us-2024"},
         "properties": {"name": ["Consentido Ortiz"]}}
ASK = {"to": "agency:mx.fgr", "reason": "a prosecution in Mexico"}


def test_a_consent_asked_and_answered_over_the_api(api: Api) -> None:
    made = api.post("/api/v1/entities", "mx.semar.uie", json=ORCON)
    assert made.status_code == 201, made.text
    entity = made.json()["id"]
    hidden = api.post("/api/v1/entities/rec-secret/consent-requests", "us.dea.sod", json=ASK)
    never = api.post("/api/v1/entities/never-made/consent-requests", "us.dea.sod", json=ASK)
    assert hidden.status_code == never.status_code == 404
    assert hidden.json()["error"]["message"].replace("rec-secret", "X") == never.json()["error"][
        "message"].replace("never-made", "X")
    bad = api.post(f"/api/v1/entities/{entity}/consent-requests", "us.dea.sod",
                   json={**ASK, "reason": ""})
    assert bad.status_code == 422, bad.text
    for planted in ("a\x00b", "a\u202eb"):  # stored by no database faithfully; misleads
        refused_text = api.post(f"/api/v1/entities/{entity}/consent-requests", "us.dea.sod",
                                json={**ASK, "reason": planted})
        assert refused_text.status_code == 422, refused_text.text
    nothing = api.post("/api/v1/entities/rec-shared/consent-requests", "us.dea.sod", json=ASK)
    assert nothing.status_code == 422 and "nothing of rec-shared" in nothing.text
    asked = api.post(f"/api/v1/entities/{entity}/consent-requests", "us.dea.sod", json=ASK)
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert (request["state"], request["to_unit"], request["properties"]) == (
        "pending", "mx.semar.uie", ["name"])
    again = api.post(f"/api/v1/entities/{entity}/consent-requests", "us.dea.sod", json=ASK)
    assert again.status_code == 409, again.text
    (received,) = api.get("/api/v1/consent-requests", "mx.semar.uie").json()
    assert (received["id"], received["direction"], received["reason"]) == (
        request["id"], "received", "a prosecution in Mexico")
    assert api.get("/api/v1/consent-requests", "mx.fgr.seido").json() == []
    answer = f"/api/v1/consent-requests/{request['id']}/answer"
    assert api.post(answer, "mx.fgr.seido", json={"answer": "grant"}).status_code == 404
    assert api.post(answer, "us.dea.sod", json={"answer": "grant"}).status_code == 404
    refused = api.post(answer, "mx.semar.uie", json={"answer": "refuse"})
    assert refused.status_code == 422, refused.text  # a refusal says why
    nul = api.post(answer, "mx.semar.uie", json={"answer": "refuse", "reason": "no\x00"})
    assert nul.status_code == 422, nul.text
    granted = api.post(answer, "mx.semar.uie", json={"answer": "grant"})
    assert granted.status_code == 200, granted.text
    assert granted.json()["state"] == "granted" and granted.json()["consent_id"]
    assert api.post(answer, "mx.semar.uie", json={"answer": "grant"}).status_code == 409
    (sent,) = api.get("/api/v1/consent-requests", "us.dea.sod").json()
    assert (sent["direction"], sent["state"], sent["consent_id"]) == (
        "sent", "granted", granted.json()["consent_id"])
    assert api.post("/api/v1/consent-requests/rr-1/answer", "mx.semar.uie",
                    json={"answer": "grant"}).status_code == 422
