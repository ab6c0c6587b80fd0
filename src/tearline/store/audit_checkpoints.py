"""Signed checkpoints of the stored log, cosignatures, and this node's witness state.

A checkpoint is signed once per size and kept (append-only); signing the same size
again returns the stored note. As a witness of partners' logs, the node keeps every
checkpoint it cosigned; the last one per log key (the hex C2SP key id, which names the
key and its public half, so two logs whose keys share a name are two logs) is the state
the pure :func:`tearline.audit.witness.cosign` checks against. Rows written before the
key id was kept (migration 0021) are attributed to a key by checking the stored note's
signature with it. The new state is written in
the transaction that produces the cosignature, so a cosignature never leaves
without its state being durable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, func, select

from tearline.audit.checkpoint import Checkpoint, parse_note, sign_note, verify_note
from tearline.audit.witness import WitnessState, cosign, log_id
from tearline.errors import ProofError
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


def cosignatures(conn: Connection, size: int) -> list[tuple[str, str, str]]:
    """(witness, cosigned note, recorded at) of every witness that cosigned our checkpoint
    at ``size``, by witness name. Public as the checkpoint is: they hold its size and root."""
    c = at.audit_cosignatures.c
    return [(str(w), str(n), str(r)) for w, n, r in conn.execute(
        select(c.witness, c.note, c.recorded_at).where(c.size == size).order_by(c.witness))]


def add_cosigned(conn: Connection, witness: str, cosigned_note: str) -> None:
    """Keep a witness's cosigned note of one of our checkpoints."""
    checkpoint = Checkpoint.from_body(parse_note(cosigned_note).text)
    conn.execute(
        at.audit_cosignatures.insert().values(
            size=checkpoint.size, witness=witness, note=cosigned_note,
            recorded_at=ts(datetime.now(UTC)),
        )
    )


def witness_state(conn: Connection, log_key_name: str,
                  log_public_key: Ed25519PublicKey) -> WitnessState:
    """The state for one log: the last checkpoint cosigned of the log with this key."""
    w = at.audit_witnessed.c
    log = log_id(log_key_name, log_public_key)
    note = conn.execute(
        select(w.note).where(w.log_key_id == log).order_by(w.seq.desc()).limit(1)
    ).scalar_one_or_none()
    if note is None:
        note = _legacy_note(conn, log_key_name, log_public_key)
    if note is None:
        return WitnessState()
    return WitnessState({log: Checkpoint.from_body(parse_note(note).text)})


def last_witnessed(conn: Connection, log_key_name: str,
                   log_public_key: Ed25519PublicKey) -> Checkpoint | None:
    """The last checkpoint cosigned of the log with this key (None: never witnessed)."""
    return witness_state(conn, log_key_name, log_public_key).last(
        log_id(log_key_name, log_public_key))


def _legacy_note(conn: Connection, log_key_name: str,
                 log_public_key: Ed25519PublicKey) -> str | None:
    """The newest row from before migration 0021 that this key signed, if any: only
    the signature tells which of the logs sharing an origin name a row was about."""
    w = at.audit_witnessed.c
    rows = conn.execute(
        select(w.note).where(w.log_key_id.is_(None), w.origin == log_key_name)
        .order_by(w.seq.desc())
    ).scalars()
    for note in rows:
        try:
            verify_note(str(note), log_key_name, log_public_key)
        except ProofError:
            continue
        return str(note)
    return None


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
    checkpoint = Checkpoint.from_body(parse_note(signed_note).text)
    name = checkpoint.origin if log_key_name is None else log_key_name
    state = witness_state(conn, name, log_public_key)
    new_state, cosigned = cosign(
        state, signed_note, log_public_key, consistency_proof, witness_name, witness_key,
        name,
    )
    log = log_id(name, log_public_key)
    assert new_state.last(log) == checkpoint
    conn.execute(
        at.audit_witnessed.insert().values(
            origin=checkpoint.origin, size=checkpoint.size, root=checkpoint.root,
            note=cosigned, recorded_at=ts(datetime.now(UTC)), log_key_id=log,
        )
    )
    return cosigned
