"""Two-person approval over the API: requested, refused to its requester, approved by a
second officer, listed; other agencies find nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apiworld import ALL, Api

from tearline.api.auth import issue_token
from tearline.model.parties import Analyst
from tearline.store import parties, release_approvals

TO_DEA = {"to": "unit:us.dea.sod", "basis": "mx-us-2024"}


def test_a_release_waits_for_a_second_officer(api: Api) -> None:
    with api.store.transaction() as conn:
        parties.put_analyst(conn, Analyst("luz@mx.semar.uie", "mx.semar.uie", "Luz Díaz"),
                            datetime.now(UTC))
        release_approvals.set_required(conn, "mx-us-2024", True, "system", datetime.now(UTC))
    api.tokens["bob"], _ = issue_token(api.store, "bob@us.dea.sod", ALL, timedelta(days=1),
                                       "test", "test")
    api.tokens["luz"], _ = issue_token(api.store, "luz@mx.semar.uie", ALL, timedelta(days=1),
                                       "test", "test")
    ana = "ana@mx.semar.uie"
    direct = api.post("/api/v1/entities/rec-public/releases", ana, json=TO_DEA)
    assert direct.status_code == 403 and "second officer" in direct.text
    asked = api.post("/api/v1/entities/rec-public/release-requests", ana, json=TO_DEA)
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["id"]
    assert asked.json()["state"] == "pending"
    hidden = api.post("/api/v1/entities/rec-dea-none/release-requests", ana, json=TO_DEA)
    assert hidden.status_code == 404, hidden.text
    own = api.post(f"/api/v1/release-requests/{request_id}/approval", ana)
    assert own.status_code == 403
    other = api.post(f"/api/v1/release-requests/{request_id}/approval", "bob")
    assert other.status_code == 404  # another agency's request answers as a missing one
    unit = api.post(f"/api/v1/release-requests/{request_id}/approval", "mx.semar.uie")
    assert unit.status_code == 422  # officers approve, not a unit's token
    done = api.post(f"/api/v1/release-requests/{request_id}/approval", "luz")
    assert done.status_code == 201, done.text
    again = api.post(f"/api/v1/release-requests/{request_id}/approval", "luz")
    assert again.status_code == 409
    (listed,) = api.get("/api/v1/release-requests", "luz").json()
    assert (listed["state"], listed["approved_by"], listed["release_id"]) == (
        "approved", "luz@mx.semar.uie", done.json()["release_id"])
    assert api.get("/api/v1/release-requests", "bob").json() == []
