"""The witness's side of witnessing: every sync first checks and cosigns the peer's log.

Before a sync pulls anything from a tearline peer, :func:`witness`

1. asks the peer for its latest checkpoint and a consistency proof from the last
   checkpoint of that peer we cosigned (``GET {root}tearline/checkpoint/?from=N``; the
   answer is signed for our nonce like every other answer of the peer);
2. checks it with the pure core (:func:`tearline.audit.witness.cosign`): the peer's
   signature with the verifier key we registered for it, and — unless this is the
   first checkpoint we see of it, which is trusted as it is — the proof from what we
   cosigned. The same size with another root, a smaller size, or a proof that fails is
   a **split view**: the peer showed us a history that does not extend the one it
   showed us before (and, since every peer witnesses it, a history other peers may not
   have seen). We audit it (``checkpoint.refused``, reason ``split-view``), do not
   cosign, and raise :class:`SplitViewError`, which stops the sync before anything is
   pulled or stored;
3. otherwise keeps the new witness state (store/audit_checkpoints.py, table
   ``audit_witnessed``, the last row per origin) and a ``checkpoint.cosigned`` entry in
   one transaction, and only then sends the cosigned note back
   (``POST {root}tearline/cosignatures/``), so a cosignature never leaves without the
   state that it commits us to.

**One direction per sync.** A sync witnesses the log of the node it pulls from; it
does not hand our checkpoint to the peer for cosigning. Federation is mutual — each
node pulls from each of its peers — so the peer witnesses our log when it syncs from
us, with the same code and its own state. A server that cosigned whatever a client
pushed to it would let any caller make it write witness state, and a peer that only
serves would never witness anything anyway.

The witness state is kept per log key (the id of the peer's verifier key, which names
both the key's name and its public half), so two peers whose keys carry the same name
are two logs; the checkpoint's origin must be the key's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from tearline.audit.checkpoint import Checkpoint, parse_note
from tearline.audit.events import CheckpointCosigned, CheckpointRefused, FederationRefused, now
from tearline.audit.note import parse_verifier_key
from tearline.audit.witness import cosign, log_id
from tearline.errors import ConfigError, PeerError, ProofError, SplitViewError, tr
from tearline.federation.client import TaxiiClient
from tearline.keys import NodeKey
from tearline.store import Store, audit_checkpoints, audit_log

CHECKPOINT_PATH = "tearline/checkpoint/"
COSIGNATURES_PATH = "tearline/cosignatures/"
CHECKPOINT_TYPE = "tearline-checkpoint"
COSIGNATURE_TYPE = "tearline-cosignature"
VERSION = 1
_HEX32 = re.compile(r"[0-9a-f]{64}")
#: A consistency proof has at most about 2·log2(n) hashes; far more is not a proof.
MAX_PROOF = 128


class WitnessedPeer(Protocol):
    """What witnessing needs of a peer: its node name and its C2SP verifier key
    (:class:`tearline.store.peers.Peer` and :class:`tearline.federation.partners.Partner`)."""

    @property
    def name(self) -> str: ...

    @property
    def verifier_key(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Witnessed:
    """What one witnessing step did."""

    peer: str
    size: int
    root: str  # hex
    previous_size: int | None  # the size we had cosigned before; None: first checkpoint
    cosigned_now: bool  # False: the same checkpoint as last time (cosignature resent)


@dataclass(frozen=True, slots=True)
class _Answer:
    note: str
    checkpoint: Checkpoint
    proof: tuple[bytes, ...]


def _refuse(store: Store, peer: WitnessedPeer, witness: str, checkpoint: Checkpoint,
            reason: Literal["split-view", "bad-signature"]) -> None:
    with store.transaction() as conn:
        audit_log.append(conn, [CheckpointRefused(
            at=now(), actor=witness, log=f"node:{peer.name}", witness=witness,
            size=checkpoint.size, root=checkpoint.root.hex(), reason=reason)])


def _refuse_answer(store: Store, peer: WitnessedPeer, reason: Literal["malformed"]) -> None:
    """A signed answer out of shape: audited as the sync audits any other
    (``federation.refused``)."""
    with store.transaction() as conn:
        audit_log.append(conn, [FederationRefused(
            at=now(), actor="system", peer=f"node:{peer.name}", collection=None,
            object_id=None, originator=None, reason=reason)])


def _parse(doc: dict[str, Any], origin: str, from_size: int) -> _Answer:
    """The checkpoint answer's parts; :class:`PeerError` for anything out of shape."""
    note, proof = doc.get("checkpoint"), doc.get("consistency")
    if (doc.get("type") != CHECKPOINT_TYPE or doc.get("version") != VERSION
            or not isinstance(note, str) or not isinstance(proof, list)
            or len(proof) > MAX_PROOF
            or not all(isinstance(h, str) and _HEX32.fullmatch(h) for h in proof)):
        raise PeerError(tr(
            "malformed checkpoint answer: expected type, version, checkpoint and consistency (a "
            "list of hex hashes)"))
    try:
        checkpoint = Checkpoint.from_body(parse_note(note).text)
    except ProofError as exc:
        raise PeerError(tr("malformed checkpoint: {message}", message=exc.message)) from exc
    if checkpoint.origin != origin:
        raise PeerError(tr(
            "the checkpoint is of log {origin!r}, not the peer's log {origin2!r}",
            origin=checkpoint.origin, origin2=origin))
    if doc.get("from") != from_size or doc.get("size") != checkpoint.size:
        raise PeerError(tr(
            "the checkpoint answer is not for our question (from {from_size})",
            from_size=from_size))
    return _Answer(note, checkpoint, tuple(bytes.fromhex(h) for h in proof))


def witness(store: Store, client: TaxiiClient, peer: WitnessedPeer, node_key: NodeKey,
            *, node_name: str | None = None, root: str | None = None) -> Witnessed:
    """Check ``peer``'s latest checkpoint against the last one we cosigned, then cosign it.

    ``node_name`` is our node's name (audit party ``node:<name>``; default the key
    name); ``root`` the peer's API root (default: the first its discovery lists).
    Raises :class:`SplitViewError` for a split view, :class:`ProofError` for a
    checkpoint the peer's key did not sign, :class:`IntegrityError` for an answer not
    signed for our nonce and :class:`PeerError` for one out of shape (or when the peer
    cannot be reached). The first two are audited here as ``checkpoint.refused``, an
    answer out of shape as ``federation.refused`` (``malformed``); an answer that does
    not verify is audited by the caller (the sync: ``federation.refused``,
    ``unverified``), as every other such answer. Nothing is cosigned.
    """
    if not peer.verifier_key:
        raise ConfigError(tr(
            "peer {name} has no verifier key: it cannot be witnessed", name=peer.name))
    log_name, log_key = parse_verifier_key(peer.verifier_key)
    me = f"node:{node_name or node_key.name}"
    log = log_id(log_name, log_key)
    with store.reading() as conn:
        state = audit_checkpoints.witness_state(conn, log_name, log_key)
    last = state.last(log)
    from_size = 0 if last is None else last.size
    base = root or client.api_roots()[0]
    base = base if base.endswith("/") else base + "/"
    # An answer not signed for our nonce raises IntegrityError; the sync audits it
    # (federation.refused, unverified) as it does every answer that does not verify.
    doc = client.get_json(f"{base}{CHECKPOINT_PATH}?from={from_size}")
    try:
        answer = _parse(doc, log_name, from_size)
    except PeerError:
        _refuse_answer(store, peer, "malformed")
        raise
    try:
        new_state, cosigned = cosign(state, answer.note, log_key, answer.proof,
                                     node_key.name, node_key.private_key, log_name)
    except SplitViewError as exc:
        _refuse(store, peer, me, answer.checkpoint, "split-view")
        raise SplitViewError(
            tr(
                "peer {name} showed a split view of its audit log: not cosigned, sync stopped, "
                "nothing pulled.\n{message}", name=peer.name, message=exc.message)) from exc
    except ProofError as exc:
        _refuse(store, peer, me, answer.checkpoint, "bad-signature")
        raise ProofError(tr(
            "peer {name}'s checkpoint does not verify with its key: {message}",
            name=peer.name, message=exc.message)) from exc
    cosigned_now = new_state.last(log) != last
    if cosigned_now:
        with store.transaction() as conn:
            # Checked again against the state inside the transaction: a concurrent run
            # cannot make us cosign two incompatible checkpoints.
            audit_checkpoints.witness(conn, answer.note, log_key, answer.proof,
                                      node_key.name, node_key.private_key, log_name)
            audit_log.append(conn, [CheckpointCosigned(
                at=now(), actor=me, log=f"node:{peer.name}", witness=me,
                size=answer.checkpoint.size, root=answer.checkpoint.root.hex())])
    # Sent also when unchanged: the peer keeps one copy, and a cosignature lost on the
    # way last time arrives now (Ed25519 is deterministic: the same note, byte for byte).
    client.post(base + COSIGNATURES_PATH,
                {"type": COSIGNATURE_TYPE, "version": VERSION, "note": cosigned})
    return Witnessed(peer.name, answer.checkpoint.size, answer.checkpoint.root.hex(),
                     None if last is None else last.size, cosigned_now)
