"""The web application's accounts: passwords, sign-in sessions, language preferences.

* A **password** is set for an analyst (or a unit, for a shared console) by the node's
  administrator; only its Argon2id hash is stored, with the scopes a session opened by
  it receives. Setting or removing it appends a ``key.changed`` entry (purpose
  ``web-password``), like an API token.
* A **session** is found by the SHA-256 of the random id its cookie holds, so a copy
  of the table opens no session; it carries the owner, the scopes, the CSRF token of
  its forms and its expiry; signing out sets ``ended_at`` once.
* A **language preference** is the analyst's own, kept across sessions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, String, Table, Text, bindparam, delete, select

from tearline.audit.events import KeyChanged, now
from tearline.errors import NotFound, tr
from tearline.store import audit_log
from tearline.store import tables as t
from tearline.store.audit_events import actor_of
from tearline.store.prepared import prepared

web_passwords = Table(
    "web_passwords",
    t.metadata,
    Column("owner", String(200), primary_key=True),  # analyst id, or a unit id
    Column("secret_hash", Text, nullable=False),  # Argon2id PHC string
    Column("scopes", String(64), nullable=False),  # sorted, comma-separated
    Column("set_at", t.TS, nullable=False),
    Column("set_by", String(200), nullable=False),
)

web_sessions = Table(
    "web_sessions",
    t.metadata,
    Column("digest", String(64), primary_key=True),  # SHA-256 (hex) of the cookie's id
    Column("owner", String(200), nullable=False),
    Column("scopes", String(64), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", t.TS, nullable=False),
    Column("expires_at", t.TS, nullable=False),
    Column("ended_at", t.TS),
)

web_preferences = Table(
    "web_preferences",
    t.metadata,
    Column("owner", String(200), primary_key=True),
    Column("locale", String(16), nullable=False),
)


@dataclass(frozen=True, slots=True)
class PasswordRow:
    owner: str
    secret_hash: str
    scopes: frozenset[str]
    set_at: datetime
    set_by: str


@dataclass(frozen=True, slots=True)
class SessionRow:
    owner: str
    scopes: frozenset[str]
    csrf: str
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    #: The owner's saved language (:func:`set_locale`), read with the session: a page
    #: needs both, and one statement costs less than two.
    locale: str | None = None

    def live(self, at: datetime) -> bool:
        return self.ended_at is None and at < self.expires_at


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def _scopes(text: str) -> frozenset[str]:
    return frozenset(text.split(",")) - {""}


def _key_id(secret_hash: str) -> str:
    """A public id of a password hash for the audit log: 16 hex of its SHA-256."""
    return hashlib.sha256(secret_hash.encode("ascii")).hexdigest()[:16]


def _audit(conn: Connection, owner: str, secret_hash: str, action: str, by: str) -> None:
    audit_log.append(conn, [KeyChanged(
        at=now(), actor=actor_of(by), owner=actor_of(owner), key_id=_key_id(secret_hash),
        purpose="web-password", action=action)])  # type: ignore[arg-type]


def set_password(conn: Connection, owner: str, secret_hash: str, scopes: frozenset[str],
                 at: datetime, by: str) -> None:
    """Set (or replace) ``owner``'s password; the sessions it opened before end."""
    old = find_password(conn, owner)
    conn.execute(delete(web_passwords).where(web_passwords.c.owner == owner))
    conn.execute(web_passwords.insert().values(
        owner=owner, secret_hash=secret_hash, scopes=",".join(sorted(scopes)),
        set_at=t.ts(at), set_by=by))
    end_sessions(conn, owner, at)
    _audit(conn, owner, secret_hash, "rotated" if old else "created", by)


def remove_password(conn: Connection, owner: str, at: datetime, by: str) -> None:
    old = find_password(conn, owner)
    if old is None:
        raise NotFound(tr("no web password for {owner!r}", owner=owner))
    conn.execute(delete(web_passwords).where(web_passwords.c.owner == owner))
    end_sessions(conn, owner, at)
    _audit(conn, owner, old.secret_hash, "revoked", by)


def find_password(conn: Connection, owner: str) -> PasswordRow | None:
    row = conn.execute(select(web_passwords).where(web_passwords.c.owner == owner)).first()
    if row is None:
        return None
    return PasswordRow(row.owner, row.secret_hash, _scopes(row.scopes), t.from_ts(row.set_at),
                       row.set_by)


def passwords(conn: Connection) -> list[PasswordRow]:
    rows = conn.execute(select(web_passwords.c.owner).order_by(web_passwords.c.owner))
    return [p for (owner,) in rows if (p := find_password(conn, owner)) is not None]


def open_session(conn: Connection, session_id: str, owner: str, scopes: frozenset[str],
                 csrf: str, at: datetime, expires_at: datetime) -> None:
    conn.execute(web_sessions.insert().values(
        digest=digest(session_id), owner=owner, scopes=",".join(sorted(scopes)), csrf=csrf,
        created_at=t.ts(at), expires_at=t.ts(expires_at), ended_at=None))


def _session_query(_: str) -> Any:
    w, p = web_sessions, web_preferences
    return (select(w.c.owner, w.c.scopes, w.c.csrf, w.c.created_at, w.c.expires_at,
                   w.c.ended_at, p.c.locale)
            .select_from(w.outerjoin(p, p.c.owner == w.c.owner))
            .where(w.c.digest == bindparam("digest", type_=String())))


def find_session(conn: Connection, session_id: str) -> SessionRow | None:
    """The session of this cookie value, with its owner's saved language; one statement,
    compiled once (``store/prepared.py``): every page reads it."""
    rows = prepared(conn, ("web-session",), _session_query).run(
        conn, {"digest": digest(session_id)})
    if not rows:
        return None
    owner, scopes, csrf, created_at, expires_at, ended_at, locale = rows[0]
    return SessionRow(owner, _scopes(scopes), csrf, t.from_ts(created_at),
                      t.from_ts(expires_at), t.from_ts(ended_at) if ended_at else None,
                      locale or None)


def end_session(conn: Connection, session_id: str, at: datetime) -> None:
    conn.execute(web_sessions.update().where(
        web_sessions.c.digest == digest(session_id), web_sessions.c.ended_at.is_(None)
    ).values(ended_at=t.ts(at)))


def end_sessions(conn: Connection, owner: str, at: datetime) -> None:
    """End every open session of ``owner`` (a password changed or was removed)."""
    conn.execute(web_sessions.update().where(
        web_sessions.c.owner == owner, web_sessions.c.ended_at.is_(None)
    ).values(ended_at=t.ts(at)))


def set_locale(conn: Connection, owner: str, locale: str) -> None:
    conn.execute(delete(web_preferences).where(web_preferences.c.owner == owner))
    conn.execute(web_preferences.insert().values(owner=owner, locale=locale))


def locale_of(conn: Connection, owner: str) -> str | None:
    found: Any = conn.execute(select(web_preferences.c.locale).where(
        web_preferences.c.owner == owner)).scalar()
    return str(found) if found else None


def owners(rows: Sequence[PasswordRow]) -> list[str]:
    return [r.owner for r in rows]
