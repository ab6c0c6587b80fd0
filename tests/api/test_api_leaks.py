"""A unit that may not see a record gets nothing about it through the API.

Two worlds are built: one with a RED record and a RED portion that ``us.dea.sod``
may not see, one where they never existed. Every data-returning operation is asked
the same questions by ``us.dea.sod`` in both; the answers must be identical in status,
headers and body — cursors compared by what they seal, since each carries a random nonce.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from apiworld import Api, build_api, fresh_url

from tearline.store.filters import Filters

VIEWER = "us.dea.sod"
QUESTIONS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/entities/rec-secret", None),
    ("GET", "/api/v1/entities/rec-shared", None),
    ("GET", "/api/v1/entities", None),
    ("GET", "/api/v1/entities?limit=1", None),
    ("GET", "/api/v1/entities?limit=2", None),
    ("GET", "/api/v1/entities?schema=Person", None),
    ("GET", "/api/v1/search?q=garcia", None),
    ("GET", "/api/v1/search?q=garcia&limit=2", None),
    ("GET", "/api/v1/search?q=zambrano", None),
    ("GET", "/api/v1/search?q=contador", None),
    ("GET", "/api/v1/search?q=ZAGO610927HSLLYR00", None),
    ("GET", "/api/v1/search?q=octavio&schema=Person", None),
    ("GET", "/api/v1/stats", None),
    ("GET", "/api/v1/entities?tlp=RED", None),
    ("GET", "/api/v1/entities?originator=mx.semar", None),
    ("GET", "/api/v1/entities?country=mx", None),
    ("GET", "/api/v1/entities?date_from=1961-01-01&date_to=1961-12-31", None),
    ("GET", "/api/v1/entities?modified_since=2026-01-15T12:00:00Z", None),
    ("GET", "/api/v1/search?q=garcia&tlp=AMBER", None),
    ("POST", "/api/v1/entities/rec-secret/statements", {"properties": {"alias": ["x"]}}),
    ("DELETE", "/api/v1/entities/rec-secret", None),
    ("GET", "/api/v1/entities/rec-secret/marking", None),
    ("GET", "/api/v1/entities/rec-shared/marking", None),
    ("PUT", "/api/v1/entities/rec-secret/marking", {"tlp": "GREEN"}),
    ("PUT", "/api/v1/entities/rec-shared/marking", {"tlp": "GREEN"}),
    ("PUT", "/api/v1/entities/rec-shared/portions/alias", {"tlp": "RED"}),
    ("PUT", "/api/v1/entities/rec-secret/portions/name", {"tlp": "RED"}),
    ("GET", "/api/v1/audit/log?entity=rec-secret", None),
    ("GET", "/api/v1/audit/log?entity=rec-shared", None),
    ("GET", "/api/v1/audit/log?actor=unit:mx.semar.uie", None),
    ("GET", "/api/v1/audit/log?limit=3", None),
    ("GET", "/api/v1/audit/log", None),
]
#: Administration explains the whole record by design (docs/api.md); a token without the
#: admin scope learns nothing, not even whether the record exists.
READER_QUESTIONS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/policy/explain/rec-secret", None),
    ("GET", "/api/v1/policy/explain/rec-secret?as=us.dea.sod", None),
    ("PUT", "/api/v1/entities/rec-secret/marking", {"tlp": "GREEN"}),
]


@pytest.fixture
def worlds(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Api]]:
    with_hidden = build_api(db_url, hidden=True)
    without = build_api(fresh_url(db_url, tmp_path_factory.mktemp("other")), hidden=False)
    # Same sealing key in both worlds, so cursors can be opened and compared.
    without.app.state.cursors = with_hidden.app.state.cursors
    yield with_hidden, without
    for api in (with_hidden, without):
        api.close()
        api.store.close()


def _log_entries(body: dict[str, Any]) -> dict[str, Any]:
    """Audit entries without what differs between two logs by construction.

    Indexes, times and leaf hashes are positions in each node's own log (whose size is
    public in its checkpoints), and search commitments are salted per node; kinds,
    actors, records, statement ids and order must agree, and whether a next page is
    offered (its cursor seals a place in the log).
    """
    entries = []
    for e in body["items"]:
        detail = {k: v for k, v in e["detail"].items() if k != "query_commitment"}
        entries.append({k: v for k, v in e.items() if k not in ("index", "at", "leaf_hash")}
                       | {"detail": detail})
    return {"items": entries, "next_cursor": body["next_cursor"] is not None}


def _comparable(api: Api, answer: httpx.Response, path: str) -> tuple[Any, ...]:
    headers = {k: v for k, v in answer.headers.items() if k not in ("date",)}
    body = answer.json()
    if path.startswith("/api/v1/audit/log") and answer.status_code == 200:
        headers.pop("content-length", None)
        return answer.status_code, headers, _log_entries(body)
    if isinstance(body, dict) and body.get("next_cursor"):
        op = "search" if "/search" in path else "list"
        params = httpx.URL(path).params
        unfiltered = Filters().as_query()
        query = (
            {"q": " ".join(params["q"].lower().split()), "schema": params.get("schema"),
             **unfiltered}
            if op == "search"
            else {"schema": params.get("schema"), **unfiltered}
        )
        body["next_cursor"] = api.app.state.cursors.open(body["next_cursor"], VIEWER, op, query)
        headers.pop("content-length", None)
    return answer.status_code, headers, body


def test_hidden_records_leave_no_trace(worlds: tuple[Api, Api]) -> None:
    with_hidden, without = worlds
    for method, path, body in QUESTIONS:
        kwargs = {"json": body} if body is not None else {}
        a = with_hidden.request(method, path, VIEWER, **kwargs)
        b = without.request(method, path, VIEWER, **kwargs)
        assert a.status_code < 500, (path, a.text)
        assert _comparable(with_hidden, a, path) == _comparable(without, b, path), path
        if path == "/api/v1/audit/log":
            # Not vacuous: the viewer's own reads above are there to compare.
            assert len(a.json()["items"]) > 10


def test_without_admin_scope_nothing_leaks(worlds: tuple[Api, Api]) -> None:
    with_hidden, without = worlds
    for method, path, body in READER_QUESTIONS:
        kwargs = {"json": body} if body is not None else {}
        a = with_hidden.request(method, path, "reader", **kwargs)
        b = without.request(method, path, "reader", **kwargs)
        assert a.status_code == 403, (path, a.text)
        assert _comparable(with_hidden, a, path) == _comparable(without, b, path), path


def test_hidden_answers_like_missing(api: Api) -> None:
    hidden = api.get("/api/v1/entities/rec-secret", VIEWER)
    missing = api.get("/api/v1/entities/rec-nothing", VIEWER)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["message"].replace("rec-secret", "X") == (
        missing.json()["error"]["message"].replace("rec-nothing", "X")
    )
    assert set(hidden.headers) == set(missing.headers)
    # The owner does see it: the 404 above is the policy, not a missing row.
    assert api.get("/api/v1/entities/rec-secret", "mx.semar.uie").status_code == 200
