"""Checking Merkle proofs: inclusion (RFC 9162 §2.1.3.2) and consistency (§2.1.4.2).

What a partner, a witness or an auditor runs with nothing but hashes: a proof, the
sizes and the roots it is said to connect. Apart from :mod:`tearline.audit.merkle`
(which hashes the tree and computes the proofs from its nodes) because checking needs
no tree and trusts nothing it is given: every hash's size and every proof's length is
checked before use, and a failure raises :class:`ProofError` naming what failed.
"""

from __future__ import annotations

from collections.abc import Sequence

from tearline.audit.merkle import EMPTY_ROOT, HASH_SIZE, MAX_PROOF_LENGTH, node_hash
from tearline.errors import ProofError, tr


def _check_hash(value: bytes, what: str) -> None:
    if not isinstance(value, bytes | bytearray) or len(value) != HASH_SIZE:
        raise ProofError(tr(
            "{what} is not a {HASH_SIZE}-byte SHA-256 hash", what=what, HASH_SIZE=HASH_SIZE))


def _check_path(proof: Sequence[bytes]) -> None:
    if len(proof) > MAX_PROOF_LENGTH:
        raise ProofError(tr(
            "proof has {proof_count} hashes; at most {MAX_PROOF_LENGTH} possible",
            proof_count=len(proof), MAX_PROOF_LENGTH=MAX_PROOF_LENGTH))
    for position, element in enumerate(proof):
        _check_hash(element, f"proof element {position}")


def root_from_inclusion_proof(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes:
    """The root that ``proof`` implies for ``leaf`` at ``index`` (RFC 9162 §2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(tr(
            "leaf index {index} is outside a tree of size {size}", index=index, size=size))
    _check_hash(leaf, "leaf hash")
    _check_path(proof)
    fn, sn, r = index, size - 1, bytes(leaf)
    for p in proof:
        if sn == 0:
            raise ProofError(tr(
                "inclusion proof for leaf {index} in size {size} has too many hashes",
                index=index, size=size))
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(tr(
            "inclusion proof for leaf {index} in size {size} has too few hashes",
            index=index, size=size))
    return r


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes
) -> None:
    """Check that ``leaf`` is entry ``index`` of the tree of ``size`` with ``expected_root``.

    Raises :class:`ProofError` naming what failed; returns nothing on success.
    """
    _check_hash(expected_root, "root hash")
    computed = root_from_inclusion_proof(leaf, index, size, proof)
    if computed != expected_root:
        raise ProofError(
            tr(
                "inclusion proof for leaf {index} in size {size} leads to root {computed}, "
                "expected {bytes}",
                index=index, size=size, computed=computed.hex(), bytes=bytes(expected_root).hex())
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree (new_size, new_root) extends (old_size, old_root): RFC 9162 §2.1.4.2.

    The RFC covers 0 < old < new; the edges are: equal sizes need equal roots and an
    empty proof, size 0 needs the empty-tree root and an empty proof, and a smaller
    new size is never consistent.
    """
    _check_hash(old_root, "old root hash")
    _check_hash(new_root, "new root hash")
    _check_path(proof)
    what = f"consistency from size {old_size} to size {new_size}"
    if not 0 <= old_size <= new_size:
        raise ProofError(tr("{what}: a log never shrinks", what=what))
    if old_size == new_size or old_size == 0:
        if proof:
            raise ProofError(tr(
                "{what}: the proof must be empty, it has {proof_count} hashes",
                what=what, proof_count=len(proof)))
        if old_size == 0 and old_root != EMPTY_ROOT:
            raise ProofError(tr("{what}: the old root is not the empty-tree root", what=what))
        if old_size == new_size and old_root != new_root:
            raise ProofError(tr("{what}: same size, different roots", what=what))
        return
    if not proof:
        raise ProofError(tr("{what}: the proof is empty", what=what))
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is a node
        path.insert(0, bytes(old_root))
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError(tr("{what}: the proof has too many hashes", what=what))
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError(tr("{what}: the proof has too few hashes", what=what))
    if fr != old_root:
        raise ProofError(tr("{what}: the proof does not lead to the old root", what=what))
    if sr != new_root:
        raise ProofError(tr("{what}: the proof does not lead to the new root", what=what))
