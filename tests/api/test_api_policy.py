"""``GET /policy/explain/{id}``: the administrators' view of the policy, through the API."""

from __future__ import annotations

from datetime import datetime

from apiworld import Api

from tearline.store import audit_log
from tearline.store.explain import explain_record


def _reads_by(api: Api, actor: str, entity_id: str) -> list[dict[str, object]]:
    with api.store.reading() as conn:
        entries = audit_log.entries(conn, entity_id=entity_id, actors=[actor], limit=10_000)
    return [e.event().to_json() for e in entries if e.kind == "record.read"]


def test_explain_shows_every_statement_and_why(api: Api) -> None:
    answer = api.get("/api/v1/policy/explain/rec-shared?as=us.dea.sod", "mx.semar.uie")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["entity_id"] == "rec-shared" and body["schema"] == "Person"
    assert body["subject"] == "unit:us.dea.sod"
    assert body["record"]["visible"] is True
    seen = {s["prop"]: s["decision"]["visible"] for s in body["statements"]}
    # The RED alias is the one statement the DEA unit may not see; every reason is given.
    assert seen == {"name": True, "birthDate": True, "alias": False}
    alias = next(s for s in body["statements"] if s["prop"] == "alias")
    assert alias["marking"]["tlp"] == "RED" and alias["decision"]["reasons"]
    assert alias["value"] == "El Contador"

    # The answer is the core's, statement by statement.
    with api.store.transaction() as conn:
        core = explain_record(conn, api.store.subject("us.dea.sod"), "rec-shared",
                              datetime.fromisoformat(body["at"]))
    assert [(s.prop, s.decision.allowed, list(s.decision.reasons)) for s in core.statements] == [
        (s["prop"], s["decision"]["visible"], s["decision"]["reasons"]) for s in body["statements"]]


def test_explain_defaults_to_the_caller_and_takes_a_time(api: Api) -> None:
    mine = api.get("/api/v1/policy/explain/rec-secret", "mx.fgr.seido").json()
    assert mine["subject"] == "unit:mx.fgr.seido"
    assert mine["record"]["visible"] is False
    assert all(not s["decision"]["visible"] for s in mine["statements"])
    analyst = api.get("/api/v1/policy/explain/rec-secret?as=ana@mx.semar.uie", "mx.fgr.seido")
    assert analyst.json()["subject"] == "analyst:ana@mx.semar.uie"
    assert analyst.json()["record"]["visible"] is True
    then = api.get("/api/v1/policy/explain/rec-public?at=2020-01-01T00:00:00%2B02:00",
                   "mx.fgr.seido")
    assert then.status_code == 200 and then.json()["at"].startswith("2019-12-31T22:00")
    naive = api.get("/api/v1/policy/explain/rec-public?at=2020-01-01T00:00:00", "mx.fgr.seido")
    assert naive.status_code == 422


def test_explain_is_for_administrators_and_audited(api: Api) -> None:
    # A read-only token may not ask, whether or not the record exists.
    for rid in ("rec-secret", "rec-nothing"):
        refused = api.get(f"/api/v1/policy/explain/{rid}", "reader")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "denied"
    assert _reads_by(api, "unit:us.dea.sod", "rec-secret") == []
    assert api.get("/api/v1/policy/explain/rec-nothing", "mx.semar.uie").status_code == 404
    assert api.get("/api/v1/policy/explain/rec-public?as=nobody", "mx.semar.uie"
                   ).status_code == 422
    assert api.get("/api/v1/policy/explain/rec-public?as=x@mx.semar.uie", "mx.semar.uie"
                   ).status_code == 404

    # The administrator who asked is on record as having read every statement.
    assert api.get("/api/v1/policy/explain/rec-secret?as=us.dea.sod", "mx.fgr.seido"
                   ).status_code == 200
    reads = _reads_by(api, "unit:mx.fgr.seido", "rec-secret")
    assert len(reads) == 1 and reads[0]["path"] == "api"
    assert len(reads[0]["statement_ids"]) == 2  # type: ignore[arg-type]
