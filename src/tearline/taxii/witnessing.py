"""The log's side of witnessing: serve our checkpoint with a proof, accept cosignatures.

A peer that pulls from us witnesses our audit log (:mod:`tearline.federation.witnessing`
is its side). It asks ``GET {root}tearline/checkpoint/?from=N`` with N the size of the
last checkpoint of ours it cosigned, and receives::

    {"type": "tearline-checkpoint", "version": 1, "checkpoint": <signed note>,
     "from": N, "size": n, "consistency": [<hex hash>, ...]}

— our latest checkpoint (signed now if the log grew since the last one, and kept) and
the RFC 9162 consistency proof from size N to it. When N exceeds our log, no proof can
exist; the answer then carries an empty proof instead of an error, so that the
witness, not us, decides: a log smaller than what it cosigned is a split view.

The witness answers ``POST {root}tearline/cosignatures/`` with the same note, cosigned.
The note authenticates itself (our signature and the peer's), so the body is not a
signed document around it. We keep it only if our signature verifies, we signed that
very checkpoint (same size, same root), and the cosignature verifies with the peer's
verifier key; every outcome is audited (``checkpoint.cosigned`` or
``checkpoint.refused``), and a refusal is a typed error, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tearline.audit.checkpoint import Checkpoint, parse_note, verify_note
from tearline.audit.events import CheckpointCosigned, CheckpointRefused, now
from tearline.audit.note import parse_verifier_key
from tearline.errors import IntegrityError, ProofError, StoreError, ValidationError, tr
from tearline.federation.jsonbody import decode_object
from tearline.keys import NodeKey
from tearline.store import Peer, Store, audit_checkpoints, audit_log

CHECKPOINT_TYPE = "tearline-checkpoint"
COSIGNATURE_TYPE = "tearline-cosignature"
VERSION = 1
#: A cosigned note is a few hundred bytes; anything far larger is not one.
MAX_NOTE = 16 * 1024


def parse_from(values: list[str] | None) -> int:
    """The ``from`` parameter: absent means 0 (a witness that never cosigned)."""
    if not values:
        return 0
    if len(values) > 1:
        raise ValidationError(tr("give `from` once"))
    text = values[0]
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        raise ValidationError(tr(
            "`from` must be a tree size (a decimal number), not {text!r}", text=text))
    return int(text)


def checkpoint_answer(store: Store, key: NodeKey, from_size: int) -> dict[str, Any]:
    """Our latest checkpoint (signed and kept if new) and a consistency proof from
    ``from_size``; see the module docstring for the shape."""
    for attempt in (1, 2):
        try:
            with store.transaction() as conn:
                note = audit_checkpoints.sign(conn, key.name, key.private_key)
                checkpoint = Checkpoint.from_body(parse_note(note).text)
                # Explicit sizes: the nodes of a tree of size n never change, so the proof
                # holds even if the log grows while we compute it.
                proof = (audit_log.consistency_proof(conn, from_size, checkpoint.size)
                         if from_size <= checkpoint.size else [])
            break
        except StoreError:
            # Two requests signing the same new size at once: one insert loses the
            # race on the primary key; the second attempt finds the stored note.
            if attempt == 2:
                raise
    return {"type": CHECKPOINT_TYPE, "version": VERSION, "checkpoint": note,
            "from": from_size, "size": checkpoint.size,
            "consistency": [h.hex() for h in proof]}


@dataclass(frozen=True, slots=True)
class Accepted:
    size: int
    root: bytes
    new: bool  # False: the same cosignature was already kept


def _refuse(store: Store, log: str, peer: Peer, checkpoint: Checkpoint | None,
            reason: Literal["bad-signature", "unknown-checkpoint", "malformed"]) -> None:
    with store.transaction() as conn:
        audit_log.append(conn, [CheckpointRefused(
            at=now(), actor=peer.party, log=log, witness=peer.party,
            size=None if checkpoint is None else checkpoint.size,
            root=None if checkpoint is None else checkpoint.root.hex(), reason=reason)])


def _note_of(body: bytes) -> str:
    doc = decode_object(body, "a cosignature")
    if (doc.get("type") != COSIGNATURE_TYPE
            or doc.get("version") != VERSION or not isinstance(doc.get("note"), str)):
        raise ValidationError(tr(
            "expected {{type: {COSIGNATURE_TYPE}, version: {VERSION}, note: <cosigned "
            "checkpoint>}}", COSIGNATURE_TYPE=COSIGNATURE_TYPE, VERSION=VERSION))
    note: str = doc["note"]
    if len(note) > MAX_NOTE:
        raise ValidationError(tr("the cosigned note is too large"))
    return note


def record_cosignature(store: Store, key: NodeKey, node_name: str, peer: Peer,
                       body: bytes) -> Accepted:
    """Keep ``peer``'s cosignature of one of our checkpoints, or audit and raise.

    ``node_name`` is our node's name (the audit party ``node:<name>`` of the log).

    :class:`ValidationError` for something that is not a cosigned checkpoint;
    :class:`IntegrityError` for a checkpoint we never signed or a cosignature that does
    not verify with the peer's key (both 400, as for a receipt that does not verify).
    """
    log = f"node:{node_name}"
    checkpoint: Checkpoint | None = None
    try:
        note = _note_of(body)
        try:
            checkpoint = Checkpoint.from_body(parse_note(note).text)
        except ProofError as exc:
            raise ValidationError(tr("not a checkpoint: {message}", message=exc.message)) from exc
    except ValidationError:
        _refuse(store, log, peer, None, "malformed")
        raise
    try:
        verify_note(note, key.name, key.public_key)
        with store.reading() as conn:
            ours = audit_checkpoints.note_at(conn, checkpoint.size)
        if ours is None or Checkpoint.from_body(parse_note(ours).text) != checkpoint:
            raise ProofError(tr("we never signed {describe}", describe=checkpoint.describe()))
    except ProofError as exc:
        _refuse(store, log, peer, checkpoint, "unknown-checkpoint")
        raise IntegrityError(tr("not our checkpoint: {message}", message=exc.message)) from exc
    try:
        name, public_key = parse_verifier_key(peer.verifier_key)
        verify_note(note, name, public_key)
    except ProofError as exc:
        _refuse(store, log, peer, checkpoint, "bad-signature")
        raise IntegrityError(tr(
            "not cosigned by {name}: {message}", name=peer.name, message=exc.message)) from exc
    with store.transaction() as conn:
        kept = audit_checkpoints.cosignature(conn, checkpoint.size, peer.name)
        if kept is None:
            audit_checkpoints.add_cosigned(conn, peer.name, note)
            audit_log.append(conn, [CheckpointCosigned(
                at=now(), actor=peer.party, log=log, witness=peer.party,
                size=checkpoint.size, root=checkpoint.root.hex())])
    # Ed25519 signatures are deterministic: a repeated cosignature is the same note, and
    # another valid one for the same checkpoint adds nothing; either way, one is kept.
    return Accepted(checkpoint.size, checkpoint.root, kept is None)
