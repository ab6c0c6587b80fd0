"""The verified-token cache: what it remembers, for how long, and what ends an entry."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from apiworld import Api

from tearline.api.auth import Scope, issue_token
from tearline.api.credentials import VerifiedCache, hash_secret
from tearline.store import api_tokens


def test_cache_entries_are_bound_to_the_stored_hash_and_expire() -> None:
    cache: VerifiedCache[str] = VerifiedCache(ttl_seconds=0.2, max_entries=2)
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
    time.sleep(0.25)
    assert cache.get(mac, stored) is None  # expired
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
