"""Resumability with real processes: `tearline sync` is killed (SIGKILL) at random points
of the pull, then run to the end; every object is stored exactly once, the audit log
verifies, and the result equals an uninterrupted sync into a fresh store.

Each kill lands where the test chose, whatever the machine's speed: the puller stops at
a random page of what is left — inside that page's transaction, its objects judged and
stored but not committed, or just after its commit — says so on a pipe, and is killed
there. The pullers killed are processes of their own (forked: ``sync_child.py``); the
last run, which only has to finish, and the uninterrupted reference (one per module,
for both backends) run the same command in this process.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest
import sync_child
from medallion_server import Medallion, ofac_records, standard_objects, start_medallion
from sync_world import seed_parties, stored
from typer.testing import CliRunner

from forked import killed, said, start
from store_template import copy_to
from tearline.cli import app
from tearline.cli.common import STATE
from tearline.store import sync_state as ss
from tearline.store.audit_verify import first_bad
from tearline.store.store import Store

KILLS = int(os.environ.get("TEARLINE_SYNC_KILLS", "3"))
PASSWORD_ENV = "TEARLINE_TEST_SOURCE_PASSWORD"
SOURCE = "ofac.feed"
PAGE = 25
SYNC = ["sync", SOURCE, "--page-size", str(PAGE), "-q", "-f", "json"]


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


def puller(db_url: str, workspace: Path, server: Medallion, page: int, where: str
           ) -> tuple[Any, Connection]:
    """`tearline sync` in a process of its own (``sync_child.py``) that stops at ``page``
    (``where``: "in" its transaction or "after" its commit) and says so on the pipe
    returned; its output goes to ``workspace/sync.log``."""
    env = {PASSWORD_ENV: server.auth[1], "TEARLINE_DB_URL": db_url,
           "TEARLINE_WORKSPACE": str(workspace)}
    return start(sync_child.pull, env, SYNC, str(workspace / "sync.log"), page, where)


def synced(db_url: str, workspace: Path, server: Medallion) -> None:
    """`tearline sync` run to the end in this process: the command :func:`puller` runs."""
    env = {PASSWORD_ENV: server.auth[1], "TEARLINE_DB_URL": db_url,
           "TEARLINE_WORKSPACE": str(workspace)}
    try:
        done = CliRunner().invoke(app, SYNC, env=env)
    finally:
        STATE.close()
    assert done.exit_code == 0, done.output


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


@pytest.fixture(scope="module")
def reference(medallion: Medallion, tmp_path_factory: pytest.TempPathFactory,
              store_template: Path) -> dict[str, Any]:
    """What an uninterrupted run stores, into a new SQLite store of its own (a copy of
    the migrated template: the sync is compared, not the migrations)."""
    workspace = tmp_path_factory.mktemp("reference")
    url = copy_to(store_template, f"sqlite:///{workspace / 'reference.sqlite'}")
    prepare(url, medallion)
    synced(url, workspace, medallion)
    return snapshot(url)


@pytest.mark.slow
def test_killed_at_random_points_then_resumed_stores_every_object_exactly_once(
        db_url: str, store_template: Path, medallion: Medallion, reference: dict[str, Any],
        tmp_path: Path) -> None:
    # On SQLite a copy of the migrated template (the sync is tested, not the migrations);
    # on PostgreSQL a fresh schema, which migrates faster than the template is copied.
    copy_to(store_template, db_url)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    prepare(db_url, medallion)
    rng = random.Random(int(os.environ.get("TEARLINE_SYNC_SEED", "6")))
    total = len(medallion.objects)
    for _ in range(KILLS):
        # A page of what is left: the puller stores at least that many pages.
        left = max(1, math.ceil((total - received_count(db_url)) / PAGE))
        where = rng.choice(["in", "after"])
        process, pipe = puller(db_url, workspace, medallion, rng.randint(1, left), where)
        assert said(pipe) == "held", (workspace / "sync.log").read_text(errors="replace")
        killed(process)
        partial = snapshot(db_url)  # consistent after every kill
        assert partial["created"] == len(partial["records"])
    synced(db_url, workspace, medallion)
    after = snapshot(db_url)
    assert after["records"] == reference["records"] and after["records"]
    assert after["origins"] == reference["origins"]
    assert after["created"] == len(after["records"])  # each record created exactly once
    assert after["received"] == reference["received"]
    assert len(after["received"]) == len(medallion.objects)
