"""A kill -9 in the middle of actions leaves each action with its entry, or neither.

A child process (``audit_child.py``, forked: ``forked.py``) writes records (each write
appends its ``record.created`` entries in the same transaction) and reads them back
(``record.read`` entries), and is killed with SIGKILL at random moments. Afterwards
every stored record has exactly its creation entry, every creation entry has its
record, and the log verifies.
"""

from __future__ import annotations

import json
import random
import time

import audit_child
import pytest

from forked import killed, said, start
from tearline.store import audit_log, audit_verify
from tearline.store.store import Store

pytestmark = pytest.mark.slow


def test_kill_9_leaves_actions_and_entries_together(store: Store, db_url: str) -> None:
    rng = random.Random(9)
    for round_ in range(3):
        child, pipe = start(audit_child.act, db_url, f"r{round_}")
        assert said(pipe) == "ready"
        time.sleep(rng.uniform(0.2, 1.2))
        killed(child)
    with store.reading() as conn:
        stored = set(conn.exec_driver_sql("SELECT id FROM records").scalars())
        created = [json.loads(e.body) for e in audit_log.entries(conn, limit=1_000_000)
                   if e.kind == "record.created"]
        assert stored, "the child never got to write"
        assert sorted(c["entity_id"] for c in created) == sorted(stored)
        reads = {json.loads(e.body)["entity_id"] for e in audit_log.entries(conn, limit=1_000_000)
                 if e.kind == "record.read"}
        assert reads <= stored
        assert audit_verify.verify(conn).size == audit_log.size(conn)
