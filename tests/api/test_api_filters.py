"""Filters and ranking through the API: ``GET /entities`` and ``GET /search`` narrowed
inside the policy's query, bad filter values refused (422), search results best first
and paged across ranks with the cursor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from apiworld import SEEN, Api

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance

SEMAR = Provenance("mx.semar", "mx.semar.uie", SEEN)
SHARED = Marking.build("AMBER", ["agency:us.dea"], legal_basis="mx-us-2024")
RED_UIE = Marking.build("RED", ["unit:mx.semar.uie"])


@pytest.fixture
def seizures(api: Api) -> Api:
    """Two SEMAR seizures shared with the DEA; the second's origin is RED for SEMAR's
    intelligence unit alone."""
    api.store.write([
        build_record("sz-1", "Seizure", {"drug": ["fentanilo"], "date": ["2025-03-02"],
                                         "originCountry": ["mx"]}, SEMAR, SHARED,
                     keyer=TEST_KEYER),
        build_record("sz-2", "Seizure", {"drug": ["cocaine"], "date": ["2025-04-10"],
                                         "originCountry": ["co"]}, SEMAR, SHARED,
                     {"originCountry": RED_UIE}, keyer=TEST_KEYER),
        build_record("pr-garcia", "Person", {"name": ["García"]}, SEMAR, SHARED,
                     keyer=TEST_KEYER),
        build_record("pr-garciaparra", "Person", {"name": ["Nomar Garciaparra"]}, SEMAR,
                     SHARED, keyer=TEST_KEYER),
    ])
    return api


def ids(api: Api, path: str, who: str = "us.dea.sod", **params: object) -> list[str]:
    answer = api.get(path, who, params=params)
    assert answer.status_code == 200, answer.text
    return [r["id"] for r in answer.json()["items"]]


def test_list_filters(seizures: Api) -> None:
    api = seizures
    assert ids(api, "/api/v1/entities", drug="fentanyl") == ["sz-1"]
    assert ids(api, "/api/v1/entities", drug="Fentanilo", country="MX") == ["sz-1"]
    # the origin of sz-2 is hidden from the DEA: it matches no country for it
    assert ids(api, "/api/v1/entities", country="co") == []
    assert ids(api, "/api/v1/entities", "mx.semar.uie", country="co") == ["sz-2"]
    assert ids(api, "/api/v1/entities", date_from="2025-04-01") == ["sz-2"]
    assert ids(api, "/api/v1/entities", date_to="2025-03-31", schema="Seizure") == ["sz-1"]
    assert ids(api, "/api/v1/entities", originator="us.dea") == ["rec-dea"]
    assert ids(api, "/api/v1/entities", tlp="GREEN") == ["rec-public"]
    assert ids(api, "/api/v1/entities", "mx.semar.uie", tlp="RED") == ["rec-secret"]
    assert ids(api, "/api/v1/entities", "mx.semar.uie", tlp="amber_strict") == []
    later = datetime.now(UTC).isoformat()
    assert ids(api, "/api/v1/entities", modified_since=later) == []
    assert len(ids(api, "/api/v1/entities", modified_since=SEEN.isoformat())) == 7


def test_filters_page_with_their_cursor(seizures: Api) -> None:
    api = seizures
    first = api.get("/api/v1/entities", "us.dea.sod",
                    params={"originator": "mx.semar", "limit": 2}).json()
    rest = api.get("/api/v1/entities", "us.dea.sod", params={
        "originator": "mx.semar", "limit": 2, "cursor": first["next_cursor"]}).json()
    got = [r["id"] for r in first["items"] + rest["items"]]
    assert got[:4] == ["pr-garcia", "pr-garciaparra", "rec-public", "rec-shared"]
    # the cursor is bound to the filters
    other = api.get("/api/v1/entities", "us.dea.sod", params={
        "originator": "us.dea", "limit": 2, "cursor": first["next_cursor"]})
    assert other.status_code == 422


@pytest.mark.parametrize("params, column", [
    ({"drug": "aspirin"}, "query.drug"),
    ({"country": "narnia"}, "query.country"),
    ({"tlp": "PURPLE"}, "query.tlp"),
    ({"date_from": "2025-05-01", "date_to": "2025-04-01"}, "query.date_from"),
    ({"date_from": "yesterday"}, "query.date_from"),
    ({"modified_since": "2025-01-01T00:00:00"}, "query.modified_since"),  # no time zone
    ({"originator": "US DEA"}, "query.originator"),
])
def test_bad_filter_values_are_refused(api: Api, params: dict[str, str], column: str) -> None:
    for path, extra in (("/api/v1/entities", {}), ("/api/v1/search", {"q": "garcia"})):
        answer = api.get(path, "us.dea.sod", params={**extra, **params})
        assert answer.status_code == 422, answer.text
        problems = answer.json()["error"]["details"]["problems"]
        assert [p["column"] for p in problems] == [column]


def test_search_is_ranked_and_filtered(seizures: Api) -> None:
    api = seizures
    # the exact name first, then whole words by id, then a prefix
    order = ["pr-garcia", "rec-dea", "rec-public", "rec-shared", "pr-garciaparra"]
    assert ids(api, "/api/v1/search", q="garcia") == order
    paged, cursor = [], None
    while True:
        params: dict[str, object] = {"q": "garcia", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = api.get("/api/v1/search", "us.dea.sod", params=params).json()
        paged += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == order
    assert ids(api, "/api/v1/search", q="garcia", originator="us.dea") == ["rec-dea"]
    assert ids(api, "/api/v1/search", q="garcia", schema="Person", tlp="GREEN") == [
        "rec-public"]


def test_search_facets_are_the_searchs_on_every_page(seizures: Api) -> None:
    api = seizures
    plain = api.get("/api/v1/search", "us.dea.sod", params={"q": "garcia"}).json()
    assert "facets" not in plain  # opt-in: the results-only answer is unchanged
    paged, cursor, seen = [], None, []
    while True:
        params: dict[str, object] = {"q": "garcia", "limit": 2, "facets": "true"}
        if cursor:
            params["cursor"] = cursor
        page = api.get("/api/v1/search", "us.dea.sod", params=params).json()
        paged += page["items"]
        seen.append(page["facets"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == plain["items"]
    assert all(f == seen[0] for f in seen)
    counts = seen[0]["counts"]
    assert (seen[0]["matched"], seen[0]["complete"]) == (5, True)
    assert counts["schema"] == [{"value": "Person", "count": 4},
                                {"value": "Organization", "count": 1}]
    assert counts["originator"] == [{"value": "mx.semar", "count": 4},
                                    {"value": "us.dea", "count": 1}]
    # rec-secret (RED for SEMAR's intelligence unit) counts for that unit only
    uie = api.get("/api/v1/search", "mx.semar.uie",
                  params={"q": "garcia", "facets": "true"}).json()["facets"]
    assert uie["matched"] == 6 and {"value": "RED", "count": 1} in uie["counts"]["marking"]
    assert "RED" not in {v["value"] for v in counts["marking"]}
    narrowed = api.get("/api/v1/search", "us.dea.sod", params={
        "q": "garcia", "facets": "true", "originator": "us.dea"}).json()["facets"]
    assert narrowed["counts"]["originator"] == [{"value": "us.dea", "count": 1}]
    bad = api.get("/api/v1/search", "us.dea.sod", params={"q": "garcia", "facets": "maybe"})
    assert bad.status_code == 422
    spec = api.get("/api/v1/openapi.json").json()
    search = spec["paths"]["/api/v1/search"]["get"]
    assert "facets" in {p["name"] for p in search["parameters"]}
    assert "FacetsOut" in spec["components"]["schemas"]
