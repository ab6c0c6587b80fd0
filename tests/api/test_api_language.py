"""The API's error ``message`` in the language the client asks for (``Accept-Language``),
said in ``Content-Language``; the code and details never change with the language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from apiworld import Api, build_api


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    path: Path = tmp_path_factory.mktemp("language") / "tearline.sqlite"
    made = build_api(f"sqlite:///{path}")
    yield made
    made.close()
    made.store.close()


SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


def test_a_missing_route_answers_in_spanish_when_asked(api: Api) -> None:
    english = api.get("/api/v1/nowhere")
    spanish = api.get("/api/v1/nowhere", headers=SPANISH)
    assert english.json()["error"]["message"] == "no such resource"
    assert english.headers["content-language"] == "en-US"
    assert spanish.status_code == english.status_code == 404
    assert spanish.json()["error"] == {"code": "not_found", "message": "no existe ese recurso",
                                       "details": {}}
    assert spanish.headers["content-language"] == "es-MX"


def test_a_missing_record_says_which_in_spanish(api: Api) -> None:
    answer = api.get("/api/v1/entities/us.dea.sod..nobody", "mx.semar.uie", headers=SPANISH)
    assert answer.status_code == 404, answer.text
    assert answer.json()["error"]["message"] == "no existe el registro 'us.dea.sod..nobody'"


def test_problems_are_translated_one_by_one(api: Api) -> None:
    answer = api.get("/api/v1/reports/assessment?origin=mex&origin=1", "mx.semar.uie",
                     headers={"Accept-Language": "es"})
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["message"].splitlines() == [
        "los orígenes son códigos ISO 3166 alfa-2",
        "  - origin: no es un código de país: 'mex'",
        "  - origin: no es un código de país: '1'"]
    assert [p["message"] for p in error["details"]["problems"]] == [
        "not a country code: 'mex'", "not a country code: '1'"]  # details: data, not prose


def test_an_unknown_or_unweighted_language_falls_back_to_english(api: Api) -> None:
    for header in ("fr-FR", "es;q=0, de", "*"):
        answer = api.get("/api/v1/nowhere", headers={"Accept-Language": header})
        assert answer.json()["error"]["message"] == "no such resource", header
        assert answer.headers["content-language"] == "en-US"


def test_the_refusal_of_a_token_is_the_same_sentence_in_either_language(api: Api) -> None:
    answer = api.get("/api/v1/stats", headers={**SPANISH, "Authorization": "Bearer nope"})
    assert answer.status_code == 401
    assert answer.json()["error"]["message"] == "token de la API ausente o inválido"


def test_the_report_speaks_the_asked_language(api: Api) -> None:
    url = "/api/v1/reports/assessment?drug=fentanyl&format=html"
    by_header = api.get(url, "mx.semar.uie", headers=SPANISH)
    assert by_header.status_code == 200, by_header.text
    assert by_header.headers["content-language"] == "es-MX"
    assert '<html lang="es-MX">' in by_header.text and "Metodología" in by_header.text
    by_parameter = api.get(url + "&lang=en-US", "mx.semar.uie", headers=SPANISH)
    assert by_parameter.headers["content-language"] == "en-US"
    assert "Methodology" in by_parameter.text


def test_a_release_denial_is_said_whole_in_spanish(api: Api) -> None:
    body = {"schema": "Person", "properties": {"name": ["Amado Carrillo Fuentes"]},
            "marking": {"tlp": "AMBER", "orcon": True}}
    rid = api.post("/api/v1/entities", "mx.semar.uie", json=body).json()["id"]
    made = api.post(f"/api/v1/entities/{rid}/releases", "mx.semar.uie",
                    json={"to": "agency:us.dea", "basis": "mx-us-2024"})
    assert made.status_code == 201, made.text
    onward = {"to": "agency:mx.fgr", "basis": "mx-us-2024"}
    spanish = api.post(f"/api/v1/entities/{rid}/releases", "us.dea.sod", json=onward,
                       headers=SPANISH)
    english = api.post(f"/api/v1/entities/{rid}/releases", "us.dea.sod", json=onward)
    assert spanish.status_code == english.status_code == 403, spanish.text
    assert spanish.json()["error"]["message"] == (
        f"usted no puede difundir {rid} a agency:mx.fgr: ORCON: la redifusión requiere un "
        "consentimiento registrado de la agencia de origen mx.semar")
    assert english.json()["error"]["message"] == (
        f"you may not release {rid} to agency:mx.fgr: ORCON: onward release needs a "
        "recorded consent of the originating agency mx.semar")
    assert spanish.json()["error"]["details"] == english.json()["error"]["details"]
