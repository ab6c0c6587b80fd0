"""A kill -9 in the middle of actions leaves each action with its entry, or neither.

A child process writes records (each write appends its ``record.created`` entries in
the same transaction) and reads them back (``record.read`` entries), and is killed
with SIGKILL at random moments. Afterwards every stored record has exactly its
creation entry, every creation entry has its record, and the log verifies.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from tearline.store import audit_log, audit_verify
from tearline.store.store import Store

pytestmark = pytest.mark.slow

CHILD = r"""
import sys, itertools
from datetime import UTC, datetime
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store.store import Store

store = Store.open(sys.argv[1])
prov = Provenance("us.dea", "us.dea.sod", datetime(2024, 1, 1, tzinfo=UTC), Reliability.B,
                  Credibility.PROBABLY_TRUE)
who = Subject(unit="us.dea.sod", agency="us.dea")
for n in itertools.count():
    ids = [f"{sys.argv[2]}-{n}-{k}" for k in range(3)]
    store.write([build_record(i, "Person", {"name": [f"Person {i}"]}, prov,
                              Marking.build("GREEN"), keyer=store.keyer) for i in ids])
    store.read_many(who, datetime.now(UTC), ids)
    if n == 0:  # the first action loads what the write path loads lazily (seconds under load)
        print("ready", flush=True)
"""


def test_kill_9_leaves_actions_and_entries_together(store: Store, db_url: str) -> None:
    rng = random.Random(9)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for round_ in range(3):
        child = subprocess.Popen([sys.executable, "-c", CHILD, db_url, f"r{round_}"],
                                 stdout=subprocess.PIPE, env=env)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.2, 1.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
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
