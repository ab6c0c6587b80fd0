"""A file is stored whole or not at all, even when the writer is killed with SIGKILL.

A child process (``writer_child.py``, forked from a server that imported tearline
once: ``forked.py``) builds a large batch of records (one "file"), says so, and writes it in
one transaction; the test kills it, several times, then checks that the store is
readable, still holds what it held before, and holds either every statement of the
batch or none of them. Some kills land at points the child stops at and announces —
between the statements and their audit entries, just before the commit, just after
it — so that what each proves does not depend on how fast the machine writes; others
land at random moments. A last run is left to finish.
"""

from __future__ import annotations

import random
import time

import pytest
import writer_child
from sqlalchemy import text

from forked import finished, killed, said, start
from tearline.store.store import Store

pytestmark = pytest.mark.slow

RECORDS = 5_000  # 5 statements each: a write of a second or more
HELD_RECORDS = 500  # where the kill lands is chosen: a smaller batch proves as much


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
    try:  # what the store held before must survive every crash
        store.write(writer_child.records(store, "kept", 50))
    finally:
        store.close()
    assert _batch_counts(db_url, "kept") == (50, 250)

    for hold, whole in (("audit", False), ("commit", False), ("after", True)):
        batch = f"held-{hold}"
        child, conn = start(writer_child.write, db_url, batch, HELD_RECORDS, hold)
        assert said(conn) == "writing"
        assert said(conn) == "held"
        killed(child)
        assert _batch_counts(db_url, "kept") == (50, 250)
        assert _batch_counts(db_url, batch) == ((HELD_RECORDS, 5 * HELD_RECORDS) if whole
                                                else (0, 0)), hold

    # At random moments too: wherever one lands, the batch is whole or absent.
    rng = random.Random(9)
    for attempt in range(2):
        batch = f"big{attempt}"  # each attempt writes its own batch
        child, conn = start(writer_child.write, db_url, batch, RECORDS, "none")
        assert said(conn) == "writing"
        delay = rng.uniform(0.05, 1.0)
        time.sleep(delay)  # where the kill lands: any outcome below is a pass or a bug
        killed(child)
        assert _batch_counts(db_url, "kept") == (50, 250)
        got = _batch_counts(db_url, batch)
        # killed before the commit: nothing; finished, or killed between the commit
        # and the exit: everything. Never a part.
        assert got in ((0, 0), (RECORDS, 5 * RECORDS)), (attempt, delay, child.exitcode, got)
    last, conn = start(writer_child.write, db_url, "big", RECORDS, "none")
    assert said(conn) == "writing"
    assert said(conn) == "done"
    assert finished(last) == 0
    assert _batch_counts(db_url, "big") == (RECORDS, 5 * RECORDS)
    assert _batch_counts(db_url, "kept") == (50, 250)
