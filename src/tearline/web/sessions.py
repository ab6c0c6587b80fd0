"""Sign-in sessions: opened by an API token or a password, ended by time or sign-out.

The cookie holds a random session id (256 bits); the store keeps its SHA-256 with the
owner, the scopes, the CSRF token of the session's forms and the moment it expires
(``session_minutes`` after sign-in). Each request re-reads that row (with the owner's
saved language, in the same statement), so a sign-out, a password change, expiry or a
language switch takes effect at once in every process; the owner is resolved
to a policy subject on each request too, so a party change reaches an open session.
``clock`` decides expiry (tests move it; nothing here reads the wall clock itself).

Whom an owner resolves to is remembered for :data:`SUBJECT_SECONDS`, as the API
remembers a verified token's principal: a party change (an analyst moved to another
unit) reaches an open session within that time; ending the session takes effect at once.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from tearline.audit.events import AuthFailed, utc_timestamp
from tearline.errors import AuthenticationError, TearlineError
from tearline.policy.subject import Subject
from tearline.store import Store, audit_log, web_accounts
from tearline.web.passwords import check_password
from tearline.web.settings import WebSettings

COOKIE = "tearline_session"
SUBJECT_SECONDS = 60
SIGNED_OUT = "wrong sign-in name, password or token"


class FailureCounts(Protocol):
    """The API's counts of failed sign-ins (``api/ratelimit.py``'s ``FailureLimits``)."""

    def check_credential(self, prefix: str, client: str) -> None: ...

    def failed(self, client: str, prefix: str | None = None) -> None: ...


class TokenAuthenticator(Protocol):
    """What the API's authenticator offers (``api/auth.py``): a principal for a header,
    and its counts of failed attempts (which password sign-ins share)."""

    limits: FailureCounts

    def authenticate(self, authorization: str | None, client: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    owner: str
    subject: Subject
    scopes: frozenset[str]
    csrf: str
    expires_at: datetime
    #: The owner's saved language, read with the session (``None``: none saved).
    locale: str | None = None

    def csrf_ok(self, presented: str | None) -> bool:
        return presented is not None and hmac.compare_digest(
            presented.encode("utf-8", "replace"), self.csrf.encode("ascii"))


class Sessions:
    def __init__(self, store: Store, settings: WebSettings, tokens: TokenAuthenticator,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store, self.settings, self.tokens, self.clock = store, settings, tokens, clock
        self._subjects: dict[str, tuple[Subject, datetime]] = {}

    def _subject(self, owner: str, at: datetime) -> Subject:
        known = self._subjects.get(owner)
        if known is not None and at < known[1]:
            return known[0]
        subject = self.store.subject(owner)
        if len(self._subjects) > 10_000:
            self._subjects.clear()
        self._subjects[owner] = (subject, at + timedelta(seconds=SUBJECT_SECONDS))
        return subject

    def _open(self, owner: str, scopes: frozenset[str]) -> str:
        session_id = secrets.token_urlsafe(32)
        at = self.clock()
        with self.store.transaction() as conn:
            web_accounts.open_session(conn, session_id, owner, scopes, secrets.token_hex(32),
                                      at, at + timedelta(minutes=self.settings.session_minutes))
        return session_id

    def with_token(self, token: str, client: str) -> str:
        """A session for the API token's owner, with the token's scopes."""
        principal = self.tokens.authenticate(f"Bearer {token.strip()}", client)
        subject: Subject = principal.subject
        return self._open(subject.analyst or subject.unit,
                          frozenset(str(s) for s in principal.scopes))

    def with_password(self, owner: str, password: str, client: str) -> str:
        """A session for ``owner`` if ``password`` is theirs.

        Failures are counted as the API counts a token's (``api/ratelimit.py``, the same
        counters): against the client's address, and against the name at that address.
        Once a name has used up its failures from an address, attempts for it from there
        are refused (429) without running Argon2, so guessing a password online is
        bounded; a name failed from elsewhere is not held back here, so nobody can lock
        an analyst out. A name with no password counts like one with a password, so the
        refusals tell nothing about which names have one."""
        owner = owner.strip()
        credential = "password:" + owner[:200]
        self.tokens.limits.check_credential(credential, client)
        scopes = check_password(self.store, owner, password)
        if scopes is None:
            self.tokens.limits.failed(client, credential)
            with self.store.transaction() as conn:
                audit_log.append(conn, [AuthFailed(at=utc_timestamp(self.clock()),
                                                   actor="system", token_prefix=None,
                                                   reason="unknown", channel="web")])
            raise AuthenticationError(SIGNED_OUT)
        return self._open(owner, scopes)

    def current(self, session_id: str | None) -> Session | None:
        """The live session of this cookie value, or ``None`` (none, ended, expired)."""
        if not session_id or len(session_id) > 100:
            return None
        with self.store.reading() as conn:
            row = web_accounts.find_session(conn, session_id)
        now = self.clock()
        if row is None or not row.live(now):
            return None
        try:
            subject = self._subject(row.owner, now)
        except TearlineError:  # the analyst was removed meanwhile
            return None
        return Session(session_id, row.owner, subject, row.scopes, row.csrf, row.expires_at,
                       row.locale)

    def end(self, session_id: str) -> None:
        with self.store.transaction() as conn:
            web_accounts.end_session(conn, session_id, self.clock())
