"""Every read operation of the published API leaves an audit entry.

The operations are enumerated from the OpenAPI document, not listed by hand: each GET
must have a recipe here and grow the audit log, or be classified as reading no record
(node status, the caller's own identity, administration of parties and tokens), so
that adding an operation is a decision too.
"""

from __future__ import annotations

from apiworld import Api
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tearline.store import audit_checkpoints, audit_log

#: GET operations that read records, figures or the log, with the query to ask.
READS = {
    "/api/v1/entities/{entity_id}": "/api/v1/entities/rec-shared",
    "/api/v1/entities": "/api/v1/entities",
    "/api/v1/search": "/api/v1/search?q=garcia",
    "/api/v1/stats": "/api/v1/stats",
    "/api/v1/reports/assessment": "/api/v1/reports/assessment",
    "/api/v1/entities/{entity_id}/marking": "/api/v1/entities/rec-shared/marking",
    "/api/v1/policy/explain/{entity_id}": "/api/v1/policy/explain/rec-shared",
    "/api/v1/audit/log": "/api/v1/audit/log",
    "/api/v1/audit/checkpoint": "/api/v1/audit/checkpoint",
    "/api/v1/audit/proofs/inclusion": "/api/v1/audit/proofs/inclusion?index={index}",
    "/api/v1/audit/proofs/consistency": "/api/v1/audit/proofs/consistency?old={size}",
    "/api/v1/resolve/pairs": "/api/v1/resolve/pairs",
    "/api/v1/resolve/entities/{entity_id}": "/api/v1/resolve/entities/rec-shared",
    "/api/v1/network": "/api/v1/network",
    "/api/v1/network/path": "/api/v1/network/path?source=rec-shared&target=rec-shared",
    "/api/v1/network/export": "/api/v1/network/export?format=gexf",
    "/api/v1/screening": "/api/v1/screening",
    # the agency's releases waiting for (or given) a second officer's approval
    "/api/v1/release-requests": "/api/v1/release-requests",
    # consent requests the unit sent and those addressed to it
    "/api/v1/consent-requests": "/api/v1/consent-requests",
}
#: GET operations that read no record: the node's status, the caller's identity, parties
#: and tokens (administration; changes to them are audited where they happen).
NOT_RECORDS = {"/api/v1/health", "/api/v1/ready", "/api/v1/whoami", "/api/v1/parties",
               "/api/v1/tokens",
               # the caller's unit's own deconfliction registrations and the hit notices
               # sent to it (the exchanges themselves are logged where they happen)
               "/api/v1/deconflict/events",
               # honeytoken alerts (administration): the node's own findings, no record
               "/api/v1/trace/alerts"}


def _size(api: Api) -> int:
    with api.store.reading() as conn:
        return audit_log.size(conn)


def test_every_read_operation_leaves_entries(api: Api) -> None:
    gets = {path for path, item in api.app.openapi()["paths"].items() if "get" in item}
    unknown = gets - set(READS) - NOT_RECORDS
    assert not unknown, f"GET operations neither audited reads nor classified: {unknown}"
    key = Ed25519PrivateKey.generate()
    seizure = {"schema": "Seizure", "marking": {"tlp": "GREEN"}, "properties": {
        "drug": ["fentanyl"], "grossWeight": ["3"], "originCountry": ["mx"],
        "date": ["2024-01-02"]}}
    assert api.post("/api/v1/entities", "mx.semar.uie", json=seizure).status_code == 201
    api.get("/api/v1/entities/rec-shared", "mx.semar.uie")
    with api.store.transaction() as conn:
        audit_checkpoints.sign(conn, "test.example/log", key)
        size = audit_log.size(conn)
        index = audit_log.entries(conn, entity_id="rec-shared", actors=["unit:mx.semar.uie"])[
            -1].index
    for path in sorted(gets - NOT_RECORDS):
        before = _size(api)
        answer = api.get(READS[path].format(index=index, size=size), "mx.semar.uie")
        assert answer.status_code == 200, (path, answer.text)
        assert _size(api) > before, f"GET {path} left no audit entry"
