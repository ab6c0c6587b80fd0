"""Assessment figures over the API: each unit's totals come only from what it may see."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apiworld import Api

from hostile import hostile_strings
from tearline.reports.build import write_assessments


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


def test_hostile_text_from_the_lowest_trust_unit_breaks_no_units_assessment(
        api: Api, tmp_path: Path) -> None:
    """``mx.fgr.seido`` (in no agreement, vetted by nobody) writes CLEAR Seizures whose
    text is hostile; every unit still gets its assessment, over the API (JSON) and as
    the HTML and PDF documents built from the same store."""
    for text in hostile_strings():
        body = seizure("5", {"tlp": "CLEAR"})
        body["properties"].update({"region": [text], "portOfEntry": [text],
                                   "conveyance": [text], "concealment": [text]})
        made = api.post("/api/v1/entities", "mx.fgr.seido", json=body)
        assert made.status_code == 201, made.text
    units = ("us.dea.sod", "mx.semar.uie", "mx.fgr.seido")
    for unit in units:
        answer = api.get("/api/v1/reports/assessment?drug=fentanyl", unit)
        assert answer.status_code == 200, answer.text
        assert total(answer.json()) >= 5.0 * len(hostile_strings())
    written = write_assessments(api.store, units, tmp_path, datetime.now(UTC), None)
    assert len(written) == 2 * len(units) and all(p.stat().st_size for p in written)


def test_format_pdf_returns_the_pdf_and_html_the_document(api: Api) -> None:
    made = api.post("/api/v1/entities", "us.dea.sod", json=seizure("7", SHARED))
    assert made.status_code == 201, made.text
    pdf = api.get("/api/v1/reports/assessment?drug=fentanyl&format=pdf", "mx.semar.uie")
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    html = api.get("/api/v1/reports/assessment?drug=fentanyl&format=html", "mx.semar.uie")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "mx.semar.uie" in html.text and 'id="digest"' in html.text
    plain = api.get("/api/v1/reports/assessment?drug=fentanyl", "mx.semar.uie")
    assert plain.headers["content-type"] == "application/json"
    assert api.get("/api/v1/reports/assessment?format=docx", "mx.semar.uie").status_code == 422


def test_unknown_drug_and_future_period_are_422_not_a_report_of_zeros(api: Api) -> None:
    for query, column in (("drug=unobtanium", "drug"), ("period=FY2999", "period"),
                          ("period=2999-01..", "period")):
        answer = api.get(f"/api/v1/reports/assessment?{query}", "mx.semar.uie")
        assert answer.status_code == 422, (query, answer.text)
        assert column in answer.text
    spanish = api.get("/api/v1/reports/assessment?drug=Fentanilo", "mx.semar.uie")
    assert spanish.status_code == 200, spanish.text
    assert spanish.json()["parameters"]["drug"] == "fentanyl"
