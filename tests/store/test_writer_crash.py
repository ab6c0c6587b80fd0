"""A file is stored whole or not at all, even when the writer is killed with SIGKILL.

A child process builds a large batch of records (one "file"), says so, and writes it in
one transaction; the test kills it at random moments during the write, several times,
then checks that the store is readable, still holds what it held before, and holds
either every statement of the batch or none of them. A last run is left to finish.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from tearline.store.store import Store

pytestmark = pytest.mark.slow

RECORDS = 5_000  # 5 statements each: a write of a second or more
CHILD = """
import sys
from datetime import UTC, datetime
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store.store import Store

url, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
prov = Provenance("us.dea", "us.dea.sod", datetime(2024, 5, 3, tzinfo=UTC))
mark = Marking.build("AMBER+STRICT")
store = Store.open(url)
records = [
    build_record(f"{prefix}-{i}", "Person", {
        "name": [f"Persona {i} GARCIA LOPEZ"],
        "birthDate": [f"19{50 + i % 40}-0{1 + i % 9}-1{i % 9}"],
        "nationality": ["mx"], "alias": [f"EL {i}"], "notes": [f"note {i} " * 20],
    }, prov, mark, keyer=store.keyer)
    for i in range(n)
]
print("writing", flush=True)
t0 = __import__("time").perf_counter()
store.write(records)
print("done", __import__("time").perf_counter() - t0, flush=True)
"""


def _child(url: str, prefix: str, n: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CHILD, url, prefix, str(n)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _batch_counts(url: str, prefix: str) -> tuple[int, int]:
    store = Store.open(url, migrate=False)
    try:
        with store.reading() as conn:
            like = {"p": f"{prefix}-%"}
            (records,) = conn.execute(
                text("SELECT count(*) FROM records WHERE id LIKE :p"), like).one()
            (statements,) = conn.execute(
                text("SELECT count(*) FROM statements WHERE entity_id LIKE :p"), like).one()
            if store.dialect == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        return int(records), int(statements)
    finally:
        store.close()


def test_kill_9_leaves_all_or_nothing(db_url: str) -> None:
    store = Store.open(db_url)
    store.close()
    # What the store held before must survive every crash.
    first = _child(db_url, "kept", 50)
    assert first.communicate(timeout=120) and first.returncode == 0
    assert _batch_counts(db_url, "kept") == (50, 250)

    rng = random.Random(9)
    kills = interrupted = 0
    for attempt in range(3):
        batch = f"big{attempt}"  # each attempt writes its own batch
        child = _child(db_url, batch, RECORDS)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing", child.stderr
        delay = rng.uniform(0.05, 1.0)
        time.sleep(delay)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            kills += 1
        child.communicate(timeout=120)
        assert _batch_counts(db_url, "kept") == (50, 250)
        got = _batch_counts(db_url, batch)
        # killed before the commit: nothing; finished, or killed between the commit
        # and the exit: everything. Never a part.
        assert got in ((0, 0), (RECORDS, 5 * RECORDS)), (attempt, delay, child.returncode, got)
        interrupted += got == (0, 0)
    assert kills >= 2 and interrupted >= 1, "the writes finished too fast; raise RECORDS"
    finished = _child(db_url, "big", RECORDS)
    out, errors = finished.communicate(timeout=300)
    assert finished.returncode == 0, errors
    assert _batch_counts(db_url, "big") == (RECORDS, 5 * RECORDS)
    assert _batch_counts(db_url, "kept") == (50, 250)
