"""Who is calling: the :class:`Authenticator` interface and its API-token implementation.

An authenticator turns the request's ``Authorization`` header and client address into
a :class:`Principal` (the analyst, their unit as policy subject, the scopes granted)
or raises :class:`AuthenticationError` (401) or :class:`RateLimited` (429). Routes
only ever see the principal, so another identity provider (OpenID Connect, mutual
TLS) replaces :class:`TokenAuthenticator` without touching them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol

from tearline.api.audit_hook import AuthFailure, record_auth_failure
from tearline.api.credentials import (
    VerifiedCache,
    hash_secret,
    new_token,
    parse_token,
    safe_prefix,
    verify_secret,
)
from tearline.api.ratelimit import FailureLimits
from tearline.api.settings import ApiSettings
from tearline.errors import AuthenticationError, PolicyDenied, ValidationError, tr
from tearline.policy.subject import Subject
from tearline.store import Store, TokenRow, api_tokens


class Scope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: the policy subject and what the credential allows."""

    subject: Subject
    scopes: frozenset[Scope]
    credential: str  # a non-secret id of the credential (token prefix, OIDC subject)

    @property
    def name(self) -> str:
        return self.subject.analyst or self.subject.unit

    def require(self, scope: Scope) -> None:
        if scope not in self.scopes:
            raise PolicyDenied(
                tr("this credential lacks the {scope!r} scope", scope=scope.value),
                [tr("granted scopes: {scopes}",
                    scopes=", ".join(sorted(self.scopes)) or tr("no scope"))],
            )


class Authenticator(Protocol):
    """Turns request credentials into a principal; the one thing routes depend on."""

    def authenticate(self, authorization: str | None, client: str) -> Principal:
        """The caller's principal, or raise; may block (database, password hashing)."""
        ...

    def recall(self, authorization: str | None, client: str) -> Principal | None:
        """The principal, or the refusal raised, if it can be decided at once, without
        blocking; ``None`` when :meth:`authenticate` must decide (on a worker thread)."""
        ...


class _Undecided(Exception):
    """A quick check cannot decide: the full one must (see :meth:`TokenAuthenticator.recall`)."""


Reason = Literal["missing", "malformed", "unknown", "expired", "revoked"]


class TokenAuthenticator:
    """Bearer API tokens (``tl_<prefix>_<secret>``) checked against the store.

    Failed attempts are counted and backed off by :class:`FailureLimits` (who is held
    back by whose failures: ``api/ratelimit.py``). ``monotonic`` is the clock of those
    limits and of the verified-token cache; ``clock`` decides expiry and audit times.
    """

    def __init__(
        self,
        store: Store,
        settings: ApiSettings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.clock = clock
        self.limits = FailureLimits(settings.auth_failures_per_address,
                                    settings.auth_failures_per_prefix,
                                    settings.auth_failure_window_seconds, monotonic)
        self.verified: VerifiedCache[Principal] = VerifiedCache(
            settings.token_cache_seconds, clock=monotonic)

    def _refuse(self, reason: Reason, client: str, prefix: str | None,
                quick: bool = False, exists: bool = False) -> Exception:
        """Count and audit a refusal (``exists``: ``prefix`` names a stored token).

        No credential at all is nobody's failure: neither counted nor audited, so it is
        answered at once, also by the quick check."""
        if reason != "missing":
            if quick:  # refusing writes an audit entry: the full check does it
                return _Undecided()
            self.limits.failed(client, prefix if exists else None)
            record_auth_failure(self.store, AuthFailure(self.clock(), prefix, reason))
        # One message for every reason: the caller learns nothing about which tokens exist.
        return AuthenticationError(tr("missing or invalid API token"))

    def authenticate(self, authorization: str | None, client: str) -> Principal:
        return self._check(authorization, client, quick=False)

    def recall(self, authorization: str | None, client: str) -> Principal | None:
        """A token that verified recently, still valid, on SQLite: decided on the event
        loop, where a worker-thread hop would cost more than the check. Its row is read
        all the same (revocation and expiry take effect at once). Anything else — a
        first use (Argon2), a refusal (which is audited and counted), PostgreSQL (a
        network round trip) — is left to :meth:`authenticate`. A request without any
        token is refused here at once: it is neither counted nor audited."""
        if not authorization:
            raise self._refuse("missing", client, None)
        if not self.store.reads_on_loop:
            return None
        try:
            return self._check(authorization, client, quick=True)
        except _Undecided:
            return None

    def _check(self, authorization: str | None, client: str, quick: bool) -> Principal:
        if not authorization:
            raise self._refuse("missing", client, None, quick)
        scheme, _, credential = authorization.partition(" ")
        credential = credential.strip()
        try:
            if scheme.lower() != "bearer":
                raise AuthenticationError(tr("not a bearer token"))
            prefix, secret = parse_token(credential)
        except AuthenticationError:
            if not quick:
                self.limits.check_address(client)
            shape = safe_prefix(credential) if scheme.lower() == "bearer" else None
            raise self._refuse("malformed", client, shape, quick) from None
        # The token's row is read on every request, cache or not: revocation and expiry
        # take effect at once, also when another process (the CLI) revoked the token.
        with self.store.reading() as conn:
            row = api_tokens.find(conn, prefix)
        if row is None:
            if not quick:
                self.limits.check_address(client)
            raise self._refuse("unknown", client, prefix, quick)
        mac = self.verified.mac(credential)
        principal = self.verified.get(mac, row.secret_hash)
        if principal is None:
            if quick:
                raise _Undecided()
            principal = self._full(row, secret, mac, client)
        now = self.clock()
        if row.revoked_at is not None and row.revoked_at <= now:
            self.verified.forget(mac)
            raise self._refuse("revoked", client, prefix, quick, exists=True)
        if row.expires_at <= now:
            self.verified.forget(mac)
            raise self._refuse("expired", client, prefix, quick, exists=True)
        return principal

    def _full(self, row: TokenRow, secret: str, mac: bytes, client: str) -> Principal:
        """The principal of a token not resolved recently: re-resolved if this exact token
        verified before (no Argon2, no limit applies), else verified by Argon2 unless its
        prefix is backed off at this address."""
        if self.verified.proven(mac, row.secret_hash):
            return self._resolve(row, mac)
        self.limits.check_credential(row.prefix, client)
        # One Argon2 run per token at a time: requests arriving together with a token
        # not yet verified (a restart under load) wait for the first, then hit.
        with self.verified.one_at_a_time(mac):
            return (self.verified.get(mac, row.secret_hash)
                    or self._verify(row, secret, mac, client))

    def _verify(self, row: TokenRow, secret: str, mac: bytes, client: str) -> Principal:
        if not verify_secret(row.secret_hash, secret):
            raise self._refuse("unknown", client, row.prefix, exists=True)
        return self._resolve(row, mac)

    def _resolve(self, row: TokenRow, mac: bytes) -> Principal:
        # Whom the token acts for is remembered with it: a party change (an analyst
        # moved to another unit) reaches a verified token within token_cache_seconds;
        # revoking the token ends it at once (the caller checks the row it read).
        principal = Principal(self.store.subject(row.owner),
                              frozenset(Scope(s) for s in row.scopes), row.prefix)
        self.verified.put(mac, row.secret_hash, principal)
        return principal


# -- issuing tokens (the CLI and the admin routes share this) ------------------------------

MAX_LIFETIME = timedelta(days=366)


def issue_token(
    store: Store,
    owner: str,
    scopes: frozenset[Scope],
    lifetime: timedelta,
    label: str,
    created_by: str,
    at: datetime | None = None,
) -> tuple[str, TokenRow]:
    """Create a token for an analyst (or a unit, for a service account).

    Returns the token text — the only time it exists outside the caller's hands — and
    the stored row (which holds only its hash).
    """
    at = at or datetime.now(UTC)
    store.subject(owner)  # the owner must exist: raises NotFound / ValidationError
    if not scopes:
        raise ValidationError(tr("a token needs at least one scope (read, write, admin)"))
    if not timedelta(minutes=1) <= lifetime <= MAX_LIFETIME:
        raise ValidationError(tr("a token lives between one minute and 366 days"))
    if not 0 < len(label) <= 200:
        raise ValidationError(tr("a token label is 1 to 200 characters"))
    text, prefix, secret = new_token()
    row = TokenRow(
        prefix=prefix,
        owner=owner,
        scopes=frozenset(s.value for s in scopes),
        secret_hash=hash_secret(secret),
        label=label,
        created_at=at,
        created_by=created_by,
        expires_at=at + lifetime,
        revoked_at=None,
    )
    with store.transaction() as conn:
        api_tokens.insert(conn, row)
    return text, row
