"""Resumability with real processes: `tearline sync` is killed (SIGKILL) at random points
of the pull (each kill after the run has stored something of its own), then run to the
end; every object is stored exactly once, the audit log verifies, and the result equals
an uninterrupted sync into a fresh store."""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from medallion_server import Medallion, ofac_records, standard_objects, start_medallion
from sync_world import seed_parties, stored

from tearline.store import sync_state as ss
from tearline.store.audit_verify import first_bad
from tearline.store.store import Store

KILLS = int(os.environ.get("TEARLINE_SYNC_KILLS", "3"))
PASSWORD_ENV = "TEARLINE_TEST_SOURCE_PASSWORD"
SOURCE = "ofac.feed"
PAGE = 25


@pytest.fixture(scope="module")
def medallion(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Medallion]:
    objects = standard_objects(ofac_records(data_dir, 200))
    server = start_medallion(tmp_path_factory.mktemp("medallion"), objects, page_size=PAGE)
    yield server
    server.stop()


def prepare(db_url: str, server: Medallion) -> None:
    store = Store.open(db_url)
    try:
        seed_parties(store)
        with store.transaction() as conn:
            ss.add_source(conn, ss.Source(SOURCE, "us.treasury", server.url, server.auth[0],
                                          PASSWORD_ENV), datetime.now(UTC), "system")
    finally:
        store.close()


def puller(db_url: str, workspace: Path, server: Medallion) -> subprocess.Popen[bytes]:
    """`tearline sync` in a process of its own; its output goes to ``workspace/sync.log``."""
    env = {**os.environ, PASSWORD_ENV: server.auth[1], "TEARLINE_DB_URL": db_url,
           "TEARLINE_WORKSPACE": str(workspace)}
    with open(workspace / "sync.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-c", "from tearline.cli import main; main()", "sync", SOURCE,
             "--page-size", str(PAGE), "-q", "-f", "json"],
            env=env, stdout=log, stderr=subprocess.STDOUT)


def finished(process: subprocess.Popen[bytes], workspace: Path) -> None:
    code = process.wait(300)
    assert code == 0, (workspace / "sync.log").read_text(errors="replace")[-3000:]


def snapshot(db_url: str) -> dict[str, Any]:
    store = Store.open(db_url)
    try:
        with store.reading() as conn:
            received = ss.received(conn, SOURCE)
            assert first_bad(conn) is None
        return {**stored(store), "received": sorted((r.object_id, r.version, r.outcome)
                                                    for r in received)}
    finally:
        store.close()


def received_count(db_url: str) -> int:
    store = Store.open(db_url, migrate=False)
    try:
        with store.reading() as conn:
            return len(ss.received(conn, SOURCE))
    finally:
        store.close()


def pulling(db_url: str, target: int, process: subprocess.Popen[bytes]) -> None:
    """Wait until the store holds ``target`` received objects or ``process`` has ended.
    One store is polled (opening one is the costly part), so as not to slow the puller."""
    store = Store.open(db_url, migrate=False)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            with store.reading() as conn:
                if len(ss.received(conn, SOURCE)) >= target:
                    return
            time.sleep(0.02)
    finally:
        store.close()


@pytest.mark.slow
def test_killed_at_random_points_then_resumed_stores_every_object_exactly_once(
        db_url: str, medallion: Medallion, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    prepare(db_url, medallion)
    rng = random.Random(int(os.environ.get("TEARLINE_SYNC_SEED", "6")))
    # An uninterrupted run, into a reference store of its own; how long one page of the
    # pull takes there (from the first page stored to the end).
    reference_url = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    prepare(reference_url, medallion)
    process = puller(reference_url, workspace, medallion)
    pulling(reference_url, 1, process)
    first = time.monotonic()
    finished(process, workspace)
    total = len(medallion.objects)
    per_page = (time.monotonic() - first) / math.ceil(total / PAGE)
    killed_mid_way = 0
    for _ in range(KILLS):
        # Each kill lands inside the pull, not in the interpreter's start-up (where it
        # would prove nothing): once a random number of objects (within the first half
        # of what is left) is stored, at a random moment of the next page's work.
        before = received_count(db_url)
        process = puller(db_url, workspace, medallion)
        pulling(db_url, before + rng.randint(1, max(1, (total - before) // 2)), process)
        time.sleep(rng.uniform(0, per_page))
        if process.poll() is None:
            process.kill()
            killed_mid_way += 1
        process.wait(60)
        partial = snapshot(db_url)  # consistent after every kill
        assert partial["created"] == len(partial["records"])
    assert killed_mid_way > 0, "no kill landed while the puller was running"
    finished(puller(db_url, workspace, medallion), workspace)
    after, reference = snapshot(db_url), snapshot(reference_url)
    assert after["records"] == reference["records"] and after["records"]
    assert after["origins"] == reference["origins"]
    assert after["created"] == len(after["records"])  # each record created exactly once
    assert after["received"] == reference["received"]
    assert len(after["received"]) == len(medallion.objects)
