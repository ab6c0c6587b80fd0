"""The audit log as the node publishes it to its callers: checkpoints and proofs.

Only checkpoints already signed are published (``tearline audit checkpoint``, the demo,
or a periodic job sign them; signing needs the node's private key, which a server need
not hold). A proof is always against a published checkpoint, so a client verifies it
with the node's verifier key alone — the documents are those of ``tearline audit
prove`` and ``prove-consistency`` (``docs/audit.md``).

What a caller learns:

* a checkpoint: the log's size and root hash — public by design, as in any
  transparency log; they reveal how many entries exist, nothing about any one;
* a consistency proof: interior hashes only;
* an inclusion proof: the entry itself, so it is given only for entries the caller
  may read *whole* through the policy — decided by :func:`audit_query.who_saw`, the
  rule of ``tearline audit log``, which also records the question. An entry the caller
  may not read, or may read only in a reduced form (whose leaf hash would commit to
  what was left out), answers exactly like an index the published log does not hold.

Every answer appends an ``audit.queried`` entry for the caller in the same transaction
(a refused question rolls back with its transaction, as a read of a missing record
leaves nothing: hidden and missing stay alike).

Known cost: deciding an inclusion proof scans the actor's entries about the record
from the entry's time on, as ``audit log --subject --since`` does; for an entry the
caller may not read, that scan runs to the end of the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from tearline.audit.checkpoint import Checkpoint, parse_note
from tearline.audit.events import AuditQueried, now
from tearline.errors import NotFound, ValidationError, tr
from tearline.policy.subject import Subject
from tearline.store import audit_checkpoints, audit_log, audit_query

#: How many same-time entries of one actor about one record :func:`inclusion` looks through.
_WINDOW = 1000


@dataclass(frozen=True, slots=True)
class Published:
    """A signed checkpoint as published: its size and the C2SP signed-note text."""

    size: int
    note: str


def _asked(conn: Connection, subject: Subject, entity_id: str | None, shown: int) -> None:
    who = str(subject)
    audit_log.append(conn, [AuditQueried(at=now(), actor=who, subject=who, entity_id=entity_id,
                                         result_count=shown)])


def _published(conn: Connection, size: int | None) -> Published:
    note = audit_checkpoints.latest(conn) if size is None else audit_checkpoints.note_at(
        conn, size)
    if note is None:
        raise NotFound("no signed checkpoint" + ("" if size is None else f" at size {size}"))
    return Published(Checkpoint.from_body(parse_note(note).text).size, note)


def checkpoint(conn: Connection, subject: Subject, size: int | None = None) -> Published:
    """The latest published checkpoint, or the one at ``size``; :class:`NotFound` if none."""
    found = _published(conn, size)
    _asked(conn, subject, None, 0)
    return found


def inclusion(conn: Connection, subject: Subject, at: datetime, index: int,
              size: int | None = None) -> dict[str, object]:
    """An inclusion proof of entry ``index`` in the published checkpoint at ``size`` (latest).

    The document is the one ``tearline audit prove`` writes.
    """
    published = _published(conn, size)
    hidden = NotFound(tr(
        "no audit entry {index} visible to you in the log of size {size}",
        index=index, size=published.size))
    if not 0 <= index < published.size:
        raise hidden
    entry = audit_log.entry(conn, index)
    # The rule of `tearline audit log`, asked about this entry's record, actor and time
    # (who_saw records the question itself).
    seen = audit_query.who_saw(conn, subject, at, entry.entity_id, entry.actor, entry.at,
                               _WINDOW)
    if not any(e.index == index for e in seen):  # a reduced form has no index
        raise hidden
    proof = audit_log.inclusion_proof(conn, index, published.size)
    return {"type": "inclusion", "index": index, "size": published.size,
            "entry": entry.body.decode("utf-8"), "leaf_hash": entry.leaf.hex(),
            "proof": [h.hex() for h in proof], "checkpoint": published.note}


def consistency(conn: Connection, subject: Subject, old: int,
                new: int | None = None) -> dict[str, object]:
    """A consistency proof between two published checkpoints (``new``: the latest).

    The document is the one ``tearline audit prove-consistency`` writes.
    """
    newer = _published(conn, new)
    if old > newer.size:
        raise ValidationError(tr(
            "the old size {old} is larger than the new size {size}", old=old, size=newer.size))
    older = _published(conn, old)
    proof = audit_log.consistency_proof(conn, older.size, newer.size)
    _asked(conn, subject, None, 0)
    return {"type": "consistency", "old_size": older.size, "new_size": newer.size,
            "proof": [h.hex() for h in proof], "old_checkpoint": older.note,
            "new_checkpoint": newer.note}
