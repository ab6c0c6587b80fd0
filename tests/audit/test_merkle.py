"""RFC 6962 / RFC 9162 hashing, proofs and verification.

Three independent anchors: the published test tree of certificate-transparency
(roots and proofs in tests/audit/data), a direct transcription of the RFC's recursive
definitions over plain lists (below), and exhaustive checks of every proof in every
tree up to 64 leaves, including that every corruption of a proof is rejected.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.audit.memory_tree import MemoryTree
from tearline.audit.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    range_hash,
    root,
)
from tearline.audit.proof_check import (
    root_from_inclusion_proof,
    verify_consistency,
    verify_inclusion,
)
from tearline.errors import ProofError

VECTORS = json.loads((Path(__file__).parent / "data" / "rfc6962_vectors.json").read_text())
MAX_EXHAUSTIVE = 64
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def h(text: str) -> bytes:
    return bytes.fromhex(text)


def reference_tree() -> MemoryTree:
    tree = MemoryTree()
    for data in VECTORS["leaves_hex"]:
        tree.append(h(data))
    return tree


def numbered_tree(size: int) -> MemoryTree:
    tree = MemoryTree()
    tree.extend(i.to_bytes(4, "big") for i in range(size))
    return tree


TREE_64 = numbered_tree(MAX_EXHAUSTIVE)
LEAVES_64 = [TREE_64.perfect(0, i) for i in range(MAX_EXHAUSTIVE)]


# --- the RFC's definitions, transcribed over lists ---------------------------------


def split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@cache
def mth(start: int, end: int) -> bytes:
    """MTH(D[start:end]) of LEAVES_64, straight from RFC 9162 §2.1.1."""
    n = end - start
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return LEAVES_64[start]
    k = split(n)
    return hashlib.sha256(b"\x01" + mth(start, start + k) + mth(start + k, end)).digest()


def path(m: int, start: int, end: int) -> list[bytes]:
    """PATH(m, D[start:end]) of RFC 9162 §2.1.3.1."""
    n = end - start
    if n == 1:
        return []
    k = split(n)
    if m < k:
        return path(m, start, start + k) + [mth(start + k, end)]
    return path(m - k, start + k, end) + [mth(start, start + k)]


def subproof(m: int, start: int, end: int, whole: bool) -> list[bytes]:
    """SUBPROOF(m, D[start:end], b) of RFC 9162 §2.1.4.1."""
    n = end - start
    if m == n:
        return [] if whole else [mth(start, end)]
    k = split(n)
    if m <= k:
        return subproof(m, start, start + k, whole) + [mth(start + k, end)]
    return subproof(m - k, start + k, end, False) + [mth(start, start + k)]


# --- known answers -----------------------------------------------------------------


def test_hash_primitives_are_the_rfc_ones() -> None:
    assert EMPTY_ROOT.hex() == VECTORS["empty_root"]
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    left, right = b"a" * 32, b"b" * 32
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert MemoryTree().root() == EMPTY_ROOT


def test_roots_of_the_reference_tree_match_rfc_6962() -> None:
    tree = reference_tree()
    assert tree.root().hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    for size, expected in enumerate(VECTORS["roots"], start=1):
        assert tree.root(size).hex() == expected, f"size {size}"


@pytest.mark.parametrize("vector", VECTORS["inclusion"], ids=lambda v: f"{v['index']}@{v['size']}")
def test_published_inclusion_proofs(vector: dict[str, object]) -> None:
    tree = reference_tree()
    index, size = int(vector["index"]), int(vector["size"])  # type: ignore[call-overload]
    expected = [h(p) for p in vector["proof"]]  # type: ignore[attr-defined]
    assert tree.inclusion_proof(index, size) == expected
    verify_inclusion(tree.perfect(0, index), index, size, expected, h(VECTORS["roots"][size - 1]))


@pytest.mark.parametrize("vector", VECTORS["consistency"], ids=lambda v: f"{v['old']}-{v['new']}")
def test_published_consistency_proofs(vector: dict[str, object]) -> None:
    tree = reference_tree()
    old, new = int(vector["old"]), int(vector["new"])  # type: ignore[call-overload]
    expected = [h(p) for p in vector["proof"]]  # type: ignore[attr-defined]
    assert tree.consistency_proof(old, new) == expected
    roots = VECTORS["roots"]
    verify_consistency(old, new, h(roots[old - 1]), h(roots[new - 1]), expected)


# --- exhaustive ----------------------------------------------------------------------


def flipped(proof: list[bytes], position: int, bit: int) -> list[bytes]:
    changed = bytearray(proof[position])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:position], bytes(changed), *proof[position + 1 :]]


def test_every_inclusion_proof_up_to_64_matches_the_rfc_and_verifies() -> None:
    for size in range(1, MAX_EXHAUSTIVE + 1):
        head = TREE_64.root(size)
        assert head == mth(0, size)
        for index in range(size):
            proof = TREE_64.inclusion_proof(index, size)
            assert proof == path(index, 0, size), (index, size)
            verify_inclusion(LEAVES_64[index], index, size, proof, head)


def test_every_consistency_proof_up_to_64_matches_the_rfc_and_verifies() -> None:
    for new in range(0, MAX_EXHAUSTIVE + 1):
        for old in range(0, new + 1):
            proof = TREE_64.consistency_proof(old, new)
            expected = [] if old in (0, new) else subproof(old, 0, new, True)
            assert proof == expected, (old, new)
            verify_consistency(old, new, TREE_64.root(old), TREE_64.root(new), proof)


def test_every_inclusion_proof_up_to_64_rejects_a_wrong_index_or_a_flipped_bit() -> None:
    for size in range(1, MAX_EXHAUSTIVE + 1):
        head = TREE_64.root(size)
        for index in range(size):
            proof = TREE_64.inclusion_proof(index, size)
            leaf = LEAVES_64[index]
            for wrong in {index - 1, index + 1, index ^ 1, index ^ 2, size} - {index}:
                with pytest.raises(ProofError):
                    verify_inclusion(leaf, wrong, size, proof, head)
            # A proof does not authenticate the size (the signed checkpoint does): some
            # other sizes give a tree of the same shape along the path. Doubling or
            # halving the size changes the shape, so those must fail.
            for wrong_size in {size * 2, size // 2} - {size}:
                with pytest.raises(ProofError):
                    verify_inclusion(leaf, index, wrong_size, proof, head)
            # Small trees: every bit of every hash; larger ones: one bit per hash.
            bits = range(256) if size <= 8 else [(index * 31 + size) % 256]
            for bit in bits:
                for position in range(len(proof)):
                    with pytest.raises(ProofError):
                        verify_inclusion(leaf, index, size, flipped(proof, position, bit), head)
                with pytest.raises(ProofError):
                    verify_inclusion(flipped([leaf], 0, bit)[0], index, size, proof, head)
                with pytest.raises(ProofError):
                    verify_inclusion(leaf, index, size, proof, flipped([head], 0, bit)[0])


def test_every_consistency_proof_up_to_64_rejects_wrong_sizes_roots_or_bits() -> None:
    for new in range(2, MAX_EXHAUSTIVE + 1):
        new_root = TREE_64.root(new)
        for old in range(1, new):
            old_root = TREE_64.root(old)
            proof = TREE_64.consistency_proof(old, new)
            # As for inclusion, the sizes that change the shape of the proof must fail.
            wrong_sizes = {(old - 1, new), (old + 1, new), (old ^ 2, new), (old, new * 2)}
            wrong_sizes |= {(old, new // 2)}
            for wrong_old, wrong_new in wrong_sizes:
                if (wrong_old, wrong_new) == (old, new) or wrong_old == wrong_new:
                    continue
                with pytest.raises(ProofError):
                    verify_consistency(wrong_old, wrong_new, old_root, new_root, proof)
            with pytest.raises(ProofError):
                verify_consistency(old, new, new_root, old_root, proof)
            with pytest.raises(ProofError):
                verify_consistency(old, new, old_root, new_root, proof[:-1])
            with pytest.raises(ProofError):
                verify_consistency(old, new, old_root, new_root, [*proof, SOME_HASH])
            with pytest.raises(ProofError):
                verify_consistency(old, new, old_root, new_root, [SOME_HASH, *proof])
            bits = range(256) if new <= 8 else [(old * 17 + new) % 256]
            for bit in bits:
                for position in range(len(proof)):
                    bad = flipped(proof, position, bit)
                    with pytest.raises(ProofError):
                        verify_consistency(old, new, old_root, new_root, bad)
                with pytest.raises(ProofError):
                    verify_consistency(old, new, flipped([old_root], 0, bit)[0], new_root, proof)
                with pytest.raises(ProofError):
                    verify_consistency(old, new, old_root, flipped([new_root], 0, bit)[0], proof)


def test_consistency_edges() -> None:
    one, two = TREE_64.root(1), TREE_64.root(2)
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    verify_consistency(0, 5, EMPTY_ROOT, TREE_64.root(5), [])
    verify_consistency(3, 3, TREE_64.root(3), TREE_64.root(3), [])
    for old, new, old_root, new_root, proof, why in [
        (1, 1, one, two, [], "same size, different roots"),
        (2, 1, two, one, [], "never shrinks"),
        (1, 2, one, two, [], "proof is empty"),
        (0, 1, one, one, [], "not the empty-tree root"),
        (1, 1, one, one, [EMPTY_ROOT], "must be empty"),
        (1, 2, one, two, [b"short"], "32-byte"),
        (1, 2, b"short", two, [LEAVES_64[1]], "32-byte"),
    ]:
        with pytest.raises(ProofError, match=why):
            verify_consistency(old, new, old_root, new_root, proof)


def test_inclusion_edges() -> None:
    leaf = LEAVES_64[0]
    verify_inclusion(leaf, 0, 1, [], leaf)
    for index, size, proof, expected_root, why in [
        (0, 0, [], EMPTY_ROOT, "outside"),
        (1, 1, [], leaf, "outside"),
        (-1, 1, [], leaf, "outside"),
        (0, 1, [leaf], leaf, "too many"),
        (0, 2, [], TREE_64.root(2), "too few"),
        (0, 1, [], b"x" * 31, "32-byte"),
        (0, 2, [b"x" * 33], TREE_64.root(2), "32-byte"),
        (0, 2, [LEAVES_64[1]] * 200, TREE_64.root(2), "at most"),
    ]:
        with pytest.raises(ProofError, match=why):
            verify_inclusion(leaf, index, size, proof, expected_root)


def test_proof_requests_outside_the_tree_are_refused() -> None:
    with pytest.raises(ValueError):
        inclusion_proof(3, 3, TREE_64)
    with pytest.raises(ValueError):
        consistency_proof(4, 3, TREE_64)
    with pytest.raises(ValueError):
        range_hash(1, 3, TREE_64)  # not aligned: never a subtree of the RFC recursion
    with pytest.raises(ValueError):
        root(-1, TREE_64)
    with pytest.raises(LookupError):
        root(MAX_EXHAUSTIVE + 1, TREE_64)


# --- laws ------------------------------------------------------------------------------

sizes = st.integers(min_value=1, max_value=600)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), size=sizes)
def test_inclusion_law_any_leaf_any_size(data: st.DataObject, size: int) -> None:
    tree = numbered_tree(size)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = tree.inclusion_proof(index)
    assert root_from_inclusion_proof(tree.perfect(0, index), index, size, proof) == tree.root()
    assert len(proof) <= (size - 1).bit_length()


@settings(max_examples=60, deadline=None)
@given(data=st.data(), new=sizes)
def test_consistency_law_and_append_only_roots(data: st.DataObject, new: int) -> None:
    tree = numbered_tree(new)
    old = data.draw(st.integers(min_value=0, max_value=new))
    assert tree.root(old) == numbered_tree(old).root()  # appending never changes the past
    verify_consistency(old, new, tree.root(old), tree.root(), tree.consistency_proof(old))


@settings(max_examples=40, deadline=None)
@given(left=st.lists(st.binary(max_size=8), min_size=1, max_size=40), extra=st.binary(max_size=8))
def test_a_forked_history_has_no_consistency_proof(left: list[bytes], extra: bytes) -> None:
    honest, forked = MemoryTree(), MemoryTree()
    honest.extend(left)
    forked.extend([*left[:-1], left[-1] + b"\xff"])  # the last entry rewritten
    honest.append(extra)
    forked.append(extra)
    old = len(left)
    proof = forked.consistency_proof(old)
    with pytest.raises(ProofError):
        verify_consistency(old, old + 1, honest.root(old), forked.root(), proof)
