"""Over the API, a marking's legal basis is an agreement in force binding the parties, and
text holding bidirectional controls is refused: create, amend, markings, parties."""

from __future__ import annotations

from typing import Any

import pytest
from apiworld import Api

#: In the world: ``mx-us-2024`` binds mx.semar and us.dea; mx.fgr is bound by none.
TO_DEA = {"tlp": "AMBER", "releasable_to": ["agency:us.dea"]}
TO_FGR = {"tlp": "AMBER", "releasable_to": ["agency:mx.fgr"], "legal_basis": "mx-us-2024"}
MADE_UP = {**TO_DEA, "legal_basis": "a-treaty-nobody-signed"}
RLO = "\u202e"


def person(marking: dict[str, Any], **portions: dict[str, Any]) -> dict[str, Any]:
    return {"schema": "Person", "properties": {"name": ["Ana Ruiz"], "notes": ["x"]},
            "marking": marking, "portions": portions}


def refused(answer: Any, *words: str) -> None:
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "bad_legal_basis", error
    text = " ".join(p["message"] for p in error["details"]["problems"])
    for word in words:
        assert word in text, (word, text)


def test_create_refuses_an_unknown_or_unbinding_basis(api: Api) -> None:
    refused(api.post("/api/v1/entities", "mx.semar.uie", json=person(MADE_UP)),
            "'a-treaty-nobody-signed' is not an agreement recorded on this node")
    refused(api.post("/api/v1/entities", "mx.semar.uie", json=person(TO_FGR)),
            "agreement 'mx-us-2024' does not bind mx.fgr, reached by agency:mx.fgr")
    refused(api.post("/api/v1/entities", "mx.fgr.seido",
                     json=person({**TO_DEA, "legal_basis": "mx-us-2024"})),
            "does not bind mx.fgr, the agency that cites it")
    portion = {"tlp": "RED", "releasable_to": ["unit:mx.semar.uie"], "legal_basis": "nope"}
    answer = api.post("/api/v1/entities", "mx.semar.uie", json=person(
        {"tlp": "AMBER"}, notes=portion))
    refused(answer, "legal basis 'nope'")
    assert answer.json()["error"]["details"]["problems"][0]["column"] == "portions.notes"
    made = api.post("/api/v1/entities", "mx.semar.uie",
                    json=person({**TO_DEA, "legal_basis": "mx-us-2024"}))
    assert made.status_code == 201, made.text


def test_amend_and_marking_routes_refuse_it_too(api: Api) -> None:
    refused(api.post("/api/v1/entities/rec-shared/statements", "mx.semar.uie",
                     json={"properties": {"notes": ["y"]}, "marking": MADE_UP}),
            "not an agreement recorded")
    refused(api.put("/api/v1/entities/rec-shared/marking", "mx.semar.uie", json=TO_FGR),
            "does not bind mx.fgr")
    refused(api.put("/api/v1/entities/rec-shared/portions/birthDate", "mx.semar.uie",
                    json={"tlp": "RED", "releasable_to": ["unit:us.dea.sod"],
                          "legal_basis": "nope"}),
            "legal basis 'nope'")
    ok = api.put("/api/v1/entities/rec-shared/marking", "mx.semar.uie",
                 json={**TO_DEA, "legal_basis": "mx-us-2024"})
    assert ok.status_code == 200, ok.text


def test_an_agreement_that_ended_is_no_basis(api: Api) -> None:
    ended = {"id": "mx-us-1990", "title": "Old", "kind": "bilateral",
             "parties": ["mx.semar", "us.dea"], "valid_from": "1990-01-01T00:00:00Z",
             "valid_until": "2000-01-01T00:00:00Z"}
    assert api.post("/api/v1/parties/agreements", "us.dea.sod", json=ended).status_code == 201
    refused(api.post("/api/v1/entities", "mx.semar.uie",
                     json=person({**TO_DEA, "legal_basis": "mx-us-1990"})),
            "agreement 'mx-us-1990' is not in force", "it ended 2000-01-01T00:00Z")


@pytest.mark.parametrize(("url", "body"), [
    ("/api/v1/entities", {"schema": "Person", "properties": {"name": [f"Ana {RLO}ziuR"]},
                          "marking": {"tlp": "GREEN"}}),
    ("/api/v1/entities/rec-public/statements", {"properties": {"alias": [f"El {RLO}x"]}}),
    ("/api/v1/parties/agencies", {"id": "co.dijin", "name": f"DIJIN{RLO}", "country": "co"}),
    ("/api/v1/parties/units", {"id": "mx.semar.x", "agency": "mx.semar", "name": f"X{RLO}"}),
    ("/api/v1/parties/agreements", {"id": "co-us-1", "title": f"CO{RLO}-US", "kind": "mlat",
                                    "parties": ["us.dea"]}),
])
def test_bidirectional_controls_are_refused_on_every_route(api: Api, url: str,
                                                           body: dict[str, Any]) -> None:
    answer = api.post(url, "mx.semar.uie", json=body)
    assert answer.status_code == 422, answer.text
    assert "U+202E" in answer.text
