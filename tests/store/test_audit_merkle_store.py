"""The stored log hashes with the Merkle core: after any sequence of batched appends,
its nodes, root and proofs are the reference tree's (``audit/memory_tree.py``)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tearline.audit.memory_tree import MemoryTree
from tearline.store import audit_log
from tearline.store.audit_tables import audit_nodes
from tearline.store.store import Store

COLUMNS = ("record.read", "2026-01-01T00:00:00.000000Z", "system", None)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(st.binary(min_size=1, max_size=6), max_size=12), max_size=5),
       picks=st.lists(st.integers(0, 10**6), min_size=3, max_size=3))
def test_the_store_and_the_reference_tree_agree(
    store: Store, batches: list[list[bytes]], picks: list[int],
) -> None:
    # the store outlives the examples: each continues the log the last one left
    with store.reading() as conn:
        model = MemoryTree()
        model.extend(e.body for e in audit_log.entries(conn))
    for batch in batches:
        with store.transaction() as conn:
            audit_log.append_canonical(conn, batch, [COLUMNS] * len(batch))
        model.extend(batch)
    n = model.size
    with store.reading() as conn:
        rows = conn.execute(select(audit_nodes.c.level, audit_nodes.c.idx, audit_nodes.c.hash))
        stored = {(int(level), int(idx)): bytes(h) for level, idx, h in rows}
        assert stored == {(level, i): model.perfect(level, i)
                          for level in range(n.bit_length() + 1)
                          for i in range(model.level_count(level))}
        assert audit_log.root(conn) == (n, model.root())
        if n:
            index, old = picks[0] % n, 1 + picks[1] % n
            assert audit_log.inclusion_proof(conn, index, n) == model.inclusion_proof(index, n)
            assert (audit_log.consistency_proof(conn, old, n)
                    == model.consistency_proof(old, n))
            assert audit_log.root(conn, old) == (old, model.root(old))
