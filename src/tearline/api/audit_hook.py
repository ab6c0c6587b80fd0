"""The one place where refused authentications enter the audit log.

An :class:`AuthFailed` event is built here (it validates: only the token's non-secret
prefix enters, never the secret) and appended to the store's audit log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from tearline.audit.events import AuthFailed, Event, utc_timestamp
from tearline.store import Store, audit_log

log = logging.getLogger("tearline.api.auth")


@dataclass(frozen=True, slots=True)
class AuthFailure:
    at: datetime
    token_prefix: str | None
    reason: Literal["missing", "malformed", "unknown", "expired", "revoked"]


def auth_failed_event(failure: AuthFailure) -> AuthFailed:
    return AuthFailed(
        at=utc_timestamp(failure.at),
        actor="system",
        token_prefix=failure.token_prefix,
        reason=failure.reason,
        channel="api",
    )


def record_auth_failure(store: Store, failure: AuthFailure) -> None:
    """Audit a refused authentication (and log it, with the prefix only)."""
    event = auth_failed_event(failure)
    log.warning(
        "authentication refused: %s (token prefix %s)",
        failure.reason,
        failure.token_prefix or "-",
    )
    append_audit_event(store, event)


def append_audit_event(store: Store, event: Event) -> None:
    """Append ``event`` to the node's audit log, in its own transaction."""
    with store.transaction() as conn:
        audit_log.append(conn, [event])
