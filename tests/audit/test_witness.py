"""Witnessing: cosign only what extends the last cosigned checkpoint; catch forked logs."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tearline.audit.checkpoint import Checkpoint, parse_note, sign_note, verify_note
from tearline.audit.memory_tree import MemoryTree
from tearline.audit.witness import WitnessState, check_views, cosign, find_split_view, log_id
from tearline.errors import ProofError, SplitViewError

ORIGIN = "tearline.example/us.dea/audit"
LOG = Ed25519PrivateKey.from_private_bytes(b"\x01" * 32)
WITNESS = Ed25519PrivateKey.from_private_bytes(b"\x02" * 32)
WITNESS_NAME = "witness.example/mx.semar"
LOG_ID = log_id(ORIGIN, LOG.public_key())


def entries(count: int, tag: bytes = b"") -> list[bytes]:
    return [b"entry %d" % i + tag for i in range(count)]


def forked_logs() -> tuple[MemoryTree, MemoryTree]:
    """Two logs that share 20 entries, then differ: what a node shows two partners."""
    honest, forked = MemoryTree(), MemoryTree()
    honest.extend(entries(30))
    forked.extend(entries(20) + entries(10, b" (rewritten)"))
    return honest, forked


def signed(tree: MemoryTree, size: int | None = None) -> str:
    size = tree.size if size is None else size
    return sign_note(Checkpoint(ORIGIN, size, tree.root(size)), ORIGIN, LOG)


def witness(state: WitnessState, note: str, proof: list[bytes]) -> tuple[WitnessState, str]:
    return cosign(state, note, LOG.public_key(), proof, WITNESS_NAME, WITNESS)


def test_a_growing_log_is_cosigned_step_by_step() -> None:
    log = MemoryTree()
    state = WitnessState()
    for size in (0, 1, 7, 8, 20, 33):
        old = state.last(LOG_ID)
        log.extend(entries(size)[log.size :])
        proof = log.consistency_proof(0 if old is None else old.size)
        state, cosigned = witness(state, signed(log), proof)
        assert verify_note(cosigned, WITNESS_NAME, WITNESS.public_key()).size == size
        assert verify_note(cosigned, ORIGIN, LOG.public_key()).root == log.root()
        assert state.last(LOG_ID) == Checkpoint(ORIGIN, size, log.root())
    # The same checkpoint again is fine (idempotent); the state is a value, not shared.
    again, _ = witness(state, signed(log), [])
    assert again == state and again is not state


def test_same_size_different_root_is_a_split_view() -> None:
    honest, forked = forked_logs()
    state, _ = witness(WitnessState(), signed(honest), [])
    with pytest.raises(SplitViewError) as caught:
        witness(state, signed(forked), [])
    message = caught.value.message
    assert "SPLIT VIEW" in message and "size 30" in message
    assert honest.root().hex() in message and forked.root().hex() in message


def test_an_extension_of_the_other_branch_is_a_split_view_and_never_cosigned() -> None:
    honest, forked = forked_logs()
    state, _ = witness(WitnessState(), signed(honest, 25), honest.consistency_proof(0, 25))
    forked.extend(entries(5, b" later"))
    # The forked log can only offer proofs from its own history.
    with pytest.raises(SplitViewError, match="no valid consistency proof"):
        witness(state, signed(forked), forked.consistency_proof(25))
    # Nor does the honest log's proof fit the forked head.
    with pytest.raises(SplitViewError):
        witness(state, signed(forked), honest.consistency_proof(25))
    assert state.last(LOG_ID) == Checkpoint(ORIGIN, 25, honest.root(25))


def test_a_smaller_size_is_a_split_view() -> None:
    honest, _ = forked_logs()
    state, _ = witness(WitnessState(), signed(honest), [])
    with pytest.raises(SplitViewError, match="smaller size"):
        witness(state, signed(honest, 29), [])


def test_a_bad_log_signature_is_a_proof_error_not_a_cosignature() -> None:
    honest, _ = forked_logs()
    intruder = Ed25519PrivateKey.generate()
    note = sign_note(Checkpoint(ORIGIN, 30, honest.root()), ORIGIN, intruder)
    with pytest.raises(ProofError):
        witness(WitnessState(), note, [])


def test_find_split_view_between_two_observed_checkpoints() -> None:
    honest, forked = forked_logs()
    a = Checkpoint(ORIGIN, 30, honest.root())
    b = Checkpoint(ORIGIN, 30, forked.root())
    assert find_split_view(a, a) is None
    assert find_split_view(a, b) is not None
    small = Checkpoint(ORIGIN, 20, honest.root(20))
    assert find_split_view(small, b, forked.consistency_proof(20)) is None  # shared prefix
    old_honest = Checkpoint(ORIGIN, 25, honest.root(25))
    assert find_split_view(old_honest, b, forked.consistency_proof(25)) is not None
    check_views(b, small, forked.consistency_proof(20))
    with pytest.raises(SplitViewError):
        check_views(b, old_honest, forked.consistency_proof(25))
    with pytest.raises(ValueError):
        find_split_view(a, Checkpoint("other.example/log", 30, honest.root()))


def test_cosigned_note_keeps_earlier_cosignatures() -> None:
    log = MemoryTree()
    log.extend(entries(4))
    first = cosign(WitnessState(), signed(log), LOG.public_key(), [], "w1.example/a", WITNESS)[1]
    other = Ed25519PrivateKey.generate()
    _, both = cosign(WitnessState(), first, LOG.public_key(), [], "w2.example/b", other)
    assert [s.name for s in parse_note(both).signatures] == [ORIGIN, "w1.example/a", "w2.example/b"]


def test_two_logs_whose_keys_share_a_name_are_two_logs() -> None:
    """Two nodes set up on machines with the same host name: one key name, two keys.
    Each log is judged against its own history, not against the other's."""
    first, second = MemoryTree(), MemoryTree()
    first.extend(entries(30))
    second.extend(entries(10, b" (another node)"))
    other = Ed25519PrivateKey.from_private_bytes(b"\x03" * 32)
    state, _ = witness(WitnessState(), signed(first), [])
    note = sign_note(Checkpoint(ORIGIN, 10, second.root()), ORIGIN, other)
    state, _ = cosign(state, note, other.public_key(), [], WITNESS_NAME, WITNESS)
    assert state.last(LOG_ID) == Checkpoint(ORIGIN, 30, first.root())
    assert state.last(log_id(ORIGIN, other.public_key())) == Checkpoint(ORIGIN, 10, second.root())
