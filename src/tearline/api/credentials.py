"""API token format and hashing: ``tl_<prefix>_<secret>``.

* ``prefix``: 8 characters of lower-case base32, random, unique, stored in clear; it
  finds the token's row and is the only part ever logged or audited.
* ``secret``: 32 random bytes, URL-safe base64 (43 characters); stored only as an
  Argon2id hash, shown once at creation.

Verifying Argon2 costs tens of milliseconds on purpose; :class:`VerifiedCache`
remembers, for a short time, which exact tokens verified (keyed by an HMAC under a
key that lives only in this process), so a busy client pays that cost once a minute,
not on every request. Expiry and revocation are read from the store on every request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tearline.errors import AuthenticationError

TOKEN = re.compile(r"^tl_([a-z2-7]{8})_([A-Za-z0-9_-]{43})$")
#: What a token looks like before it is checked (used to tell "malformed" from "unknown").
PREFIX_ONLY = re.compile(r"^tl_([a-z2-7]{8})_")

_hasher = PasswordHasher()


def new_token() -> tuple[str, str, str]:
    """A fresh token: (full token text, prefix, secret)."""
    prefix = base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()
    secret = secrets.token_urlsafe(32)
    return f"tl_{prefix}_{secret}", prefix, secret


def parse_token(text: str) -> tuple[str, str]:
    """(prefix, secret) of a well-formed token; :class:`AuthenticationError` otherwise."""
    match = TOKEN.match(text)
    if match is None:
        raise AuthenticationError("malformed token")
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


class VerifiedCache:
    """Tokens that verified recently, as HMACs under a per-process key (never the secret)."""

    def __init__(self, ttl_seconds: float = 60.0, max_entries: int = 10_000) -> None:
        self._key = secrets.token_bytes(32)
        self._ttl = ttl_seconds
        self._max = max_entries
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def _mac(self, stored_hash: str, secret: str) -> str:
        message = stored_hash.encode("ascii") + b"\x00" + secret.encode("ascii")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def verify(self, stored_hash: str, secret: str) -> bool:
        mac = self._mac(stored_hash, secret)
        now = time.monotonic()
        with self._lock:
            until = self._seen.get(mac)
            if until is not None and until > now:
                return True
        if not verify_secret(stored_hash, secret):
            return False
        with self._lock:
            if len(self._seen) >= self._max:
                self._seen = {k: v for k, v in self._seen.items() if v > now}
                if len(self._seen) >= self._max:
                    self._seen.clear()
            self._seen[mac] = now + self._ttl
        return True
