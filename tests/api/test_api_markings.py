"""Markings and portions: read as the caller sees them, changed where the policy allows."""

from __future__ import annotations

from apiworld import Api

from tearline.store import audit_log

AMBER_DEA = {"tlp": "AMBER", "releasable_to": ["agency:us.dea"], "legal_basis": "mx-us-2024"}


def _kinds(api: Api, entity_id: str) -> list[str]:
    with api.store.reading() as conn:
        return [e.kind for e in audit_log.entries(conn, entity_id=entity_id, limit=10_000)]


def test_read_markings_through_the_tear_line(api: Api) -> None:
    owner = api.get("/api/v1/entities/rec-shared/marking", "mx.semar.uie")
    assert owner.status_code == 200, owner.text
    assert owner.json()["marking"]["tlp"] == "AMBER"
    assert [(p["prop"], p["marking"]["tlp"]) for p in owner.json()["portions"]] == [
        ("alias", "RED")]
    # The DEA unit sees the record's marking but not the RED portion, nor that it exists.
    dea = api.get("/api/v1/entities/rec-shared/marking", "us.dea.sod")
    assert dea.status_code == 200 and dea.json()["portions"] == []
    before = _kinds(api, "rec-shared").count("record.read")
    api.get("/api/v1/entities/rec-shared/marking", "reader")
    assert _kinds(api, "rec-shared").count("record.read") == before + 1  # an audited read
    hidden = api.get("/api/v1/entities/rec-secret/marking", "us.dea.sod")
    missing = api.get("/api/v1/entities/rec-nothing/marking", "us.dea.sod")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace("rec-secret", "X") == missing.text.replace("rec-nothing", "X")


def test_change_the_record_marking(api: Api) -> None:
    assert api.get("/api/v1/entities/rec-secret", "us.dea.sod").status_code == 404
    changed = api.put("/api/v1/entities/rec-secret/marking", "mx.semar.uie", json=AMBER_DEA)
    assert changed.status_code == 200, changed.text
    assert changed.json()["prop"] is None and changed.json()["statements"] == []
    assert changed.json()["marking"]["releasable_to"] == ["agency:us.dea"]
    assert "marking.changed" in _kinds(api, "rec-secret")
    # Now released to the DEA; the write scope alone does not let it change the marking.
    assert api.get("/api/v1/entities/rec-secret", "us.dea.sod").status_code == 200
    denied = api.put("/api/v1/entities/rec-secret/marking", "us.dea.sod",
                     json={"tlp": "GREEN"})
    assert denied.status_code == 403 and denied.json()["error"]["details"]["reasons"]
    assert api.put("/api/v1/entities/rec-secret/marking", "reader",
                   json={"tlp": "GREEN"}).status_code == 403
    bad = api.put("/api/v1/entities/rec-secret/marking", "mx.semar.uie", json={"tlp": "PURPLE"})
    assert bad.status_code == 422


def test_change_a_portion(api: Api) -> None:
    narrower = {"tlp": "RED", "releasable_to": ["unit:mx.semar.uie"]}
    made = api.put("/api/v1/entities/rec-shared/portions/birthDate", "mx.semar.uie",
                   json=narrower)
    assert made.status_code == 200, made.text
    assert made.json()["prop"] == "birthDate" and len(made.json()["statements"]) == 1
    dea = api.get("/api/v1/entities/rec-shared", "us.dea.sod").json()
    assert "birthDate" not in dea["properties"]
    # A portion may only narrow its record: CLEAR is wider than AMBER.
    wider = api.put("/api/v1/entities/rec-shared/portions/name", "mx.semar.uie",
                    json={"tlp": "CLEAR"})
    assert wider.status_code == 422 and wider.json()["error"]["code"] == "bad_marking"
    # A portion the DEA cannot see (alias) answers as one that does not exist (nationality).
    unseen = api.put("/api/v1/entities/rec-shared/portions/alias", "us.dea.sod", json=narrower)
    absent = api.put("/api/v1/entities/rec-shared/portions/weight", "us.dea.sod", json=narrower)
    assert unseen.status_code == absent.status_code == 422
    assert unseen.text.replace("alias", "X") == absent.text.replace("weight", "X")
    assert api.put("/api/v1/entities/rec-shared/portions/no-such", "mx.semar.uie",
                   json=narrower).status_code == 422
