"""Witnessing: a partner cosigns a log's checkpoint only if it extends what it cosigned.

A log that showed one history to one partner and another to a second would be caught
as soon as the two compare checkpoints — unless each partner only ever sees its own
branch. A witness closes that gap: it remembers, per log key, the last checkpoint it
cosigned, and cosigns a new one only after a consistency proof shows the new tree
extends the old one. A log can then fork only by getting the fork past every witness.

The state is keyed by the log's key id (C2SP: a hash of the key name and the public
key), not by the origin line alone: two logs whose keys carry the same name (two nodes
set up on machines with the same host name) are two logs, and comparing one's
checkpoints with the other's would be a false split-view alarm.

Everything here is pure: the witness state is a value passed in and returned, and
persisting it (atomically, before the cosigned note leaves the witness) is the
caller's job.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tearline.audit.checkpoint import Checkpoint, add_cosignature, parse_note, verify_note
from tearline.audit.note import key_id
from tearline.audit.proof_check import verify_consistency
from tearline.errors import ProofError, SplitViewError


@dataclass(frozen=True, slots=True)
class WitnessState:
    """The last checkpoint cosigned, per log key (its :func:`log_id`)."""

    cosigned: Mapping[str, Checkpoint] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cosigned", MappingProxyType(dict(self.cosigned)))

    def last(self, log: str) -> Checkpoint | None:
        return self.cosigned.get(log)

    def with_checkpoint(self, log: str, checkpoint: Checkpoint) -> WitnessState:
        return WitnessState({**self.cosigned, log: checkpoint})


def log_id(key_name: str, public_key: Ed25519PublicKey) -> str:
    """The key a witness keeps a log's state under: the hex C2SP key id of the log's key."""
    return key_id(key_name, public_key).hex()


@dataclass(frozen=True, slots=True)
class SplitView:
    """Evidence that one log showed two incompatible trees."""

    first: Checkpoint
    second: Checkpoint
    reason: str

    def message(self) -> str:
        return (
            f"SPLIT VIEW of log {self.first.origin}: {self.reason}\n"
            f"  seen: {self.first.describe()}\n"
            f"  seen: {self.second.describe()}"
        )


def find_split_view(
    first: Checkpoint, second: Checkpoint, proof: Sequence[bytes] = ()
) -> SplitView | None:
    """Compare two checkpoints of one origin; ``proof`` goes from the smaller to the larger.

    Same size and different roots is a split view whatever the proof. Different sizes
    are a split view when the consistency proof between them fails — the log must be
    able to prove any two of its own checkpoints consistent, so a log that cannot is
    treated as forked. Returns ``None`` when the two are compatible.
    """
    if first.origin != second.origin:
        raise ValueError(f"checkpoints of two logs: {first.origin} and {second.origin}")
    if first.size == second.size:
        if first.root != second.root:
            return SplitView(first, second, f"two different roots for size {first.size}")
        return None
    old, new = (first, second) if first.size < second.size else (second, first)
    try:
        verify_consistency(old.size, new.size, old.root, new.root, proof)
    except ProofError as exc:
        return SplitView(first, second, f"no valid consistency proof ({exc.message})")
    return None


def check_views(first: Checkpoint, second: Checkpoint, proof: Sequence[bytes] = ()) -> None:
    """Raise :class:`SplitViewError` (with both checkpoints) if the two are incompatible."""
    split = find_split_view(first, second, proof)
    if split is not None:
        raise SplitViewError(split.message())


def cosign(
    state: WitnessState,
    signed_note: str,
    log_public_key: Ed25519PublicKey,
    consistency_proof: Sequence[bytes],
    witness_name: str,
    witness_key: Ed25519PrivateKey,
    log_key_name: str | None = None,
) -> tuple[WitnessState, str]:
    """Check a log's checkpoint against the last one cosigned, then cosign it.

    ``log_key_name`` defaults to the checkpoint's origin (the tlog-checkpoint
    convention). Raises :class:`ProofError` when the log's signature does not verify,
    and :class:`SplitViewError` — never cosigning — for a smaller size, a different
    root at the same size, or a failing consistency proof from the last cosigned
    checkpoint. The first checkpoint seen from a log key is trusted as it is.
    """
    claimed = Checkpoint.from_body(parse_note(signed_note).text)
    name = claimed.origin if log_key_name is None else log_key_name
    checkpoint = verify_note(signed_note, name, log_public_key)
    log = log_id(name, log_public_key)
    last = state.last(log)
    if last is not None:
        if checkpoint.size < last.size:
            raise SplitViewError(
                SplitView(last, checkpoint, "the log went back to a smaller size").message()
            )
        check_views(last, checkpoint, consistency_proof)
    cosigned = add_cosignature(signed_note, witness_name, witness_key)
    return state.with_checkpoint(log, checkpoint), cosigned
