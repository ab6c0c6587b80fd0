"""Deconfliction over the API: register, check, list, withdraw; bad selectors are 422."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from apiworld import Api, build_api

from tearline.api.routes.deconflict import CheckOut
from tearline.deconflict import group, threshold
from tearline.federation.identity import init_node
from tearline.store import deconflict_keys

PHONE = {"kind": "phone", "value": "+52 667 123 4567"}
SAME = {"kind": "phone", "value": "(667) 123-4567", "country": "MX"}


@pytest.fixture
def api(db_url: str, tmp_path: Path) -> Iterator[Api]:
    made = build_api(db_url)
    with made.store.transaction() as conn:
        deconflict_keys.install_share(conn, "ab" * 16, threshold.split(
            group.random_scalar(), 1, 1)[0], datetime.now(UTC), "test")
    init_node(tmp_path / "keys", "us.dea", "us.dea.sod")
    made.app.state.deconflict_keys = tmp_path / "keys"
    yield made
    made.close()
    made.store.close()


def test_register_check_list_withdraw(api: Api) -> None:
    made = api.post("/api/v1/deconflict/registrations", as_="us.dea.sod",
                    json={"selectors": [PHONE], "contact": "SOD duty desk"})
    assert made.status_code == 201, made.text
    (registration,) = made.json()["registered"]
    flow = api.app.state.deconfliction  # one per app: keys loaded, peers' clients opened once
    checked = api.post("/api/v1/deconflict/checks", as_="mx.semar.uie",
                       json={"selectors": [SAME, {"kind": "imo", "value": "9074729"}]})
    assert checked.status_code == 200, checked.text
    results = checked.json()["results"]
    for answer in (made, checked):  # the answers are CheckOut's, exactly
        assert answer.headers["content-type"] == "application/json"
        assert CheckOut.model_validate_json(answer.content).model_dump() == answer.json()
    assert [r["overlap"] for r in results] == [True, False]
    assert results[0]["hits"][0] == {"registration_id": registration, "agency": "us.dea",
                                     "unit": "us.dea.sod", "contact": "SOD duty desk",
                                     "since": results[0]["hits"][0]["since"], "kind": "phone"}
    seen = api.get("/api/v1/deconflict/events", as_="us.dea.sod").json()
    assert [(e["event"], e["registration_id"]) for e in seen] == [
        ("registered", registration), ("hit", registration)]
    assert seen[1]["checker_unit"] == "mx.semar.uie" and seen[1]["agreement_id"] == "mx-us-2024"
    # another unit cannot withdraw it, and learns nothing from trying
    assert api.delete(f"/api/v1/deconflict/registrations/{registration}",
                      as_="mx.semar.uie").status_code == 404
    assert api.delete(f"/api/v1/deconflict/registrations/{registration}",
                      as_="us.dea.sod").status_code == 204
    again = api.post("/api/v1/deconflict/checks", as_="mx.semar.uie", json={"selectors": [SAME]})
    assert again.json()["results"][0]["overlap"] is False
    assert api.app.state.deconfliction is flow


def test_an_agency_without_agreement_sees_no_overlap(api: Api) -> None:
    api.post("/api/v1/deconflict/registrations", as_="us.dea.sod",
             json={"selectors": [PHONE], "contact": "SOD duty desk"})
    checked = api.post("/api/v1/deconflict/checks", as_="mx.fgr.seido",
                       json={"selectors": [PHONE]})
    assert checked.status_code == 200 and checked.json()["results"][0]["overlap"] is False


@pytest.mark.parametrize("body", [
    {"selectors": [{"kind": "phone", "value": "667 123 4567"}]},
    {"selectors": [{"kind": "curp", "value": "HEGG560427MVZRRL05"}]},
    {"selectors": [{"kind": "phone", "value": "+52 667 123 4567", "extra": 1}]},
    {"selectors": []},
    {"selectors": [PHONE] * 1001},  # a batch goes as requests of at most 1,000
    {"operation": {"latitude": 24.8, "longitude": -107.4, "start": "2026-12-13T03:00:00Z",
                   "end": "2026-12-12T22:00:00Z"}},
])
def test_bad_input_is_422(api: Api, body: dict[str, object]) -> None:
    answer = api.post("/api/v1/deconflict/checks", as_="mx.semar.uie", json=body)
    assert answer.status_code == 422, answer.text


def test_a_node_without_a_key_share_answers_409(db_url: str, tmp_path: Path) -> None:
    made = build_api(db_url)
    try:
        init_node(tmp_path / "keys", "us.dea", "us.dea.sod")
        made.app.state.deconflict_keys = tmp_path / "keys"
        answer = made.post("/api/v1/deconflict/checks", as_="mx.semar.uie",
                           json={"selectors": [PHONE]})
        assert answer.status_code == 409 and answer.json()["error"]["code"] == "not_configured"
        made.app.state.deconflict_keys = tmp_path / "nowhere"
        answer = made.post("/api/v1/deconflict/checks", as_="mx.semar.uie",
                           json={"selectors": [PHONE]})
        assert answer.status_code == 409
    finally:
        made.close()
        made.store.close()
