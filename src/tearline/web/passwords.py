"""Passwords the node's administrator sets for analysts (Argon2id), and checking them.

Only the hash is stored (``store/web_accounts.py``). A wrong password, and a name that
has no password, cost the same Argon2 verification and get the same refusal, so a
sign-in attempt tells nothing about which names have one.
"""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from tearline.errors import ValidationError, tr
from tearline.store import Store, web_accounts

SCOPES = frozenset({"read", "write", "admin"})
_hasher = PasswordHasher()
#: Verified against when a name has no password, so that both take as long.
_DUMMY = _hasher.hash("tearline: no password is set for this name")


def set_password(store: Store, owner: str, password: str, scopes: frozenset[str],
                 at: datetime, by: str, min_chars: int = 12) -> None:
    """Set ``owner``'s password (an analyst ``name@unit`` or a unit); ends their sessions."""
    store.subject(owner)  # the owner must exist: NotFound / ValidationError otherwise
    if len(password) < min_chars:
        raise ValidationError(tr("a password has at least {n} characters", n=min_chars))
    if not scopes or not scopes <= SCOPES:
        raise ValidationError(tr("scopes are among read, write and admin (at least one)"))
    with store.transaction() as conn:
        web_accounts.set_password(conn, owner, _hasher.hash(password), scopes, at, by)


def check_password(store: Store, owner: str, password: str) -> frozenset[str] | None:
    """The scopes of ``owner``'s password if ``password`` is it; ``None`` otherwise."""
    with store.reading() as conn:
        row = web_accounts.find_password(conn, owner[:200])
    ok: bool
    try:
        ok = _hasher.verify(row.secret_hash if row else _DUMMY, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    return row.scopes if ok and row is not None else None
