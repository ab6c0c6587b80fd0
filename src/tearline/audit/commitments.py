"""Commitments to sensitive values, one key per entry: equal values do not link entries.

A search text or a deconfliction selector enters an entry only as a commitment. Under
one node-wide salt, equal texts would give equal commitments: anyone shown two entries
could tell that two searches were the same, and a unit could confirm another's search
by searching the same text and comparing. So each entry commits under its own key,

    key = HMAC-SHA256(node salt, kind ␟ at ␟ actor)
    commitment = HMAC-SHA256(key, UTF-8 value)

derived from the node's secret salt and the entry's own envelope: nothing is stored
beside the entry, and the holder of the salt (the node's oversight) can still confirm
which value an entry logged, from the entry alone (:func:`opens`). Without the salt
nobody can test guesses, and equal values in two entries give unrelated commitments
unless the same actor logged both at the same microsecond.

Entries written before per-entry keys committed under the node salt itself;
:func:`opens` accepts that form too (the log is append-only: they stay as written).
"""

from __future__ import annotations

import hmac

from tearline.audit.envelope import MIN_SALT_BYTES, Event, commit_value
from tearline.errors import ValidationError, tr

#: The field holding the commitment, per kind that has one.
COMMITTED = {"search.query": "query_commitment", "deconflict.query": "selector_commitment"}


def entry_key(salt: bytes, kind: str, at: str, actor: str) -> bytes:
    """The commitment key of the entry of ``kind`` logged ``at`` by ``actor``."""
    if len(salt) < MIN_SALT_BYTES:
        raise ValidationError(tr(
            "a commitment salt needs at least {MIN_SALT_BYTES} bytes",
            MIN_SALT_BYTES=MIN_SALT_BYTES))
    return hmac.new(salt, "\x1f".join((kind, at, actor)).encode("utf-8"), "sha256").digest()


def commit_in_entry(salt: bytes, kind: str, at: str, actor: str, value: str) -> str:
    """The commitment to ``value`` for the entry of ``kind`` logged ``at`` by ``actor``."""
    return commit_value(entry_key(salt, kind, at, actor), value)


def opens(salt: bytes, event: Event, value: str) -> bool:
    """Whether ``event``'s commitment is to ``value`` (for the holder of the node salt)."""
    name = COMMITTED.get(event.kind)
    if name is None:
        raise ValidationError(tr("a {kind} entry holds no commitment", kind=event.kind))
    logged = getattr(event, name)
    fresh = commit_in_entry(salt, event.kind, event.at, event.actor, value)
    return hmac.compare_digest(logged, fresh) or hmac.compare_digest(
        logged, commit_value(salt, value))
