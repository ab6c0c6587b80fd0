"""Processes the tests kill, forked from a server that imported tearline once.

Tests of what a SIGKILL leaves behind (a writer, an audited action, a sync) need the
work to run in a process of its own; they do not need a fresh interpreter importing
tearline before each one. :data:`FORKS` is multiprocessing's fork server: a process
started once per test process, which imports :data:`PRELOAD` and forks each child from
itself — a real process, with its own store connections opened after the fork, killed
with SIGKILL like any other. A child tells the test where it is on a pipe
(:func:`said`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from waiting import HANG

#: What the children use, imported by the fork server (tearline and the drivers; it does
#: not see the tests' folders, so a child's own module is imported after the fork).
PRELOAD = ["tearline.cli", "tearline.cli.sync", "tearline.federation.sync",
           "tearline.model.record", "tearline.store.store", "tearline.store.audit_events",
           "tearline.store.sync_state", "sqlite3", "psycopg"]
FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload(PRELOAD)


def start(target: Callable[..., None], *args: Any) -> tuple[Any, Connection]:
    """A child running ``target(*args, conn)``, and the test's end of ``conn``."""
    ours, theirs = FORKS.Pipe()
    process = FORKS.Process(target=target, args=(*args, theirs), daemon=True)
    process.start()
    theirs.close()
    return process, ours


def said(conn: Connection) -> str:
    """The next thing the child said (failing if it ended without a word)."""
    assert conn.poll(HANG), "the child said nothing"
    try:
        return str(conn.recv())
    except EOFError:
        raise AssertionError("the child ended without a word") from None


def killed(process: Any) -> None:
    """SIGKILL, and the child reaped."""
    process.kill()
    process.join(HANG)
    assert process.exitcode is not None


def finished(process: Any) -> int:
    """The exit status of a child left to finish."""
    process.join(HANG)
    assert process.exitcode is not None, "the child did not finish"
    return int(process.exitcode)
