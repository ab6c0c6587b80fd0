"""Assessment figures over the API: each unit's totals come only from what it may see."""

from __future__ import annotations

from typing import Any

from apiworld import Api


def seizure(kg: str, marking: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema": "Seizure",
        "properties": {"drug": ["fentanyl"], "grossWeight": [kg], "originCountry": ["mx"],
                       "date": ["2023-03-14"]},
        "marking": marking,
    }


SHARED = {"tlp": "AMBER", "releasable_to": ["agency:mx.semar"], "legal_basis": "mx-us-2024"}
OWN = {"tlp": "AMBER+STRICT"}


def total(body: dict[str, Any]) -> float:
    text = str(body)
    assert "fentanyl" in text
    return float(body["records"]["kg"])


def test_assessment_totals_follow_visibility(api: Api) -> None:
    for kg, marking in (("10", SHARED), ("5", OWN)):
        made = api.post("/api/v1/entities", "us.dea.sod", json=seizure(kg, marking))
        assert made.status_code == 201, made.text
    dea = api.get("/api/v1/reports/assessment?drug=fentanyl", "us.dea.sod")
    semar = api.get("/api/v1/reports/assessment?drug=fentanyl", "mx.semar.uie")
    assert dea.status_code == 200 and semar.status_code == 200, (dea.text, semar.text)
    assert total(dea.json()) == 15.0
    assert total(semar.json()) == 10.0


def test_assessment_rejects_bad_parameters(api: Api) -> None:
    bad = api.get("/api/v1/reports/assessment?origin=mexico", "us.dea.sod")
    assert bad.status_code == 422
    assert set(bad.json()) == {"error"}
