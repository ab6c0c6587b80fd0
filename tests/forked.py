"""Processes the tests kill or run beside them, forked from a server that imported
tearline once.

Tests of what a SIGKILL leaves behind (a writer, an audited action, a sync), and nodes
that each run their commands in processes of their own, need the work to run in a
process of its own; they do not need a fresh interpreter importing tearline before each
one. :data:`FORKS` is multiprocessing's fork server: a process started once per test
process, which imports :data:`PRELOAD` and forks each child from itself — a real
process, with its own store connections opened after the fork, killed with SIGKILL like
any other. A child tells the test where it is on a pipe (:func:`said`); :func:`tearline`
runs one command in a child, as ``subprocess.run`` would run it in a fresh interpreter.

What tearline fixes at import (its console's width, the language of its help) is fixed
in the server, for every child: the server starts in :data:`SERVER_ENV` whichever test
starts it, so no child depends on the order the tests ran in.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from waiting import HANG

#: What the children use, imported by the fork server (tearline and the drivers; it does
#: not see the tests' folders, so a child's own module is imported after the fork).
PRELOAD = ["tearline.cli", "tearline.cli.sync", "tearline.federation.sync",
           "tearline.model.record", "tearline.store.store", "tearline.store.audit_events",
           "tearline.store.sync_state", "sqlite3", "psycopg"]
FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload(PRELOAD)
#: The environment the server imports tearline with, whatever the test that starts it
#: set: the test process's without its ``TEARLINE_`` variables, in English (as every
#: test speaks unless it chooses), no table cell folded.
SERVER_ENV = {"TEARLINE_LANG": "en_US", "COLUMNS": "200"}
COLUMNS = SERVER_ENV["COLUMNS"]


def _running() -> None:
    """The fork server, started (once) with :data:`SERVER_ENV`."""
    saved = dict(os.environ)
    for name in [n for n in os.environ if n.startswith("TEARLINE_")]:
        del os.environ[name]
    os.environ.update(SERVER_ENV)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _reporting(target: Callable[..., None], args: tuple[Any, ...], conn: Connection) -> None:
    """In a child: ``target(*args, conn)``; a failure's traceback is also said on ``conn``
    (the child's own stderr is the server's, not the test's)."""
    try:
        target(*args, conn)
    except Exception:
        with contextlib.suppress(OSError):
            conn.send(traceback.format_exc())
        raise


def start(target: Callable[..., None], *args: Any) -> tuple[Any, Connection]:
    """A child running ``target(*args, conn)``, and the test's end of ``conn``."""
    _running()
    ours, theirs = FORKS.Pipe()
    process = FORKS.Process(target=_reporting, args=(target, args, theirs), daemon=True)
    process.start()
    theirs.close()
    return process, ours


def held(conn: Connection) -> None:
    """In a child: say "held" and wait there to be killed (exiting if it is not)."""
    conn.send("held")
    conn.recv()  # killed while waiting here
    sys.exit("not killed")


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


def command(env: Mapping[str, str], argv: Sequence[str], out: str, err: str,
            conn: Connection) -> None:
    """In a child: ``tearline ARGV`` with exactly ``env``, its output and errors in files."""
    conn.close()
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, out), (2, err)):
        opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    from tearline.cli import main

    sys.argv = ["tearline", *argv]
    main()


def tearline(*args: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """``tearline ARGS`` run to its end in a child with ``env``: its exit status, output
    and errors, as ``subprocess.run(..., capture_output=True, text=True)`` gives them."""
    with tempfile.TemporaryDirectory(prefix="tearline-command-") as folder:
        out, err = Path(folder, "stdout"), Path(folder, "stderr")
        process, _ = start(command, dict(env), list(args), str(out), str(err))
        code = finished(process)
        return subprocess.CompletedProcess(["tearline", *args], code,
                                           out.read_text(errors="replace"),
                                           err.read_text(errors="replace"))
