"""The in-memory tree holds exactly the nodes a store persists, however it is filled."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.audit.memory_tree import MemoryTree
from tearline.audit.merkle import leaf_hash, node_hash, nodes_completed_by_append


def all_nodes(tree: MemoryTree) -> list[tuple[int, int, bytes]]:
    out = []
    level = 0
    while tree.level_count(level):
        out += [(level, i, tree.perfect(level, i)) for i in range(tree.level_count(level))]
        level += 1
    return out


@settings(max_examples=50, deadline=None)
@given(entries=st.lists(st.binary(max_size=6), max_size=130), cut=st.integers(0, 130))
def test_batched_and_one_by_one_appends_store_the_same_nodes(
    entries: list[bytes], cut: int
) -> None:
    single, batched = MemoryTree(), MemoryTree()
    emitted = []
    for entry in entries:
        emitted += single.append(entry)
    batched.extend(entries[:cut])
    batched.extend(entries[cut:])
    assert all_nodes(single) == all_nodes(batched)
    assert sorted(emitted) == sorted(all_nodes(single))  # every node emitted exactly once
    assert single.root() == batched.root() and single.size == batched.size == len(entries)


def test_an_append_completes_one_node_per_trailing_one_bit() -> None:
    tree = MemoryTree()
    for size in range(300):
        nodes = tree.append(size.to_bytes(2, "big"))
        trailing_ones = (size ^ (size + 1)).bit_length() - 1
        assert len(nodes) == trailing_ones + 1
        assert nodes[0] == (0, size, leaf_hash(size.to_bytes(2, "big")))
        level, index, value = nodes[-1]
        assert tree.perfect(level, index) == value


def test_nodes_completed_by_append_reads_only_the_left_siblings() -> None:
    tree = MemoryTree()
    tree.extend(bytes([i]) for i in range(7))
    new = leaf_hash(b"eighth")
    nodes = nodes_completed_by_append(7, new, tree)
    l0, l1, l2 = (tree.perfect(0, 6), tree.perfect(1, 2), tree.perfect(2, 0))
    n1 = node_hash(l0, new)
    n2 = node_hash(l1, n1)
    assert nodes == [(0, 7, new), (1, 3, n1), (2, 1, n2), (3, 0, node_hash(l2, n2))]


def test_missing_nodes_and_bad_inputs_are_refused() -> None:
    tree = MemoryTree()
    tree.extend([b"a", b"b", b"c"])
    with pytest.raises(LookupError):
        tree.perfect(1, 1)  # leaves 2..3 are not both there yet
    with pytest.raises(LookupError):
        tree.perfect(5, 0)
    with pytest.raises(ValueError):
        tree.append_hash(b"short")
    with pytest.raises(ValueError):
        tree.extend_hashes([b"x" * 31])
    with pytest.raises(ValueError):
        tree.root(4)
    assert len(tree) == 3


def test_packed_leaf_hashes_build_the_same_tree() -> None:
    hashes = [leaf_hash(bytes([i])) for i in range(21)]
    one, packed = MemoryTree(), MemoryTree()
    one.extend_hashes(hashes)
    packed.extend_packed(b"".join(hashes[:5]))
    packed.extend_packed(b"".join(hashes[5:]))
    assert all_nodes(one) == all_nodes(packed)
    with pytest.raises(ValueError):
        packed.extend_packed(b"x" * 33)


def test_packed_levels_are_the_perfect_nodes_back_to_back() -> None:
    tree = MemoryTree()
    tree.extend([bytes([i]) for i in range(11)])
    for level in range(5):
        count = tree.level_count(level)
        assert tree.packed(level) == b"".join(tree.perfect(level, j) for j in range(count))
    assert tree.packed(9) == b""
