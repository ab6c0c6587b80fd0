"""Full verification of the stored audit log: every leaf, every node, every checkpoint.

Each stored row belongs to one append: entry ``i`` and the nodes its append
completed (node (level, j) belongs to entry ``(j + 1)·2^level − 1``). ``verify``
reports the smallest ``i`` whose rows do not check out, so that an answer ``k``
means: the log's first ``k`` entries and every node they completed are intact. The
checks, all against what is stored (nothing is trusted because it was stored):

* entry ``i`` exists exactly once, and no entry lies past the head's size;
* its leaf hash is SHA-256(0x00 || its bytes), and its lookup columns (kind, at,
  actor, entity id) are the ones in its bytes (on PostgreSQL, which stores both
  beside the bytes; on SQLite the row is the bytes alone, migration 0010);
* node (0, i) is its leaf hash; node (level, j) is SHA-256(0x01 || left || right)
  of the two stored nodes below it; every node the log's size implies exists, and
  no other does;
* every stored checkpoint is signed by the node key and names the root that the
  stored nodes give at its size; a bad checkpoint at size ``s`` reports the size of
  the last good one before it (everything from there on is not vouched for).

Changing, deleting, reordering or inserting any entry or node row is caught by one
of these. Large logs are checked in ranges by several processes (one per core). The
row-by-row checks of a range are in ``store/audit_locate.py``; this module plans the
ranges and checks the checkpoints.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Engine

from tearline.audit.checkpoint import verify_note
from tearline.errors import IntegrityError, ProofError, tr
from tearline.store.audit_locate import Bad, _extra_rows, check_range
from tearline.store.audit_log import root, size
from tearline.store.engine import driver_cursor

#: Entries checked per database round trip.
BATCH = 65536
#: Below this many entries the ranges are checked one after the other.
PARALLEL_FROM = 2 * BATCH
#: From this many entries a SQLite file is checked by one worker process per core.
PROCESSES_FROM = 4 * BATCH
#: Entries per range handed to a worker process: ranges are dealt to the workers in
#: turn, so small ones keep the workers equally busy even when one core is shared.
WORKER_BATCH = 16384


@dataclass(frozen=True, slots=True)
class Verified:
    size: int
    root: bytes
    checkpoints: int


def _ranges(n: int, parts: int) -> list[tuple[int, int]]:
    step = max(BATCH, -(-n // parts))
    step = 1 << (step - 1).bit_length()  # aligned ranges: most nodes fall inside one
    return [(lo, min(n, lo + step)) for lo in range(0, n, step)]


def _worker(url: str, start: int, end: int) -> Bad | None:
    from tearline.store.engine import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            for lo in range(start, end, BATCH):
                bad = check_range(conn, lo, min(end, lo + BATCH))
                if bad:
                    return bad
        return None
    finally:
        engine.dispose()


def _sqlite_file(engine: Engine) -> str | None:
    """The database file behind a SQLite engine (``None`` for memory or other backends)."""
    url = engine.url
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return database


def _scan_processes(conn: Connection, path: str, n: int, workers: int) -> Bad | None:
    """The first bad entry, the bulk pass run by ``workers`` processes over a SQLite file.

    Worker ``k`` checks ranges k, k + workers, … in order and stops at its first
    refused range, so every range below the smallest refused one was cleared; that
    one is located here, row by row. Should it hold nothing bad after all (the bulk
    pass may refuse too much, never too little), the ranges its worker left are
    checked here too, in log order; a worker that fails leaves all its ranges here.
    """
    bounds = [(lo, min(n, lo + WORKER_BATCH)) for lo in range(0, n, WORKER_BATCH)]
    shares = [bounds[k::workers] for k in range(workers)]
    command = [sys.executable, "-m", "tearline.store.audit_scan", path]
    started: list[tuple[list[tuple[int, int]], subprocess.Popen[str] | None]] = []
    for share in filter(None, shares):
        try:
            worker = subprocess.Popen([*command, *(f"{lo}:{hi}" for lo, hi in share)],
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      text=True)
        except OSError:  # no interpreter to start: this process checks the share
            worker = None
        started.append((share, worker))
    unchecked: list[tuple[int, int]] = []
    for share, worker in started:
        if worker is None:
            unchecked += share
            continue
        answer = worker.communicate()[0].strip()
        if worker.returncode == 0 and answer == "ok":
            continue
        first, sep, last = answer.partition(":")
        refused = (int(first), int(last)) if sep and first.isdigit() and last.isdigit() else None
        if worker.returncode == 0 and refused in share:
            unchecked += share[share.index(refused) :]
        else:  # the worker failed: its ranges are checked here
            unchecked += share
    for lo, hi in sorted(unchecked):
        bad = check_range(conn, lo, hi)
        if bad:
            return bad
    return None


def _checkpoints(conn: Connection, n: int, public_key: Ed25519PublicKey | None,
                 key_name: str | None) -> tuple[int, Bad | None]:
    with driver_cursor(conn) as cursor:
        cursor.execute("SELECT size, root, note FROM audit_checkpoints ORDER BY size")
        rows = cursor.fetchall()
    good = 0
    for cp_size, cp_root, note in rows:
        if cp_size > n:
            return len(rows), Bad(n, f"a checkpoint of size {cp_size} is past the log's end {n}")
        reason = None
        if public_key is not None and key_name is not None:
            try:
                signed = verify_note(note, key_name, public_key)
                if signed.size != cp_size or signed.root != bytes(cp_root):
                    reason = "its signed text differs from its columns"
            except ProofError as exc:
                reason = exc.message
        if reason is None and root(conn, cp_size)[1] != bytes(cp_root):
            reason = "the stored log gives another root"
        if reason:
            return len(rows), Bad(good, f"checkpoint of size {cp_size}: {reason}")
        good = cp_size
    return len(rows), None


def _threaded(engine: Engine, n: int, threads: int) -> Bad | None:
    """Ranges checked by ``threads`` threads, each on its own connection, in log order.

    SQLite and psycopg run a statement without holding the GIL, and the aggregates of
    the bulk pass are most of a range's time, so threads overlap one range's queries
    with another's hashing. Once a range is bad, later ranges are not started.
    """

    def job(lo: int, hi: int) -> Bad | None:
        with engine.connect() as own:
            return check_range(own, lo, hi)

    bounds = [(lo, min(n, lo + BATCH)) for lo in range(0, n, BATCH)]
    found: Bad | None = None
    with ThreadPoolExecutor(threads) as pool:
        pending = {pool.submit(job, lo, hi): lo for lo, hi in bounds}
        for future in as_completed(pending):
            if future.cancelled():
                continue
            bad = future.result()
            if bad is not None and (found is None or bad.index < found.index):
                found = bad
                for other, lo in pending.items():
                    if lo > bad.index:
                        other.cancel()
    return found


def verify(
    conn: Connection,
    public_key: Ed25519PublicKey | None = None,
    key_name: str | None = None,
    engine: Engine | None = None,
    processes: int | None = None,
    threads: int | None = None,
) -> Verified:
    """Recompute everything; raise :class:`IntegrityError` with the first bad index.

    With ``engine`` and a large log, ranges are checked by ``threads`` threads (the
    default on PostgreSQL: as many as cores, at most 4), each on its own connection,
    or, with ``processes`` > 1, by that many worker processes. On a SQLite file the
    workers are fresh interpreters that import the bulk pass alone (so they start
    quickly) and the default, from :data:`PROCESSES_FROM` entries, is one per
    core: the bulk pass is Python hashing under the GIL, which threads cannot share.
    Workers and threads read the log as committed, so pass ``engine`` only outside a
    transaction that appended.
    Without ``engine`` the caller's connection alone is used, which also sees the
    caller's uncommitted changes. Checkpoint signatures are checked when the node's public
    key and key name are given.
    """
    n = size(conn)
    problems: list[Bad] = []
    path = _sqlite_file(engine) if engine is not None else None
    if processes is None and path is not None and threads is None and n >= PROCESSES_FROM:
        processes = os.cpu_count() or 1
    workers = processes if processes is not None else 1
    parallel = engine is not None and n >= PARALLEL_FROM
    if threads is None:
        threads = 1 if path is not None else min(4, os.cpu_count() or 1)
    if path is not None and parallel and workers > 1:
        bad = _scan_processes(conn, path, n, workers)
        if bad:
            problems.append(bad)
    elif engine is not None and parallel and workers > 1:
        url = engine.url.render_as_string(hide_password=False)
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            jobs = [pool.submit(_worker, url, lo, hi) for lo, hi in _ranges(n, workers)]
            problems += [bad for job in jobs if (bad := job.result()) is not None]
    elif engine is not None and parallel and threads > 1:
        bad = _threaded(engine, n, threads)
        if bad:
            problems.append(bad)
    else:
        for lo in range(0, n, BATCH):
            bad = check_range(conn, lo, min(n, lo + BATCH))
            if bad:
                problems.append(bad)
                break
    extra = _extra_rows(conn, n)
    if extra:
        problems.append(extra)
    if problems:
        first = min(problems, key=lambda b: b.index)
        raise IntegrityError(tr(
            "audit log entry {index} is bad: {reason}",
            index=first.index, reason=first.reason), first.index)
    count, bad = _checkpoints(conn, n, public_key, key_name)
    if bad:
        raise IntegrityError(tr(
            "audit log from entry {index} is bad: {reason}",
            index=bad.index, reason=bad.reason), bad.index)
    return Verified(n, root(conn, n)[1], count)


def first_bad(conn: Connection, **options: Any) -> int | None:
    """The first bad index, or ``None`` when the log verifies (for tests and reports)."""
    try:
        verify(conn, **options)
    except IntegrityError as exc:
        return exc.index
    return None


__all__: Sequence[str] = ("Bad", "Verified", "check_range", "first_bad", "verify")
