"""API tokens as stored: a lookup prefix, an Argon2 hash of the secret, scopes, expiry.

The secret itself is never stored; it is shown once when the token is created. A
token is found by its prefix (not secret, safe to log) and accepted when the secret
verifies against the stored hash, the token has not expired and was not revoked.
Revocation sets ``revoked_at`` once; it is never cleared. Creating and revoking a token
append a ``key.changed`` audit entry (its prefix only) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Index, String, Table, Text, select

from tearline.errors import Conflict, NotFound, tr
from tearline.store import audit_events
from tearline.store import tables as t
from tearline.store.engine import driver_cursor, marker

api_tokens = Table(
    "api_tokens",
    t.metadata,
    Column("prefix", String(8), primary_key=True),
    Column("owner", String(200), nullable=False),  # analyst id, or a unit id (service)
    Column("scopes", String(64), nullable=False),  # sorted, comma-separated
    Column("secret_hash", Text, nullable=False),  # Argon2id PHC string
    Column("label", String(200), nullable=False),
    Column("created_at", t.TS, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("expires_at", t.TS, nullable=False),
    Column("revoked_at", t.TS),
    Index("ix_api_tokens_owner", "owner"),
)


@dataclass(frozen=True, slots=True)
class TokenRow:
    prefix: str
    owner: str
    scopes: frozenset[str]
    secret_hash: str
    label: str
    created_at: datetime
    created_by: str
    expires_at: datetime
    revoked_at: datetime | None

    def to_public(self) -> dict[str, object]:
        """Everything about the token but its hash."""
        return {
            "prefix": self.prefix,
            "owner": self.owner,
            "scopes": sorted(self.scopes),
            "label": self.label,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "expires_at": self.expires_at,
            "revoked_at": self.revoked_at,
        }


_COLUMNS = ("prefix", "owner", "scopes", "secret_hash", "label", "created_at", "created_by",
            "expires_at", "revoked_at")


def _row(row: Sequence[Any]) -> TokenRow:
    """A row of :data:`_COLUMNS`, in that order."""
    prefix, owner, scopes, secret_hash, label, created_at, created_by, expires, revoked = row
    return TokenRow(
        prefix=prefix,
        owner=owner,
        scopes=frozenset(str(scopes).split(",")) - {""},
        secret_hash=secret_hash,
        label=label,
        created_at=t.from_ts(created_at),
        created_by=created_by,
        expires_at=t.from_ts(expires),
        revoked_at=t.from_ts(revoked) if revoked else None,
    )


def insert(conn: Connection, row: TokenRow) -> None:
    if find(conn, row.prefix) is not None:
        raise Conflict(tr("token prefix {prefix} exists", prefix=row.prefix))
    conn.execute(
        api_tokens.insert().values(
            prefix=row.prefix,
            owner=row.owner,
            scopes=",".join(sorted(row.scopes)),
            secret_hash=row.secret_hash,
            label=row.label,
            created_at=t.ts(row.created_at),
            created_by=row.created_by,
            expires_at=t.ts(row.expires_at),
            revoked_at=None,
        )
    )
    audit_events.token(conn, row.owner, row.prefix, "created", row.created_by)


def find(conn: Connection, prefix: str) -> TokenRow | None:
    """The token with this prefix. Every authenticated request asks, so the statement is
    plain SQL on the driver's cursor: SQLAlchemy's per-statement work costs more."""
    with driver_cursor(conn) as cursor:
        cursor.execute(f"SELECT {', '.join(_COLUMNS)} FROM api_tokens "
                       f"WHERE prefix = {marker(conn)}", (prefix,))
        row = cursor.fetchone()
    return _row(row) if row is not None else None


def listing(conn: Connection, owner: str | None = None) -> list[TokenRow]:
    query = select(api_tokens).order_by(api_tokens.c.created_at, api_tokens.c.prefix)
    if owner:
        query = query.where(api_tokens.c.owner == owner)
    return [_row(r) for r in conn.execute(query.with_only_columns(
        *(api_tokens.c[name] for name in _COLUMNS)))]


def revoke(conn: Connection, prefix: str, at: datetime) -> TokenRow:
    """Revoke a token from ``at`` on; revoking twice keeps the first time."""
    found = find(conn, prefix)
    if found is None:
        raise NotFound(tr("no token {prefix!r}", prefix=prefix))
    if found.revoked_at is None:
        conn.execute(
            api_tokens.update()
            .where(api_tokens.c.prefix == prefix, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=t.ts(at))
        )
        audit_events.token(conn, found.owner, prefix, "revoked", None)
    return find(conn, prefix) or found
