"""A file is stored whole or not at all, even when the writer is killed with SIGKILL.

A child process builds a large batch of records (one "file"), says so, and writes it in
one transaction; the test kills it, several times, then checks that the store is
readable, still holds what it held before, and holds either every statement of the
batch or none of them. Some kills land at points the child stops at and announces —
between the statements and their audit entries, just before the commit, just after
it — so that what each proves does not depend on how fast the machine writes; others
land at random moments. A last run is left to finish.
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
from waiting import HANG

pytestmark = pytest.mark.slow

RECORDS = 5_000  # 5 statements each: a write of a second or more
HELD_RECORDS = 500  # where the kill lands is chosen: a smaller batch proves as much
CHILD = """
import sys
from datetime import UTC, datetime
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store.store import Store

url, prefix, n, hold = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]


def held():
    print("held", flush=True)
    sys.stdin.readline()  # killed while waiting here
    sys.exit("not killed")


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
if hold == "audit":  # the statements are written, their audit entries not yet
    from tearline.store import audit_events
    entries = audit_events.writes
    def writes(*args, **kwargs):
        held()
        return entries(*args, **kwargs)
    audit_events.writes = writes
elif hold == "commit":  # everything is written; the commit is next
    from sqlalchemy import event
    event.listen(store.engine, "commit", lambda conn: held())
print("writing", flush=True)
t0 = __import__("time").perf_counter()
store.write(records)
if hold == "after":  # acknowledged
    held()
print("done", __import__("time").perf_counter() - t0, flush=True)
"""


def _child(url: str, prefix: str, n: int, hold: str = "none") -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CHILD, url, prefix, str(n), hold],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


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
    assert first.communicate(timeout=HANG) and first.returncode == 0
    assert _batch_counts(db_url, "kept") == (50, 250)

    for hold, whole in (("audit", False), ("commit", False), ("after", True)):
        batch = f"held-{hold}"
        child = _child(db_url, batch, HELD_RECORDS, hold)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing", child.stderr
        assert child.stdout.readline().strip() == "held", child.stderr
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=HANG)
        assert _batch_counts(db_url, "kept") == (50, 250)
        assert _batch_counts(db_url, batch) == ((HELD_RECORDS, 5 * HELD_RECORDS) if whole
                                                else (0, 0)), hold

    # At random moments too: wherever one lands, the batch is whole or absent.
    rng = random.Random(9)
    for attempt in range(2):
        batch = f"big{attempt}"  # each attempt writes its own batch
        child = _child(db_url, batch, RECORDS)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing", child.stderr
        delay = rng.uniform(0.05, 1.0)
        time.sleep(delay)  # where the kill lands: any outcome below is a pass or a bug
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
        child.communicate(timeout=HANG)
        assert _batch_counts(db_url, "kept") == (50, 250)
        got = _batch_counts(db_url, batch)
        # killed before the commit: nothing; finished, or killed between the commit
        # and the exit: everything. Never a part.
        assert got in ((0, 0), (RECORDS, 5 * RECORDS)), (attempt, delay, child.returncode, got)
    finished = _child(db_url, "big", RECORDS)
    out, errors = finished.communicate(timeout=HANG)
    assert finished.returncode == 0, errors
    assert _batch_counts(db_url, "big") == (RECORDS, 5 * RECORDS)
    assert _batch_counts(db_url, "kept") == (50, 250)
