"""API token format and hashing: ``tl_<prefix>_<secret>``.

* ``prefix``: 8 characters of lower-case base32, random, unique, stored in clear; it
  finds the token's row and is the only part ever logged or audited.
* ``secret``: 32 random bytes, URL-safe base64 (43 characters); stored only as an
  Argon2id hash, shown once at creation.

Verifying Argon2 costs tens of milliseconds on purpose; :class:`VerifiedCache`
remembers, for a short time, which exact tokens verified and whom they resolved to
(keyed by an HMAC under a key that lives only in this process), so a busy client pays
that cost once per token and process, not on every request. Expiry and revocation are
read from the store on every request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tearline.errors import AuthenticationError, tr

TOKEN = re.compile(r"^tl_([a-z2-7]{8})_([A-Za-z0-9_-]{43})$")
#: What a token looks like before it is checked (used to tell "malformed" from "unknown").
PREFIX_ONLY = re.compile(r"^tl_([a-z2-7]{8})_")

_hasher = PasswordHasher()
T = TypeVar("T")


def new_token() -> tuple[str, str, str]:
    """A fresh token: (full token text, prefix, secret)."""
    prefix = base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()
    secret = secrets.token_urlsafe(32)
    return f"tl_{prefix}_{secret}", prefix, secret


def parse_token(text: str) -> tuple[str, str]:
    """(prefix, secret) of a well-formed token; :class:`AuthenticationError` otherwise."""
    match = TOKEN.match(text)
    if match is None:
        raise AuthenticationError(tr("malformed token"))
    return match.group(1), match.group(2)


def safe_prefix(text: str) -> str | None:
    """The prefix of something token-shaped, for logs; ``None`` when there is none."""
    match = PREFIX_ONLY.match(text)
    return match.group(1) if match else None


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class Verified(Generic[T]):
    """What a verified token resolved to, current until ``until`` (on the cache's clock)."""

    value: T
    stored_hash: str
    until: float


class VerifiedCache(Generic[T]):
    """Tokens that verified, with what they resolved to (an LRU, bounded).

    Keyed by HMAC-SHA256 of the whole token under a key made at start that never leaves
    this process: the cache holds neither the secret nor anything checkable offline
    against it. An entry is made only after Argon2 accepted the secret, so a wrong secret
    can never hit (its MAC differs) and always pays Argon2 and counts as a failure. The
    caller re-reads the token's row on every request and passes its current hash to
    :meth:`get`: a row whose hash changed no longer matches, and revocation and expiry
    are decided from that fresh row, never from the cache.

    What the token resolved to is current for ``ttl_seconds`` (:meth:`get`); that the
    token verified is remembered as long as the entry stays (:meth:`proven`), so a
    token is checked by Argon2 once per process, and a token that verified is never
    held back by failure limits that others caused (``api/ratelimit.py``).
    """

    def __init__(self, ttl_seconds: float = 60.0, max_entries: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._key = secrets.token_bytes(32)
        self._ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._seen: OrderedDict[bytes, Verified[T]] = OrderedDict()
        self._lock = threading.Lock()
        self._verifying: dict[bytes, tuple[threading.Lock, list[int]]] = {}

    @contextmanager
    def one_at_a_time(self, mac: bytes) -> Iterator[None]:
        """Held while one token is verified: others with the same token wait for it."""
        with self._lock:
            lock, waiting = self._verifying.setdefault(mac, (threading.Lock(), [0]))
            waiting[0] += 1
        try:
            with lock:
                yield
        finally:
            with self._lock:
                waiting[0] -= 1
                if not waiting[0]:
                    del self._verifying[mac]

    def mac(self, token: str) -> bytes:
        return hmac.new(self._key, token.encode("ascii"), hashlib.sha256).digest()

    def _entry(self, mac: bytes, stored_hash: str) -> Verified[T] | None:
        found = self._seen.get(mac)
        if found is None:
            return None
        if not hmac.compare_digest(found.stored_hash, stored_hash):
            del self._seen[mac]
            return None
        self._seen.move_to_end(mac)
        return found

    def get(self, mac: bytes, stored_hash: str) -> T | None:
        """What the token resolved to, if it verified against ``stored_hash`` and that
        resolution is at most ``ttl_seconds`` old."""
        now = self._clock()
        with self._lock:
            found = self._entry(mac, stored_hash)
            return found.value if found is not None and now < found.until else None

    def proven(self, mac: bytes, stored_hash: str) -> bool:
        """Whether this exact token verified against ``stored_hash`` in this process."""
        with self._lock:
            return self._entry(mac, stored_hash) is not None

    def put(self, mac: bytes, stored_hash: str, value: T) -> None:
        with self._lock:
            self._seen[mac] = Verified(value, stored_hash, self._clock() + self._ttl)
            self._seen.move_to_end(mac)
            while len(self._seen) > self._max:
                self._seen.popitem(last=False)

    def forget(self, mac: bytes) -> None:
        with self._lock:
            self._seen.pop(mac, None)
