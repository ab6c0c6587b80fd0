"""Signed checkpoints of the stored log, cosignatures, and this node's witness state.

A checkpoint is signed once per size and kept (append-only); signing the same size
again returns the stored note. As a witness of partners' logs, the node keeps every
checkpoint it cosigned; the last one per origin is the state the pure
:func:`tearline.audit.witness.cosign` checks against. The new state is written in
the transaction that produces the cosignature, so a cosignature never leaves
without its state being durable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, func, select

from tearline.audit.checkpoint import Checkpoint, parse_note, sign_note
from tearline.audit.witness import WitnessState, cosign
from tearline.store import audit_log
from tearline.store import audit_tables as at
from tearline.store.tables import ts


def sign(conn: Connection, name: str, key: Ed25519PrivateKey, size: int | None = None) -> str:
    """The signed checkpoint of the log at ``size`` (default: now), stored once."""
    n, root = audit_log.root(conn, size)
    stored = note_at(conn, n)
    if stored is not None:
        return stored
    note = sign_note(Checkpoint(name, n, root), name, key)
    conn.execute(
        at.audit_checkpoints.insert().values(
            size=n, root=root, note=note, signed_at=ts(datetime.now(UTC))
        )
    )
    return note


def note_at(conn: Connection, size: int) -> str | None:
    c = at.audit_checkpoints.c
    return conn.execute(select(c.note).where(c.size == size)).scalar_one_or_none()


def latest(conn: Connection) -> str | None:
    c = at.audit_checkpoints.c
    newest = select(func.max(c.size)).scalar_subquery()
    return conn.execute(select(c.note).where(c.size == newest)).scalar_one_or_none()


def cosignature(conn: Connection, size: int, witness: str) -> str | None:
    """The note ``witness`` cosigned of our checkpoint at ``size``, if one is kept."""
    c = at.audit_cosignatures.c
    return conn.execute(select(c.note).where(c.size == size, c.witness == witness)
                        ).scalar_one_or_none()


def add_cosigned(conn: Connection, witness: str, cosigned_note: str) -> None:
    """Keep a witness's cosigned note of one of our checkpoints."""
    checkpoint = Checkpoint.from_body(parse_note(cosigned_note).text)
    conn.execute(
        at.audit_cosignatures.insert().values(
            size=checkpoint.size, witness=witness, note=cosigned_note,
            recorded_at=ts(datetime.now(UTC)),
        )
    )


def witness_state(conn: Connection) -> WitnessState:
    """The last checkpoint cosigned for each origin."""
    w = at.audit_witnessed.c
    newest = select(func.max(w.seq)).group_by(w.origin)
    rows = conn.execute(select(w.note).where(w.seq.in_(newest))).scalars()
    return WitnessState(
        {cp.origin: cp for cp in (Checkpoint.from_body(parse_note(n).text) for n in rows)}
    )


def witness(
    conn: Connection,
    signed_note: str,
    log_public_key: Ed25519PublicKey,
    consistency_proof: Sequence[bytes],
    witness_name: str,
    witness_key: Ed25519PrivateKey,
    log_key_name: str | None = None,
) -> str:
    """Cosign a partner's checkpoint if it extends the last one cosigned; persist the state.

    Raises :class:`SplitViewError` (and stores nothing) when it does not.
    """
    state = witness_state(conn)
    new_state, cosigned = cosign(
        state, signed_note, log_public_key, consistency_proof, witness_name, witness_key,
        log_key_name,
    )
    checkpoint = Checkpoint.from_body(parse_note(signed_note).text)
    assert new_state.last(checkpoint.origin) == checkpoint
    conn.execute(
        at.audit_witnessed.insert().values(
            origin=checkpoint.origin, size=checkpoint.size, root=checkpoint.root,
            note=cosigned, recorded_at=ts(datetime.now(UTC)),
        )
    )
    return cosigned
