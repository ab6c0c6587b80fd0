"""The Merkle tree of the audit log: RFC 6962 / RFC 9162 hashing, proofs and their checks.

The tree is the one of RFC 9162 §2.1.1: SHA-256, leaves hashed as ``H(0x00 || data)``,
interior nodes as ``H(0x01 || left || right)``, the empty tree as ``H("")``. Anything
this module produces can be checked by any other implementation of the RFC, which is
the point: a partner must be able to verify our log without our code.

Proofs are computed from *perfect* subtrees only: the hash of the complete subtree
covering leaves ``[index * 2**level, (index + 1) * 2**level)``. A log stores each
perfect node once, when the append that completes it happens (at most
``log2(n) + 1`` nodes per append, see :func:`nodes_completed_by_append`), and never
changes it again. Every range hash that RFC 9162's PATH and SUBPROOF need is either
such a perfect node or a range that ends at the tree size, which folds from
O(log n) perfect nodes — so a proof costs O(log² n) hashing and O(log n) distinct
reads whatever the size of the log, and a store only has to answer
:meth:`NodeReader.perfect`.

This module is the one place the tree is hashed: the store's appends
(:func:`append_leaves`), its verification and bulk scan (:func:`leaf_hashes`,
:func:`parent_hashes`) and the in-memory tree all call it. The batched forms hash in one
comprehension each, without a Python call per hash, since hashing is most of an
append's and a verification's own time. Checking a proof against a root, which needs
no tree at all, is :mod:`tearline.audit.proof_check`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, MutableMapping
from typing import Protocol

HASH_SIZE = 32
#: MTH({}) = SHA-256 of the empty string (RFC 9162 §2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()
#: A proof longer than this cannot belong to a tree whose size fits in 64 bits.
MAX_PROOF_LENGTH = 128

#: RFC 6962's domain separation: a leaf's data and an interior node's children are
#: hashed behind different first bytes, so neither can pass for the other.
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The interior node over two subtrees: SHA-256(0x01 || left || right)."""
    return _sha256(NODE_PREFIX + left + right).digest()


def leaf_hash_list(entries: Iterable[bytes]) -> list[bytes]:
    """:func:`leaf_hash` of each entry (``TypeError`` for an entry that is not bytes)."""
    sha, prefix = _sha256, LEAF_PREFIX
    return [sha(prefix + entry).digest() for entry in entries]


def leaf_hashes(entries: Iterable[bytes]) -> bytes:
    """:func:`leaf_hash` of each entry, packed back to back (32 bytes each)."""
    return b"".join(leaf_hash_list(entries))


def parent_hashes(below: bytes | bytearray, offset: int, count: int) -> bytes:
    """``count`` interior nodes over children packed in ``below`` from child ``offset``.

    The two children of a node sit side by side in the row below, so node ``j`` hashes
    the 64 bytes of children ``2j`` and ``2j + 1`` — the bytes :func:`node_hash` reads.
    Fewer than ``count`` when ``below`` ends before their children do.
    """
    step = 2 * HASH_SIZE
    start = offset * HASH_SIZE
    count = max(0, min(count, (len(below) - start) // step))
    sha, prefix = _sha256, NODE_PREFIX
    return b"".join([sha(prefix + below[i : i + step]).digest()
                     for i in range(start, start + count * step, step)])


class NodeReader(Protocol):
    """Read access to the perfect subtrees of one append-only tree."""

    def perfect(self, level: int, index: int) -> bytes:
        """The hash of the complete subtree over leaves [index·2^level, (index+1)·2^level).

        Level 0 holds the leaf hashes. Implementations raise :class:`LookupError` for
        a node that does not exist (yet).
        """
        ...


def _largest_power_of_two_below(n: int) -> int:
    """k such that k < n <= 2k (RFC 9162's split point); n must be at least 2."""
    return 1 << ((n - 1).bit_length() - 1)


def range_hash(start: int, end: int, reader: NodeReader) -> bytes:
    """MTH(D[start:end]) for a range that starts on a boundary of its own size.

    That is every range RFC 9162's recursion visits: ``start`` must be a multiple of
    the smallest power of two that is at least ``end - start``. The range splits
    into perfect subtrees, largest first, folded from the right.
    """
    width = end - start
    if width < 0 or start < 0:
        raise ValueError(f"invalid range [{start}, {end})")
    if width == 0:
        return EMPTY_ROOT
    span = 1 << (width - 1).bit_length()
    if start % span:
        raise ValueError(f"range [{start}, {end}) is not aligned for a subtree hash")
    parts: list[bytes] = []
    position = start
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            parts.append(reader.perfect(level, position >> level))
            position += 1 << level
    result = parts.pop()
    while parts:
        result = node_hash(parts.pop(), result)
    return result


def root(size: int, reader: NodeReader) -> bytes:
    """MTH(D[0:size]), the tree head of the first ``size`` leaves."""
    if size < 0:
        raise ValueError(f"tree size must not be negative, got {size}")
    return range_hash(0, size, reader)


def inclusion_proof(index: int, size: int, reader: NodeReader) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, leaf-side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    proof: list[bytes] = []
    start, end = 0, size
    # Walk down from the root, collecting the sibling of each subtree holding the leaf.
    while end - start > 1:
        k = _largest_power_of_two_below(end - start)
        if index < start + k:
            proof.append(range_hash(start + k, end, reader))
            end = start + k
        else:
            proof.append(range_hash(start, start + k, reader))
            start += k
    proof.reverse()
    return proof


def consistency_proof(old_size: int, new_size: int, reader: NodeReader) -> list[bytes]:
    """PROOF(old, D[0:new]) = SUBPROOF(old, D[0:new], true) of RFC 9162 §2.1.4.1.

    Empty when ``old_size`` is 0 or equal to ``new_size`` (nothing to prove).
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
    proof: list[bytes] = []
    if old_size == 0 or old_size == new_size:
        return proof
    m, start, end, whole = old_size, 0, new_size, True
    while m != end - start:
        k = _largest_power_of_two_below(end - start)
        if m <= k:
            proof.append(range_hash(start + k, end, reader))
            end = start + k
        else:
            proof.append(range_hash(start, start + k, reader))
            start += k
            m -= k
            whole = False
    if not whole:
        proof.append(range_hash(start, end, reader))
    proof.reverse()
    return proof


Node = tuple[int, int, bytes]


def nodes_completed_by_append(size_before: int, leaf: bytes, reader: NodeReader) -> list[Node]:
    """The perfect nodes, as (level, index, hash), that appending ``leaf`` completes.

    The leaf itself is node (0, size_before); each time the new node is a right child,
    its parent becomes complete too. A store persists exactly these rows, in order,
    in the transaction of the append; ``reader`` must answer for the tree before it.
    """
    if size_before < 0:
        raise ValueError(f"tree size must not be negative, got {size_before}")
    if len(leaf) != HASH_SIZE:
        raise ValueError(f"a leaf hash has {HASH_SIZE} bytes, got {len(leaf)}")
    level, index, value = 0, size_before, bytes(leaf)
    nodes: list[Node] = [(level, index, value)]
    while index & 1:
        value = node_hash(reader.perfect(level, index - 1), value)
        level += 1
        index >>= 1
        nodes.append((level, index, value))
    return nodes


def right_edge(size: int) -> list[tuple[int, int]]:
    """The perfect nodes, as (level, index), that later appends to a tree of ``size`` read:
    the last complete subtree at each level where ``size`` has a one bit."""
    return [(level, (size >> level) - 1) for level in range(size.bit_length()) if size >> level & 1]


def append_leaves(size_before: int, leaves: Iterable[bytes],
                  edge: MutableMapping[tuple[int, int], bytes]) -> list[Node]:
    """The perfect nodes that appending ``leaves`` (leaf hashes) completes, in order.

    The same nodes as :func:`nodes_completed_by_append` leaf by leaf, for a whole batch:
    ``edge`` holds the hashes of :func:`right_edge` of ``size_before`` (and nothing a
    later append needs is read from anywhere else); it is left holding the new right
    edge. ``KeyError`` if a node of the edge is missing from it.
    """
    sha, prefix = _sha256, NODE_PREFIX
    nodes: list[Node] = []
    add = nodes.append
    for position, leaf in enumerate(leaves, size_before):
        add((0, position, leaf))
        if not position & 1:  # a left child: it completes nothing above it
            edge[0, position] = leaf
            continue
        level, index, value = 0, position, leaf
        while index & 1:
            value = sha(prefix + edge.pop((level, index - 1)) + value).digest()
            level += 1
            index >>= 1
            add((level, index, value))
        edge[level, index] = value
    return nodes
