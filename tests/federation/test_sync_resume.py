"""Resumability with real processes: `tearline sync` is killed (SIGKILL) at random points
of the pull, then run to the end; every object is stored exactly once, the audit log
verifies, and the result equals an uninterrupted sync into a fresh store.

Each kill lands where the test chose, whatever the machine's speed: the puller stops at
a random page of what is left — inside that page's transaction, its objects judged and
stored but not committed, or just after its commit — says so on a pipe, and is killed
there. The pullers killed are processes of their own; the last run, which only has to
finish, and the uninterrupted reference (one per module, for both backends) run the
same command in this process.
"""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from medallion_server import Medallion, ofac_records, standard_objects, start_medallion
from sync_world import seed_parties, stored
from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.common import STATE
from tearline.store import sync_state as ss
from tearline.store.audit_verify import first_bad
from tearline.store.store import Store
from waiting import HANG

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


HOLDING = r"""
import os, sys
from tearline.federation.sync import Puller
from tearline.store import sync_state as ss

page, where, fd = os.environ["TEARLINE_TEST_HOLD"].split(":")
seen = 0


def reached():
    global seen
    seen += 1
    if seen == int(page):
        os.write(int(fd), b"held\n")
        sys.stdin.readline()  # killed while waiting here
        sys.exit("not killed")


if where == "in":  # inside the page's transaction, before its commit
    mark_received = ss.mark_received
    def marking(*args, **kwargs):
        reached()
        return mark_received(*args, **kwargs)
    ss.mark_received = marking
else:  # the page committed, the next one not yet asked for
    store_page = Puller.store_page
    def storing(self, *args, **kwargs):
        store_page(self, *args, **kwargs)
        reached()
    Puller.store_page = storing
from tearline.cli import main
main()
"""


def puller(db_url: str, workspace: Path, server: Medallion,
           hold: tuple[int, str] | None = None) -> tuple[subprocess.Popen[bytes], int | None]:
    """`tearline sync` in a process of its own; its output goes to ``workspace/sync.log``.

    ``hold``: (page, "in" or "after") where it stops; returned with the process is the
    pipe it announces that on."""
    env = {**os.environ, PASSWORD_ENV: server.auth[1], "TEARLINE_DB_URL": db_url,
           "TEARLINE_WORKSPACE": str(workspace)}
    code, fds, said = "from tearline.cli import main; main()", (), None
    if hold is not None:
        said, tell = os.pipe()
        env["TEARLINE_TEST_HOLD"] = f"{hold[0]}:{hold[1]}:{tell}"
        code, fds = HOLDING, (tell,)
    try:
        with open(workspace / "sync.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-c", code, *SYNC],
                env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=fds,
                stdin=subprocess.PIPE if hold is not None else subprocess.DEVNULL)
    finally:
        for fd in fds:
            os.close(fd)
    return process, said


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
def reference(medallion: Medallion, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, Any]:
    """What an uninterrupted run stores, into a fresh SQLite store of its own."""
    workspace = tmp_path_factory.mktemp("reference")
    url = f"sqlite:///{workspace / 'reference.sqlite'}"
    prepare(url, medallion)
    synced(url, workspace, medallion)
    return snapshot(url)


@pytest.mark.slow
def test_killed_at_random_points_then_resumed_stores_every_object_exactly_once(
        db_url: str, medallion: Medallion, reference: dict[str, Any], tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    prepare(db_url, medallion)
    rng = random.Random(int(os.environ.get("TEARLINE_SYNC_SEED", "6")))
    total = len(medallion.objects)
    for _ in range(KILLS):
        # A page of what is left: the puller stores at least that many pages.
        left = max(1, math.ceil((total - received_count(db_url)) / PAGE))
        where = rng.choice(["in", "after"])
        process, said = puller(db_url, workspace, medallion, (rng.randint(1, left), where))
        assert said is not None
        with os.fdopen(said, "rb") as pipe:
            assert pipe.readline() == b"held\n", "the puller ended before its page"
        process.kill()
        process.communicate(timeout=HANG)  # and closes its stdin
        partial = snapshot(db_url)  # consistent after every kill
        assert partial["created"] == len(partial["records"])
    synced(db_url, workspace, medallion)
    after = snapshot(db_url)
    assert after["records"] == reference["records"] and after["records"]
    assert after["origins"] == reference["origins"]
    assert after["created"] == len(after["records"])  # each record created exactly once
    assert after["received"] == reference["received"]
    assert len(after["received"]) == len(medallion.objects)
