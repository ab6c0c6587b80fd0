"""Failed authentications, counted so that they slow the one who fails and nobody else.

Two kinds of key, each a sliding window of failure times (:class:`SlidingWindow`):

* the **client address** (:func:`address_key`): every failure from it. Once it has used
  up ``auth_failures_per_address``, attempts from it that *cannot* be a valid token —
  malformed, or a prefix no token has — answer 429 without further work or audit
  entries. It never refuses a well-formed token whose prefix exists: that may be a
  colleague behind the same proxy or NAT, whose token would be refused because
  someone else failed.
* the **presented credential at that address** (token prefix and address together):
  the failures of a prefix whose token exists (wrong secret, expired, revoked). Once it
  has used up ``auth_failures_per_prefix``, further attempts with that prefix from that
  address answer 429 without running Argon2 — unless the exact token presented is one
  that verified before in this process (the authenticator asks this module only when
  it is not). A failure with someone's prefix from another address backs off that
  address only, so nobody can lock an analyst out from elsewhere. The web's password
  sign-in counts a name at an address the same way (``web/sessions.py``).

Requests without any credential are no one's failure and count nowhere.

Tokens carry 256 random bits: guessing one is hopeless at any rate, so the limits are
not what stops guessing. They bound the work and the audit entries a client can cause
(Argon2 runs, ``auth.failed`` appends) without letting one client shut out another.

IPv6 clients are counted per /64 (one subscriber's usual allocation), or rotating
addresses inside it would escape the address key. The counters live in this process
only: behind several worker processes the limits multiply by their number.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import deque
from collections.abc import Callable

from tearline.errors import RateLimited, tr

Clock = Callable[[], float]


class SlidingWindow:
    """Per key, the times of its recent failures; ``limit`` of them in ``window`` seconds
    put the key in back-off until the oldest leaves the window. Successes do not count."""

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        clock: Clock = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits

    def check(self, key: str, what: str) -> None:
        """Raise :class:`RateLimited` when ``key`` has used up its failures."""
        now = self._clock()
        with self._lock:
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                retry = max(1, math.ceil(hits[0] + self.window - now))
                raise RateLimited(
                    tr(
                        "too many failed authentication attempts from this {what}; retry in "
                        "{retry} s", what=what, retry=retry),
                    retry_after=retry,
                )

    def fail(self, key: str) -> None:
        now = self._clock()
        with self._lock:
            if len(self._hits) >= self._max_keys:
                for stale in [k for k, v in self._hits.items() if v[-1] <= now - self.window]:
                    del self._hits[stale]
            hits = self._hits.setdefault(key, deque())
            hits.append(now)
            while len(hits) > self.limit:
                hits.popleft()


def address_key(client: str) -> str:
    """The key of a client address: IPv4 as is, IPv6 as its /64, anything else as given."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class FailureLimits:
    """The two kinds of key above, and which attempts each may refuse."""

    def __init__(self, per_address: int, per_credential: int, window_seconds: float,
                 clock: Clock = time.monotonic) -> None:
        self.addresses = SlidingWindow(per_address, window_seconds, clock)
        self.credentials = SlidingWindow(per_credential, window_seconds, clock)

    def check_address(self, client: str) -> None:
        """Before answering an attempt that cannot be a valid token (malformed, unknown)."""
        self.addresses.check(address_key(client), "address")

    def check_credential(self, prefix: str, client: str) -> None:
        """Before running Argon2 for ``prefix``, presented from ``client``."""
        self.credentials.check(_pair(prefix, client), "address with this token")

    def failed(self, client: str, prefix: str | None = None) -> None:
        """Count a refused attempt: against the address, and against the credential at
        that address when the prefix is one whose token exists."""
        self.addresses.fail(address_key(client))
        if prefix is not None:
            self.credentials.fail(_pair(prefix, client))


def _pair(prefix: str, client: str) -> str:
    return f"{prefix} {address_key(client)}"
