"""What a request may ask: undeclared query parameters and unknown schemata are refused
(422, the one envelope), and ``/docs`` leads to the documentation."""

from __future__ import annotations

import pytest
from apiworld import Api

READS = ("/api/v1/entities", "/api/v1/search?q=garcia", "/api/v1/stats", "/api/v1/whoami",
         "/api/v1/audit/log", "/api/v1/entities/rec-public", "/api/v1/health",
         "/api/v1/ready")


@pytest.mark.parametrize("path", READS)
def test_an_undeclared_query_parameter_is_refused(api: Api, path: str) -> None:
    sep = "&" if "?" in path else "?"
    answer = api.get(f"{path}{sep}shcema=Person", "us.dea.sod")
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "validation_failed"
    assert error["message"].startswith("unknown query parameter")
    (problem,) = error["details"]["problems"]
    assert problem["column"] == "query.shcema"
    # without the stray parameter the same request is answered
    assert api.get(path, "us.dea.sod").status_code == 200


def test_declared_parameters_pass_and_every_unknown_one_is_named(api: Api) -> None:
    ok = api.get("/api/v1/entities?schema=Person&limit=1", "us.dea.sod")
    assert ok.status_code == 200
    answer = api.get("/api/v1/search?q=garcia&drugs=x&Limit=2", "us.dea.sod")
    assert answer.status_code == 422
    columns = [p["column"] for p in answer.json()["error"]["details"]["problems"]]
    assert columns == ["query.Limit", "query.drugs"]


def test_no_token_is_refused_before_the_query_is_looked_at(api: Api) -> None:
    assert api.get("/api/v1/entities?nonsense=1").status_code == 401


@pytest.mark.parametrize("path", ("/api/v1/entities?schema=Persn",
                                  "/api/v1/search?q=garcia&schema=Persn"))
def test_an_unknown_schema_is_refused_with_a_hint(api: Api, path: str) -> None:
    answer = api.get(path, "us.dea.sod")
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["error"]["details"]["problems"]
    assert problem["column"] == "query.schema"
    assert "unknown schema; did you mean Person?" in problem["message"]
    assert "Persn" not in answer.text  # input is not echoed back
    assert api.get("/api/v1/entities?schema=Vessel", "us.dea.sod").status_code == 200


def test_docs_redirects_to_the_api_documentation(api: Api) -> None:
    answer = api.get("/docs")
    assert answer.status_code == 308
    assert answer.headers["location"] == "/api/v1/docs"
    assert api.get(answer.headers["location"]).status_code == 200
