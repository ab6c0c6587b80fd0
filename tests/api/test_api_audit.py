"""The audit log through the API: entries by the policy, checkpoints, proofs.

Proofs are checked with ``check_proof`` of ``tearline audit verify-proof`` and the
node's public key alone: the API's documents are the command line's.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from apiworld import ALL, Api
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tearline.api.auth import issue_token
from tearline.audit.checkpoint import verify_note
from tearline.cli.audit import check_proof
from tearline.store import audit_checkpoints, audit_log

ORIGIN = "test.example/tearline"
KEY = Ed25519PrivateKey.generate()


def _sign(api: Api) -> int:
    with api.store.transaction() as conn:
        note = audit_checkpoints.sign(conn, ORIGIN, KEY)
    return verify_note(note, ORIGIN, KEY.public_key()).size


def _entries(api: Api, **filters: object) -> list[audit_log.Entry]:
    with api.store.reading() as conn:
        return audit_log.entries(conn, limit=100_000, **filters)  # type: ignore[arg-type]


def test_log_is_read_through_the_policy(api: Api) -> None:
    assert api.get("/api/v1/entities/rec-shared", "us.dea.sod").status_code == 200
    # The originator sees who read its record ...
    semar = api.get("/api/v1/audit/log?entity=rec-shared", "mx.semar.uie")
    assert semar.status_code == 200, semar.text
    reads = [e for e in semar.json()["items"] if e["kind"] == "record.read"]
    assert [e["actor"] for e in reads] == ["unit:us.dea.sod"]
    assert reads[0]["detail"]["path"] == "api" and reads[0]["entity_id"] == "rec-shared"
    # ... the reader sees its own agency's entries only, a unit without the record nothing.
    dea = api.get("/api/v1/audit/log?entity=rec-shared", "us.dea.sod").json()["items"]
    assert {e["actor"] for e in dea} == {"unit:us.dea.sod"}
    assert api.get("/api/v1/audit/log?entity=rec-shared", "mx.fgr.seido").json()["items"] == []
    assert api.get("/api/v1/audit/log?entity=rec-secret", "us.dea.sod").json()["items"] == []
    # Filters and limits are the command line's.
    by_actor = api.get("/api/v1/audit/log?actor=unit:us.dea.sod&limit=2", "us.dea.sod").json()
    assert len(by_actor["items"]) == 2
    assert {e["actor"] for e in by_actor["items"]} == {"unit:us.dea.sod"}
    later = api.get("/api/v1/audit/log?since=2999-01-01T00:00:00Z", "mx.semar.uie").json()
    assert later["items"] == []
    assert api.get("/api/v1/audit/log?since=2020-01-01T00:00:00", "us.dea.sod"
                   ).status_code == 422  # no time zone
    assert api.get("/api/v1/audit/log?limit=100000", "us.dea.sod").status_code == 422
    # Each question is itself on record.
    asked = [e for e in _entries(api, actors=["unit:mx.fgr.seido"]) if e.kind == "audit.queried"]
    assert len(asked) == 1


def test_checkpoint(api: Api) -> None:
    none = api.get("/api/v1/audit/checkpoint", "us.dea.sod")
    assert none.status_code == 404 and none.json()["error"]["code"] == "not_found"
    size = _sign(api)
    answer = api.get("/api/v1/audit/checkpoint", "us.dea.sod")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    assert verify_note(answer.text, ORIGIN, KEY.public_key()).size == size
    assert api.get(f"/api/v1/audit/checkpoint?size={size}", "reader").text == answer.text
    assert api.get(f"/api/v1/audit/checkpoint?size={size + 1}", "reader").status_code == 404
    assert api.get("/api/v1/audit/checkpoint").status_code == 401
    # The checkpoint read is on record.
    assert [e.kind for e in _entries(api, actors=["unit:us.dea.sod"])][-1] == "audit.queried"


def test_inclusion_proofs_only_for_readable_entries(api: Api) -> None:
    assert api.get("/api/v1/entities/rec-shared", "us.dea.sod").status_code == 200
    size = _sign(api)
    mine = [e for e in _entries(api, entity_id="rec-shared") if e.actor == "unit:us.dea.sod"]
    index = mine[-1].index
    proof = api.get(f"/api/v1/audit/proofs/inclusion?index={index}", "us.dea.sod")
    assert proof.status_code == 200, proof.text
    doc = proof.json()
    assert doc["type"] == "inclusion" and doc["size"] == size
    assert f"entry {index} is in {ORIGIN} at size {size}" in check_proof(
        doc, ORIGIN, KEY.public_key())

    # The record's creation (by the originator) is not the DEA's to read; it answers as an
    # entry the published log does not hold.
    created = _entries(api, entity_id="rec-secret")[0].index
    hidden = api.get(f"/api/v1/audit/proofs/inclusion?index={created}", "us.dea.sod")
    beyond = api.get(f"/api/v1/audit/proofs/inclusion?index={size + 5}", "us.dea.sod")
    assert hidden.status_code == beyond.status_code == 404
    assert hidden.text.replace(str(created), "N") == beyond.text.replace(str(size + 5), "N")
    assert api.get(f"/api/v1/audit/proofs/inclusion?index={created}", "mx.semar.uie"
                   ).status_code == 200
    # At an older published size.
    assert api.get(f"/api/v1/audit/proofs/inclusion?index={index}&size={size - 1}",
                   "us.dea.sod").status_code == 404


def test_consistency_proofs(api: Api) -> None:
    old = _sign(api)
    api.get("/api/v1/entities/rec-public", "us.dea.sod")
    new = _sign(api)
    assert new > old
    proof = api.get(f"/api/v1/audit/proofs/consistency?old={old}", "reader")
    assert proof.status_code == 200, proof.text
    doc = proof.json()
    assert (doc["old_size"], doc["new_size"]) == (old, new)
    assert check_proof(doc, ORIGIN, KEY.public_key()) == (
        f"{ORIGIN} at size {new} extends size {old}")
    explicit = api.get(f"/api/v1/audit/proofs/consistency?old={old}&new={new}", "reader")
    assert explicit.json() == doc
    assert api.get(f"/api/v1/audit/proofs/consistency?old={old - 1}", "reader").status_code == 404
    assert api.get(f"/api/v1/audit/proofs/consistency?old={new}&new={old}", "reader"
                   ).status_code == 422


def _token(api: Api, owner: str) -> None:
    api.tokens[owner], _ = issue_token(api.store, owner, ALL, timedelta(days=1), "test", "test")


def _statement_ids(api: Api, entity: str, as_: str) -> dict[str, str]:
    answer = api.get(f"/api/v1/entities/{entity}", as_)
    assert answer.status_code == 200, answer.text
    return {s["id"]: s["prop"] for s in answer.json()["statements"]}


def test_a_sibling_unit_sees_no_id_of_a_portion_hidden_from_it(api: Api) -> None:
    """Finding 1 of issue #13: rec-shared's RED alias is mx.semar.uie's alone; the log
    shows mx.semar.log (same agency) nothing of it, and no hash that commits to it."""
    _token(api, "mx.semar.log")
    full = _statement_ids(api, "rec-shared", "mx.semar.uie")
    seen = _statement_ids(api, "rec-shared", "mx.semar.log")
    hidden = {sid for sid, prop in full.items() if prop == "alias"}
    assert hidden and not hidden & seen.keys()
    assert api.get("/api/v1/entities/rec-shared", "us.dea.sod").status_code == 200
    answer = api.get("/api/v1/audit/log?entity=rec-shared", "mx.semar.log")
    assert answer.status_code == 200, answer.text
    assert not any(h in answer.text for h in hidden)
    others = [e for e in answer.json()["items"] if e["actor"] != "unit:mx.semar.log"]
    assert [(e["kind"], e["actor"]) for e in others] == [
        ("record.created", "unit:mx.semar.uie"), ("record.read", "unit:mx.semar.uie"),
        ("record.read", "unit:us.dea.sod")]
    assert all(e["form"] == "reduced" and e["index"] is None and e["leaf_hash"] is None
               and "version" not in e["detail"] for e in others)
    # Nor is a proof of those entries given (it would carry the whole entry).
    size = _sign(api)
    created = _entries(api, entity_id="rec-shared")[0].index
    refused = api.get(f"/api/v1/audit/proofs/inclusion?index={created}", "mx.semar.log")
    beyond = api.get(f"/api/v1/audit/proofs/inclusion?index={size + 5}", "mx.semar.log")
    assert refused.status_code == beyond.status_code == 404
    assert refused.text.replace(str(created), "N") == beyond.text.replace(str(size + 5), "N")


def test_units_of_one_agency_see_nothing_of_each_other_activity(api: Api) -> None:
    """Finding 5 of issue #13: searches and figures stay with the unit that ran them."""
    _token(api, "mx.semar.log")
    for unit in ("ana@mx.semar.uie", "mx.semar.log"):
        assert api.get("/api/v1/search?q=Garcia", unit).status_code == 200
    commitments = [e.event().query_commitment  # type: ignore[attr-defined]
                   for e in _entries(api) if e.kind == "search.query"]
    assert len(commitments) == len(set(commitments)) == 2  # the same text, unlinkable
    log = api.get("/api/v1/audit/log?limit=100", "mx.semar.log").json()["items"]
    assert {e["kind"] for e in log if e["entity_id"] is None} == {"search.query"}
    assert {e["actor"] for e in log if e["entity_id"] is None} == {"unit:mx.semar.log"}
    assert "ana@" not in json.dumps(log)


def test_an_originator_learns_who_opened_its_record_not_who_searched(api: Api) -> None:
    """Finding 6 of issue #13: a DEA analyst's search for the planted name tells SEMAR
    nothing; opening the record tells it the DEA unit, not the analyst."""
    _token(api, "bob@us.dea.sod")
    found = api.get("/api/v1/search?q=Rafael%20Garcia%20Luna", "bob@us.dea.sod")
    assert [r["id"] for r in found.json()["items"]] == ["rec-shared"]

    def semar() -> list[dict[str, Any]]:
        answer = api.get("/api/v1/audit/log?entity=rec-shared", "mx.semar.uie")
        return [e for e in answer.json()["items"] if not e["actor"].endswith("mx.semar.uie")]

    assert semar() == []
    assert api.get("/api/v1/entities/rec-shared", "bob@us.dea.sod").status_code == 200
    opened = semar()
    assert [(e["kind"], e["actor"], e["detail"]["path"], e["detail"]["subject"])
            for e in opened] == [("record.read", "unit:us.dea.sod", "api", "unit:us.dea.sod")]
    assert "bob" not in json.dumps(opened)
    # bob's own unit sees its reads whole, his name and all.
    mine = api.get("/api/v1/audit/log?entity=rec-shared&actor=analyst:bob@us.dea.sod",
                   "us.dea.sod").json()["items"]
    assert [(e["detail"]["path"], e["form"]) for e in mine] == [
        ("search", "whole"), ("api", "whole")]


def test_writes_through_the_api_name_the_analyst(api: Api) -> None:
    """Finding 7 of issue #13: a create and an amendment are logged under who made them."""
    _token(api, "bob@us.dea.sod")
    made = api.post("/api/v1/entities", "bob@us.dea.sod", json={
        "schema": "Person", "properties": {"name": ["Ismael Zambada Garcia"]},
        "marking": {"tlp": "AMBER", "releasable_to": ["agency:mx.semar"],
                    "legal_basis": "mx-us-2024"}})
    assert made.status_code == 201, made.text
    entity = made.json()["id"]
    amended = api.post(f"/api/v1/entities/{entity}/statements", "ana@mx.semar.uie", json={
        "properties": {"alias": ["El Mayo"]},
        "marking": {"tlp": "RED", "releasable_to": ["unit:mx.semar.uie"]}})
    assert amended.status_code == 200, amended.text
    assert [(e.kind, e.actor) for e in _entries(api, entity_id=entity)
            if e.kind != "record.read"] == [
        ("record.created", "analyst:bob@us.dea.sod"),
        ("record.updated", "analyst:ana@mx.semar.uie")]
    # The originator's unit sees the amendment by the other agency's unit, without the
    # statement it cannot see (the RED alias is ana's unit's alone).
    seen = [e for e in api.get(f"/api/v1/audit/log?entity={entity}", "us.dea.sod"
                               ).json()["items"] if e["kind"] == "record.updated"]
    assert seen == []


def test_the_log_is_paged_with_a_cursor_through_entries_that_share_a_time(api: Api) -> None:
    """Like every listing: ``items`` and ``next_cursor``; pages cut by place in the log,
    since the entries of one write share one time (``since`` could not page past them)."""
    whole = api.get("/api/v1/audit/log?limit=200", "mx.semar.uie").json()
    assert whole["next_cursor"] is None
    times = [e["at"] for e in whole["items"]]
    assert len(times) >= 3 and len(set(times[:3])) == 1  # a page boundary inside one time
    paged: list[dict[str, object]] = []
    answer = api.get("/api/v1/audit/log?limit=2", "mx.semar.uie").json()
    while True:
        assert len(answer["items"]) <= 2
        paged += answer["items"]
        if answer["next_cursor"] is None:
            break
        answer = api.get("/api/v1/audit/log", "mx.semar.uie",
                         params={"limit": 2, "cursor": answer["next_cursor"]}).json()
    # the same entries in the same order, then the questions asked meanwhile (each
    # question is on record, and the asker sees its own)
    assert paged[:len(whole["items"])] == whole["items"]
    assert {e["kind"] for e in paged[len(whole["items"]):]} == {"audit.queried"}
    first = api.get("/api/v1/audit/log?limit=1", "mx.semar.uie").json()
    # a cursor is bound to the unit and the query
    elsewhere = api.get("/api/v1/audit/log", "us.dea.sod",
                        params={"limit": 1, "cursor": first["next_cursor"]})
    assert elsewhere.status_code == 422
    other_query = api.get("/api/v1/audit/log", "mx.semar.uie",
                          params={"limit": 1, "entity": "rec-shared",
                                  "cursor": first["next_cursor"]})
    assert other_query.status_code == 422
