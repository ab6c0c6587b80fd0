"""The audit log through the API: entries by the policy, checkpoints, proofs.

Proofs are checked with ``check_proof`` of ``tearline audit verify-proof`` and the
node's public key alone: the API's documents are the command line's.
"""

from __future__ import annotations

from apiworld import Api
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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
    reads = [e for e in semar.json()["entries"] if e["kind"] == "record.read"]
    assert [e["actor"] for e in reads] == ["unit:us.dea.sod"]
    assert reads[0]["detail"]["path"] == "api" and reads[0]["entity_id"] == "rec-shared"
    # ... the reader sees its own agency's entries only, a unit without the record nothing.
    dea = api.get("/api/v1/audit/log?entity=rec-shared", "us.dea.sod").json()["entries"]
    assert {e["actor"] for e in dea} == {"unit:us.dea.sod"}
    assert api.get("/api/v1/audit/log?entity=rec-shared", "mx.fgr.seido").json()["entries"] == []
    assert api.get("/api/v1/audit/log?entity=rec-secret", "us.dea.sod").json()["entries"] == []
    # Filters and limits are the command line's.
    by_actor = api.get("/api/v1/audit/log?actor=unit:us.dea.sod&limit=2", "us.dea.sod").json()
    assert len(by_actor["entries"]) == 2
    assert {e["actor"] for e in by_actor["entries"]} == {"unit:us.dea.sod"}
    later = api.get("/api/v1/audit/log?since=2999-01-01T00:00:00Z", "mx.semar.uie").json()
    assert later["entries"] == []
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
