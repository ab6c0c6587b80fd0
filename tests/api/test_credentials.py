"""The verified-token cache: what it remembers, for how long, and what ends an entry."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from apiworld import Api, Ticks
from argon2 import PasswordHasher

from tearline.api import credentials
from tearline.api.auth import Scope, TokenAuthenticator, issue_token
from tearline.api.credentials import VerifiedCache, hash_secret
from tearline.api.settings import ApiSettings
from tearline.errors import AuthenticationError
from tearline.store import api_tokens, audit_log


def test_cache_entries_are_bound_to_the_stored_hash_and_expire() -> None:
    clock = Ticks()
    cache: VerifiedCache[str] = VerifiedCache(ttl_seconds=60, max_entries=2, clock=clock)
    token = "tl_aaaaaaaa_" + "S" * 43
    mac = cache.mac(token)
    assert token.encode() not in mac and len(mac) == 32
    # Another process's cache (another key) gives another MAC: nothing checkable offline.
    assert VerifiedCache().mac(token) != mac
    stored = hash_secret("S" * 43)
    cache.put(mac, stored, "ana")
    assert cache.get(mac, stored) == "ana"
    assert cache.get(mac, hash_secret("S" * 43)) is None  # the row changed: gone
    cache.put(mac, stored, "ana")
    clock.advance(59.9)
    assert cache.get(mac, stored) == "ana"
    clock.advance(0.1)
    assert cache.get(mac, stored) is None  # what it resolved to is stale ...
    assert cache.proven(mac, stored)  # ... that it verified is not
    assert not cache.proven(mac, hash_secret("S" * 43))
    assert not cache.proven(cache.mac(token + "x"), stored)
    # Bounded: the least recently used entry leaves first.
    for i, name in enumerate(("a", "b", "c")):
        cache.put(bytes([i]) * 32, stored, name)
    assert cache.get(bytes([0]) * 32, stored) is None
    assert cache.get(bytes([2]) * 32, stored) == "c"


def test_revocation_reaches_a_cached_token_at_once(api: Api) -> None:
    token, row = issue_token(api.store, "us.dea.sod", frozenset({Scope.read}),
                             timedelta(days=1), "cached", "test")
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/whoami", headers=headers).status_code == 200
    assert api.get("/api/v1/whoami", headers=headers).status_code == 200  # from the cache
    # Revoked behind the server's back (as `tearline token revoke` in another process).
    with api.store.transaction() as conn:
        api_tokens.revoke(conn, row.prefix, datetime.now(UTC))
    assert api.get("/api/v1/whoami", headers=headers).status_code == 401


def test_a_wrong_secret_never_rides_on_a_cached_prefix(api: Api) -> None:
    good = api.tokens["us.dea.sod"]
    assert api.get("/api/v1/whoami", "us.dea.sod").status_code == 200
    wrong = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    assert api.get("/api/v1/whoami", headers={"Authorization": f"Bearer {wrong}"}
                   ).status_code == 401
    assert api.get("/api/v1/whoami", "us.dea.sod").status_code == 200


class CountingHasher:
    """Argon2 as configured, counting the verifications it runs."""

    def __init__(self, real: PasswordHasher) -> None:
        self.real, self.verified = real, 0
        self.lock = threading.Lock()

    def hash(self, secret: str) -> str:
        return self.real.hash(secret)

    def verify(self, stored: str, secret: str) -> bool:
        with self.lock:
            self.verified += 1
        return self.real.verify(stored, secret)


def test_a_token_many_requests_bring_at_once_is_verified_once(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    token, _ = issue_token(api.store, "us.dea.sod", frozenset({Scope.read}),
                           timedelta(days=1), "burst", "test")
    hasher = CountingHasher(credentials._hasher)
    monkeypatch.setattr(credentials, "_hasher", hasher)
    auth = TokenAuthenticator(api.store, ApiSettings.from_env({}), monotonic=Ticks())
    with ThreadPoolExecutor(16) as pool:
        found = list(pool.map(lambda _: auth.authenticate(f"Bearer {token}", "10.0.0.1"),
                              range(48)))
    assert {p.subject.unit for p in found} == {"us.dea.sod"}
    assert hasher.verified == 1
    # A wrong secret for the same prefix is verified (and refused) every time.
    wrong = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            auth.authenticate(f"Bearer {wrong}", "10.0.0.1")
    assert hasher.verified == 3


def test_a_token_is_verified_once_and_resolved_again_when_stale(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    token, _ = issue_token(api.store, "us.dea.sod", frozenset({Scope.read}),
                           timedelta(days=1), "stale", "test")
    hasher = CountingHasher(credentials._hasher)
    monkeypatch.setattr(credentials, "_hasher", hasher)
    clock = Ticks()
    auth = TokenAuthenticator(api.store, ApiSettings.from_env({}, token_cache_seconds=60),
                              monotonic=clock)
    resolved: list[str] = []
    subject = api.store.subject
    monkeypatch.setattr(api.store, "subject", lambda name: resolved.append(name) or subject(name))
    for step in (0, 30, 30, 1):
        clock.advance(step)
        assert auth.authenticate(f"Bearer {token}", "10.0.0.3").subject.unit == "us.dea.sod"
    assert hasher.verified == 1
    assert resolved == ["us.dea.sod", "us.dea.sod"]  # at first use, and once stale


def test_the_quick_check_decides_only_valid_remembered_tokens_and_writes_nothing(
        api: Api) -> None:
    token, row = issue_token(api.store, "us.dea.sod", frozenset({Scope.read}),
                             timedelta(days=1), "quick", "test")
    auth = TokenAuthenticator(api.store, ApiSettings.from_env({}), monotonic=Ticks())
    header = f"Bearer {token}"
    with api.store.reading() as conn:
        logged = audit_log.size(conn)
    # Not yet verified, malformed, unknown: left to the full check, not refused.
    for attempt in (header, "Bearer nonsense", "Bearer tl_aaaaaaaa_" + "x" * 43):
        assert auth.recall(attempt, "10.0.0.2") is None
    with pytest.raises(AuthenticationError):  # no token: no one's failure, refused at once
        auth.recall(None, "10.0.0.2")
    with api.store.reading() as conn:
        assert audit_log.size(conn) == logged  # refusals are the full check's to audit
    auth.authenticate(header, "10.0.0.2")
    quick = auth.recall(header, "10.0.0.2")
    assert (quick is not None) == (api.store.dialect == "sqlite")  # no round trip on the loop
    with api.store.transaction() as conn:
        api_tokens.revoke(conn, row.prefix, datetime.now(UTC))
    assert auth.recall(header, "10.0.0.2") is None
    with pytest.raises(AuthenticationError):
        auth.authenticate(header, "10.0.0.2")
