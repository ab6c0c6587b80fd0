"""The batched forms of the Merkle core agree with the one-at-a-time definitions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.audit.memory_tree import MemoryTree
from tearline.audit.merkle import (
    HASH_SIZE,
    append_leaves,
    leaf_hash,
    leaf_hashes,
    node_hash,
    nodes_completed_by_append,
    parent_hashes,
    right_edge,
)

entries = st.lists(st.binary(max_size=8), max_size=40)


@settings(max_examples=60)
@given(batches=st.lists(entries, max_size=8))
def test_batched_appends_complete_the_nodes_of_appends_one_by_one(
    batches: list[list[bytes]],
) -> None:
    model = MemoryTree()
    edge: dict[tuple[int, int], bytes] = {}
    for batch in batches:
        start = model.size
        assert set(edge) == set(right_edge(start))
        expected = [n for data in batch for n in model.append_hash(leaf_hash(data))]
        assert append_leaves(start, [leaf_hash(d) for d in batch], edge) == expected
        assert edge == {key: model.perfect(*key) for key in right_edge(model.size)}


def test_the_right_edge_is_what_one_by_one_appends_read() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.read: set[tuple[int, int]] = set()

        def perfect(self, level: int, index: int) -> bytes:
            self.read.add((level, index))
            return bytes(HASH_SIZE)

    for size in range(200):
        recorder = Recorder()
        # every node an append can read is on the right edge
        nodes_completed_by_append(size, bytes(HASH_SIZE), recorder)
        assert recorder.read <= set(right_edge(size))
        assert len(right_edge(size)) == bin(size).count("1")


@settings(max_examples=60)
@given(data=entries, offset=st.integers(0, 10), count=st.integers(0, 30))
def test_packed_hashes_are_the_single_hashes(data: list[bytes], offset: int, count: int) -> None:
    packed = leaf_hashes(data)
    singles = [leaf_hash(d) for d in data]
    assert packed == b"".join(singles)
    pairs = [node_hash(singles[i], singles[i + 1])
             for i in range(offset, min(offset + 2 * count, len(singles)) - 1, 2)]
    # fewer than ``count`` parents when the children end first
    assert parent_hashes(packed, offset, count) == b"".join(pairs)


def test_a_leaf_that_is_not_bytes_is_refused() -> None:
    try:
        leaf_hashes([b"a", "b"])  # type: ignore[list-item]
    except TypeError:
        return
    raise AssertionError("a text entry was hashed")
