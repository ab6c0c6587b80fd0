"""An append-only Merkle tree held in memory: the reference :class:`NodeReader`.

It stores exactly the rows a database-backed log stores — every completed perfect
node, as (level, index, hash) — packed as one ``bytearray`` per level, so that 10
million leaves take about 640 MB rather than the gigabytes of one ``bytes`` object
per node. Tests use it as the model the store must agree with; the benchmark uses it
to time proofs at scale; a verifier uses it to recompute a log from its entries.
"""

from __future__ import annotations

from collections.abc import Iterable

from tearline.audit.merkle import (
    HASH_SIZE,
    Node,
    inclusion_proof,
    leaf_hash,
    leaf_hashes,
    nodes_completed_by_append,
    parent_hashes,
    root,
)
from tearline.audit.merkle import consistency_proof as _consistency_proof


class MemoryTree:
    """The perfect nodes of an append-only tree, level by level."""

    __slots__ = ("_levels", "_size")

    def __init__(self) -> None:
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return self._size

    def perfect(self, level: int, index: int) -> bytes:
        if level < 0 or index < 0 or level >= len(self._levels):
            raise LookupError(f"no perfect node ({level}, {index}) in a tree of size {self._size}")
        row = self._levels[level]
        start = index * HASH_SIZE
        if start + HASH_SIZE > len(row):
            raise LookupError(f"no perfect node ({level}, {index}) in a tree of size {self._size}")
        return bytes(row[start : start + HASH_SIZE])

    def packed(self, level: int) -> bytes:
        """The hashes of ``level``, back to back (32 bytes each), e.g. for a bulk insert."""
        return bytes(self._levels[level]) if level < len(self._levels) else b""

    def level_count(self, level: int) -> int:
        """How many perfect nodes the tree holds at ``level``."""
        return len(self._levels[level]) // HASH_SIZE if level < len(self._levels) else 0

    def append(self, data: bytes) -> list[Node]:
        """Append one entry; returns the nodes it completed (for a store to persist)."""
        return self.append_hash(leaf_hash(data))

    def append_hash(self, leaf: bytes) -> list[Node]:
        """Append one leaf hash; returns the nodes it completed."""
        nodes = nodes_completed_by_append(self._size, leaf, self)
        for level, _index, value in nodes:
            if level == len(self._levels):
                self._levels.append(bytearray())
            self._levels[level] += value
        self._size += 1
        return nodes

    def extend_hashes(self, leaves: Iterable[bytes]) -> None:
        """Append many leaf hashes at once; the same nodes as one-by-one appends.

        Works level by level over the packed rows instead of leaf by leaf, which saves
        the per-append bookkeeping when building a large tree.
        """
        batch = list(leaves)
        if batch and set(map(len, batch)) != {HASH_SIZE}:
            raise ValueError(f"a leaf hash has {HASH_SIZE} bytes")
        self.extend_packed(b"".join(batch))

    def extend_packed(self, packed: bytes) -> None:
        """Append leaf hashes given back to back (32 bytes each), e.g. read in bulk."""
        if len(packed) % HASH_SIZE:
            raise ValueError(f"packed leaf hashes must be a multiple of {HASH_SIZE} bytes")
        if not packed:
            return
        base = self._levels[0]
        base += packed
        self._size = len(base) // HASH_SIZE
        level = 0
        while True:
            below = self._levels[level]
            parents = len(below) // (2 * HASH_SIZE)
            if level + 1 == len(self._levels):
                if parents == 0:
                    return
                self._levels.append(bytearray())
            above = self._levels[level + 1]
            done = len(above) // HASH_SIZE
            if done == parents:
                return
            above += parent_hashes(below, 2 * done, parents - done)
            level += 1

    def extend(self, entries: Iterable[bytes]) -> None:
        """Append many entries (leaf data) at once."""
        self.extend_packed(leaf_hashes(entries))

    def root(self, size: int | None = None) -> bytes:
        """The tree head at ``size`` (default: the current size)."""
        return root(self._size if size is None else self._check(size), self)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_proof(index, self._size if size is None else self._check(size), self)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        new = self._size if new_size is None else self._check(new_size)
        return _consistency_proof(old_size, new, self)

    def _check(self, size: int) -> int:
        if not 0 <= size <= self._size:
            raise ValueError(f"size {size} is outside the tree of size {self._size}")
        return size
