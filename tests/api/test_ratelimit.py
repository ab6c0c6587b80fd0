"""Failure keys: which address a failure is charged to, and what each key may refuse."""

from __future__ import annotations

import pytest
from apiworld import Ticks

from tearline.api.ratelimit import FailureLimits, address_key
from tearline.errors import RateLimited


@pytest.mark.parametrize(("client", "key"), [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:DB8:1:2::ffff", "2001:db8:1:2::/64"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("unknown", "unknown"),
])
def test_address_keys(client: str, key: str) -> None:
    assert address_key(client) == key


def test_each_key_backs_off_alone() -> None:
    clock = Ticks()
    limits = FailureLimits(per_address=3, per_credential=2, window_seconds=60, clock=clock)
    limits.failed("192.0.2.1", "victim12")
    limits.failed("192.0.2.1", "victim12")
    with pytest.raises(RateLimited) as caught:
        limits.check_credential("victim12", "192.0.2.1")
    assert caught.value.retry_after == 60
    limits.check_credential("victim12", "192.0.2.2")  # the same prefix elsewhere
    limits.check_credential("other123", "192.0.2.1")  # another prefix here
    limits.check_address("192.0.2.1")  # two failures of three
    limits.failed("192.0.2.1")
    with pytest.raises(RateLimited):
        limits.check_address("192.0.2.1")
    limits.check_address("192.0.2.2")
    clock.advance(59.5)
    with pytest.raises(RateLimited) as caught:
        limits.check_address("192.0.2.1")
    assert caught.value.retry_after == 1
    clock.advance(0.5)
    limits.check_address("192.0.2.1")
    limits.check_credential("victim12", "192.0.2.1")
