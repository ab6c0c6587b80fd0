"""Authentication: refused credentials answer 401, are audited, and never echo secrets."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apiworld import Api, build_api

from store_template import copy_to
from tearline.api.auth import Scope, issue_token
from tearline.audit.events import AuthFailed
from tearline.store import api_tokens, audit_log


def _audited(api: Api) -> list[tuple[AuthFailed, bytes]]:
    """The ``auth.failed`` events in the node's audit log, with their stored bytes."""
    with api.store.reading() as conn:
        entries = audit_log.entries(conn, limit=100_000)
    out = []
    for entry in entries:
        if entry.kind == "auth.failed":
            event = entry.event()
            assert isinstance(event, AuthFailed)
            out.append((event, entry.body))
    return out


def test_refused_tokens(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    good = api.tokens["us.dea.sod"]
    prefix, secret = good.split("_")[1], good.split("_", 2)[2]
    expired, _ = issue_token(api.store, "us.dea.sod", frozenset({Scope.read}), timedelta(minutes=1),
                             "old", "test", at=datetime.now(UTC) - timedelta(hours=1))
    revoked, row = issue_token(api.store, "us.dea.sod", frozenset({Scope.read}),
                               timedelta(days=1), "gone", "test")
    with api.store.transaction() as conn:
        api_tokens.revoke(conn, row.prefix, datetime.now(UTC))
    wrong_secret = f"tl_{prefix}_{'A' * 43}"
    cases = [
        (None, "missing"),
        ("Basic dXNlcjpwYXNz", "malformed"),
        (f"Bearer {good[:-1]}", "malformed"),
        (f"Bearer {good}x", "malformed"),
        ("Bearer tl_aaaaaaaa_" + "B" * 43, "unknown"),
        (f"Bearer {wrong_secret}", "unknown"),
        (f"Bearer {expired}", "expired"),
        (f"Bearer {revoked}", "revoked"),
    ]
    before = len(_audited(api))
    caplog.set_level(logging.DEBUG)
    bodies = []
    for header, _reason in cases:
        headers = {"Authorization": header} if header else {}
        answer = api.get("/api/v1/stats", headers=headers)
        assert answer.status_code == 401, header
        assert answer.headers["www-authenticate"].startswith("Bearer")
        bodies.append(answer.text)
    # One answer for every reason: nothing tells which tokens exist.
    assert len(set(bodies)) == 1
    audited = _audited(api)[before:]
    # No token at all is no sign-in attempt: answered alike, but not audited (docs/api.md).
    assert [e.reason for e, _ in audited] == [r for _h, r in cases if r != "missing"]
    assert all(e.channel == "api" for e, _ in audited)
    prefixes = [t.split("_")[1] for t in (expired, revoked)]
    assert [e.token_prefix for e, _ in audited][-2:] == prefixes
    # Secrets appear nowhere: not in answers, logs or the stored audit entries.
    audit_text = " ".join(body.decode() for _, body in audited)
    for token in (good, expired, revoked, wrong_secret):
        token_secret = token.split("_", 2)[2]
        for text in (*bodies, caplog.text, audit_text):
            assert token_secret not in text
    assert secret not in caplog.text
    # And the good token still works.
    assert api.get("/api/v1/stats", "us.dea.sod").status_code == 200


def test_scopes(api: Api) -> None:
    assert api.get("/api/v1/stats", "reader").status_code == 200
    denied = api.post("/api/v1/entities", "reader", json={})
    assert denied.status_code in (403, 422)
    body = {"schema": "Person", "properties": {"name": ["X Y"]}, "marking": {"tlp": "GREEN"}}
    answer = api.post("/api/v1/entities", "reader", json=body)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "denied"
    assert api.delete("/api/v1/entities/rec-dea", "reader").status_code == 403


PATH_VALUES = {"entity_id": "rec-public", "prop": "name", "prefix": "aaaaaaaa",
               "consent_id": "con-00", "registration_id": "dr-" + "0" * 32,
               "request_id": "rr-00"}
REQUIRED_QUERY = {"q": "garcia", "index": "0", "old": "0"}


def test_every_operation_refuses_bad_tokens(db_url: str, store_template: Path) -> None:
    """Wrong, expired, revoked and malformed tokens answer 401 on every authenticated
    operation of the published document, before anything else is looked at."""
    api = build_api(copy_to(store_template, db_url), auth_failures_per_prefix=1_000_000,
                    auth_failures_per_address=1_000_000)
    try:
        good = api.tokens["mx.semar.uie"]
        expired, _ = issue_token(api.store, "mx.semar.uie", frozenset(Scope),
                                 timedelta(minutes=1), "old", "test",
                                 at=datetime.now(UTC) - timedelta(hours=1))
        revoked, row = issue_token(api.store, "mx.semar.uie", frozenset(Scope),
                                   timedelta(days=1), "gone", "test")
        with api.store.transaction() as conn:
            api_tokens.revoke(conn, row.prefix, datetime.now(UTC))
        bad = [f"Bearer tl_{good.split('_')[1]}_{'D' * 43}", f"Bearer {expired}",
               f"Bearer {revoked}", "Bearer tl_short", "Token abc"]
        operations = [(method.upper(), path) for path, item in
                      api.app.openapi()["paths"].items() for method, op in item.items()
                      if "401" in op.get("responses", {})]
        assert len(operations) >= 25
        assert ("GET", "/api/v1/policy/explain/{entity_id}") in operations
        before = len(_audited(api))
        for method, path in operations:
            url = path.format(**PATH_VALUES)
            for header in bad:
                body = {} if method in ("POST", "PUT") else None
                answer = api.request(method, url, headers={"Authorization": header},
                                     params=REQUIRED_QUERY, json=body)
                assert answer.status_code == 401, (method, path, header, answer.text)
                assert answer.json()["error"]["code"] == "unauthenticated"
        assert len(_audited(api)) - before == len(operations) * len(bad)
    finally:
        api.close()
        api.store.close()
