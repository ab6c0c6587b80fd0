"""Failed sign-ins slow the one who fails, never anyone else (docs/api.md, "Limits").

Played as a hostile partner on the same network or behind the same proxy: every test
goes through the app's ASGI interface, from named client addresses, on a clock that
moves only when the test moves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from apiworld import CLIENT, Api, Ticks, build_api

from store_template import copy_to
from tearline.api.auth import Scope, issue_token
from tearline.store import audit_log

STATS = "/api/v1/stats"
UNKNOWN = "Bearer tl_aaaaaaaa_" + "U" * 43


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _wrong_secret(token: str) -> dict[str, str]:
    return _bearer(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))


def _fresh_token(api: Api, owner: str = "us.dea.sod") -> str:
    """A token no request has used yet: its first use runs Argon2."""
    token, _ = issue_token(api.store, owner, frozenset({Scope.read}), timedelta(days=1),
                           "fresh", "test")
    return token


def _logged(api: Api) -> int:
    with api.store.reading() as conn:
        return audit_log.size(conn)


@pytest.fixture
def limited(db_url: str, store_template: Path) -> Iterator[tuple[Api, Ticks]]:
    clock = Ticks()
    api = build_api(copy_to(store_template, db_url), monotonic=clock, auth_failures_per_address=3,
                    auth_failures_per_prefix=3, auth_failure_window_seconds=300.0,
                    token_cache_seconds=60.0)
    yield api, clock
    api.close()
    api.store.close()


def test_a_request_without_a_token_is_nobodys_failure(limited: tuple[Api, Ticks]) -> None:
    api, _ = limited
    before = _logged(api)
    for _ in range(25):
        answer = api.get(STATS)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "unauthenticated"
    assert _logged(api) == before  # not an attempt: neither counted nor audited
    assert api.get(STATS, headers=_bearer(_fresh_token(api))).status_code == 200


def test_garbage_from_an_address_never_refuses_a_valid_token_from_it(
        limited: tuple[Api, Ticks]) -> None:
    api, clock = limited
    before = _logged(api)
    for header in ("Basic dXNlcjpwYXNz", "Bearer tl_short", UNKNOWN):
        assert api.get(STATS, headers={"Authorization": header}).status_code == 401
    # The address is backed off for what cannot be a token, without audit entries...
    for header in ("Bearer tl_short", UNKNOWN):
        refused = api.get(STATS, headers={"Authorization": header})
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "300"
    assert _logged(api) == before + 3
    # ... and a colleague at the same address signs in, also with a token never used.
    assert api.get(STATS, headers=_bearer(_fresh_token(api))).status_code == 200
    assert api.get(STATS, "mx.semar.uie").status_code == 200
    # Another address is not concerned; the backed-off one recovers with the window.
    assert api.get(STATS, headers={"Authorization": UNKNOWN}, from_="10.0.0.1"
                   ).status_code == 401
    clock.advance(299)
    assert api.get(STATS, headers={"Authorization": UNKNOWN}).status_code == 429
    clock.advance(1)
    assert api.get(STATS, headers={"Authorization": UNKNOWN}).status_code == 401


def test_nobody_locks_an_analyst_out_with_their_token_prefix(
        limited: tuple[Api, Ticks]) -> None:
    """A hostile partner who knows a DEA token's prefix fails with it on purpose."""
    api, clock = limited
    victim = _fresh_token(api)
    hostile = "10.66.0.1"
    for _ in range(3):
        assert api.get(STATS, headers=_wrong_secret(victim), from_=hostile).status_code == 401
    refused = api.get(STATS, headers=_wrong_secret(victim), from_=hostile)
    assert refused.status_code == 429  # the failing key: this prefix at this address
    # The analyst, elsewhere, signs in with the token's first use (Argon2) ...
    assert api.get(STATS, headers=_bearer(victim), from_="10.1.0.7").status_code == 200
    # ... and, once it verified, also from the hostile address, after its cache entry
    # went stale, while the hostile partner goes on failing there.
    clock.advance(120)
    assert api.get(STATS, headers=_wrong_secret(victim), from_=hostile).status_code == 429
    assert api.get(STATS, headers=_bearer(victim), from_=hostile).status_code == 200
    # The one case left (docs/api.md): a token not yet used since the node started,
    # presented from the very address where its prefix was backed off.
    unused = _fresh_token(api)
    for _ in range(3):
        api.get(STATS, headers=_wrong_secret(unused), from_=hostile)
    assert api.get(STATS, headers=_bearer(unused), from_=hostile).status_code == 429
    assert api.get(STATS, headers=_bearer(unused), from_="10.1.0.8").status_code == 200


def test_a_backed_off_prefix_runs_no_argon2(limited: tuple[Api, Ticks]) -> None:
    api, _ = limited
    victim = _fresh_token(api)
    before = _logged(api)
    for _ in range(10):
        api.get(STATS, headers=_wrong_secret(victim))
    assert _logged(api) == before + 3  # three refusals audited, the rest answered 429


def test_forwarded_addresses_are_believed_only_from_a_trusted_proxy(
        db_url: str, store_template: Path) -> None:
    clock = Ticks()
    api = build_api(copy_to(store_template, db_url), monotonic=clock, auth_failures_per_address=2,
                    trusted_proxies=(CLIENT,))
    try:
        def attempt(forwarded: str, from_: str = CLIENT) -> int:
            headers = {"Authorization": UNKNOWN, "X-Forwarded-For": forwarded}
            return api.get(STATS, headers=headers, from_=from_).status_code

        assert [attempt("203.0.113.5") for _ in range(3)] == [401, 401, 429]
        assert attempt("203.0.113.6") == 401  # another client behind the proxy
        # What a client writes before the proxy's own entry is not believed.
        assert attempt("203.0.113.77, 203.0.113.5") == 429
        # Anyone else's header is ignored: the peer's address counts.
        assert [attempt(f"198.51.100.{i}", "127.0.0.3") for i in range(3)] == [401, 401, 429]
    finally:
        api.close()
        api.store.close()


def test_forwarded_headers_are_ignored_by_default(limited: tuple[Api, Ticks]) -> None:
    api, _ = limited
    codes = [api.get(STATS, headers={"Authorization": UNKNOWN,
                                     "X-Forwarded-For": f"203.0.113.{i}"}).status_code
             for i in range(4)]
    assert codes == [401, 401, 401, 429]


def test_ipv6_clients_are_counted_per_64(limited: tuple[Api, Ticks]) -> None:
    api, _ = limited
    codes = [api.get(STATS, headers={"Authorization": UNKNOWN},
                     from_=f"2001:db8:1:2::{i:x}").status_code for i in range(1, 5)]
    assert codes == [401, 401, 401, 429]
    assert api.get(STATS, headers={"Authorization": UNKNOWN},
                   from_="2001:db8:1:3::1").status_code == 401
