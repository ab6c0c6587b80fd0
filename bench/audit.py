"""Benchmark of the stored audit log: appends, proofs at 10 million entries, verification.

Each figure is printed beside a baseline measured in the same run: plain
``hashlib.sha256`` over the same bytes (the least any log must do per entry).

    .venv/bin/python bench/audit.py                       # SQLite and PostgreSQL, ~5 minutes
    .venv/bin/python bench/audit.py --entries 1000000 --no-postgres

Full verification is timed three ways, each named on its line: one process on one
connection (the in-process bulk pass), 2 threads, and 2 worker processes (on SQLite
the light workers of ``audit verify``, which ``tearline audit verify`` uses by default
from 262,144 entries); each line also gives the CPU time per entry of this process and
its finished workers, which on a shared machine says more than the rate (on
PostgreSQL the server's own CPU time is not in it).

The 10-million-entry log for proofs is bulk-loaded: leaf hashes derived from SHAKE-256,
interior nodes computed level by level in memory (``MemoryTree.extend_packed``) and
inserted with ``executemany`` — the same rows appends would have written.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _ratios import report  # noqa: E402
from tearline.audit.events import RecordRead  # noqa: E402
from tearline.audit.memory_tree import MemoryTree  # noqa: E402
from tearline.store import audit_log, audit_verify  # noqa: E402
from tearline.store.engine import driver_cursor, marker_for  # noqa: E402
from tearline.store.store import Store  # noqa: E402


def events(count: int, tag: str) -> list[RecordRead]:
    return [
        RecordRead(at="2025-01-31T17:04:05.123456Z", actor="analyst:ana@mx.semar.uie",
                   subject="analyst:ana@mx.semar.uie", entity_id=f"{tag}-{i:09d}",
                   version=1 + i % 7, statement_ids=tuple(f"st-{i}-{j}" for j in range(6)),
                   path="search")
        for i in range(count)
    ]  # fmt: skip


def rate(label: str, count: int, seconds: float, base: float | None, unit: str = "/s") -> float:
    value = count / seconds
    ratio = f"   ({value / base:.3f}× baseline)" if base else ""
    print(f"  {label:<52} {value:>12,.0f} {unit}{ratio}", flush=True)
    if base:
        report(f"{label.strip()} (rate / SHA-256's)", value / base)
    return value


def baseline(bodies: list[bytes]) -> float:
    sha = hashlib.sha256
    start = time.perf_counter()
    for body in bodies:
        sha(body).digest()
    return rate("baseline: sha256 over each entry's bytes", len(bodies),
                time.perf_counter() - start, None)


def bench_appends(store: Store, one_by_one: int, batched: int, batch: int) -> None:
    evs = events(one_by_one + batched, "a")
    base = baseline([e.to_canonical() for e in evs])
    start = time.perf_counter()
    for event in evs[:one_by_one]:
        with store.transaction() as conn:
            audit_log.append(conn, [event])
    rate("append one by one (one transaction, one commit each)", one_by_one,
         time.perf_counter() - start, base, "appends/s")
    rest = evs[one_by_one:]
    start = time.perf_counter()
    for i in range(0, len(rest), batch):
        with store.transaction() as conn:
            audit_log.append(conn, rest[i : i + batch])
    rate(f"append batched ({batch} per transaction)", len(rest), time.perf_counter() - start,
         base, "appends/s")
    fresh = events(batched, "b")
    start = time.perf_counter()
    for i in range(0, len(fresh), batch):
        with store.transaction() as conn:
            audit_log.append(conn, fresh[i : i + batch])
    rate("  the same, including building and validating events", batched,
         time.perf_counter() - start, base, "appends/s")


def bulk_load(store: Store, tree: MemoryTree) -> None:
    """Insert every perfect node of ``tree`` and set the head to its size (no entries)."""
    mark = marker_for(store.dialect)
    sql = f"INSERT INTO audit_nodes (level, idx, hash) VALUES ({mark}, {mark}, {mark})"
    with store.transaction() as conn, driver_cursor(conn) as cursor:
        level = 0
        while tree.level_count(level):
            count, packed = tree.level_count(level), tree.packed(level)
            for lo in range(0, count, 200_000):
                cursor.executemany(sql, ((level, j, packed[32 * j : 32 * j + 32])
                                         for j in range(lo, min(count, lo + 200_000))))
            level += 1
        cursor.execute(f"UPDATE audit_head SET size = {mark} WHERE id = 1", (tree.size,))


def bench_proofs(store: Store, tree: MemoryTree, samples: int) -> None:
    n = tree.size
    start = time.perf_counter()
    bulk_load(store, tree)
    print(f"  bulk-loaded {n:,} leaves' nodes in {time.perf_counter() - start:.1f} s", flush=True)
    rng = random.Random(6962)
    proof_bytes = b"".join(tree.inclusion_proof(n // 3))
    rounds = 20_000
    start = time.perf_counter()
    for _ in range(rounds):
        hashlib.sha256(proof_bytes).digest()
    base_us = (time.perf_counter() - start) / rounds * 1e6
    print(f"  baseline: sha256 over one proof's {len(proof_bytes)} bytes    {base_us:8.2f} µs")
    with store.reading() as conn:
        assert audit_log.root(conn) == (n, tree.root())
        for name, make in (
            ("inclusion", lambda: audit_log.inclusion_proof(conn, rng.randrange(n), n)),
            ("consistency", lambda: audit_log.consistency_proof(conn, rng.randrange(1, n), n)),
        ):
            times = []
            for _ in range(samples):
                start = time.perf_counter()
                make()
                times.append(time.perf_counter() - start)
            times.sort()
            median, p99 = times[len(times) // 2] * 1e6, times[int(len(times) * 0.99)] * 1e6
            print(f"  {name} proof from the store at {n:,}: median {median:7.1f} µs, "
                  f"p99 {p99:7.1f} µs   ({median / base_us:.0f}× baseline)", flush=True)
            report(f"{name} proof at {n:,}, median (time / SHA-256 of a proof)",
                   median / base_us, higher_is_better=False)


def bench_verify(store: Store, count: int) -> None:
    evs = events(count, "v")
    bodies = [e.to_canonical() for e in evs]
    with store.transaction() as conn:
        for i in range(0, count, 20_000):
            audit_log.append(conn, evs[i : i + 20_000])
    base = baseline(bodies)
    for label, options in (
        ("one process, one connection", {}),
        ("2 threads", {"engine": store.engine, "threads": 2}),
        ("2 worker processes", {"engine": store.engine, "processes": 2}),
    ):
        with store.reading() as conn:
            cpu = _cpu_seconds()
            start = time.perf_counter()
            done = audit_verify.verify(conn, **options)  # type: ignore[arg-type]
            seconds = time.perf_counter() - start
            cpu = _cpu_seconds() - cpu
        rate(f"full verification, {label}", done.size, seconds, base, "entries/s")
        print(f"  {'':<52} {cpu / done.size * 1e6:>12.2f} µs CPU per entry "
              "(this process and its workers)", flush=True)


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@contextmanager
def postgres() -> Iterator[str | None]:
    from pgserver import PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL binaries not found: skipped")
        yield None
        return
    server = PgServer.start(bindir)
    try:
        yield server.url
    finally:
        server.stop()


def pg_schema(url: str, name: str) -> str:
    """A fresh schema on the throwaway server, as a URL whose connections use it."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {name}")
    engine.dispose()
    return f"{url}?options=-csearch_path%3D{name}"


def section(title: str, url: str, action: Callable[[Store], None]) -> None:
    print(title, flush=True)
    store = Store.open(url)
    try:
        action(store)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000_000, help="log size for proofs")
    parser.add_argument("--pg-entries", type=int, default=1_000_000, help="the same, PostgreSQL")
    parser.add_argument("--appends", type=int, default=50_000, help="batched appends")
    parser.add_argument("--verify", type=int, default=400_000, help="entries to verify")
    parser.add_argument("--samples", type=int, default=2_000, help="proofs to time")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, SQLite only, for bench/run.py --quick")
    args = parser.parse_args()
    if args.quick:
        args.entries, args.appends, args.verify, args.samples = 20_000, 3_000, 20_000, 100
        args.no_postgres = True
    tmp = Path(tempfile.mkdtemp(prefix="tearline-bench-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path) -> None:
    section("SQLite appends", f"sqlite:///{tmp / 'appends.sqlite'}",
            lambda s: bench_appends(s, 300, args.appends, 1000))
    section("SQLite verification", f"sqlite:///{tmp / 'verify.sqlite'}",
            lambda s: bench_verify(s, args.verify))
    tree = MemoryTree()
    start = time.perf_counter()
    tree.extend_packed(hashlib.shake_256(b"tearline audit bench").digest(32 * args.entries))
    print(f"reference tree of {args.entries:,} leaves built in {time.perf_counter() - start:.1f} s")
    section("SQLite proofs", f"sqlite:///{tmp / 'proofs.sqlite'}",
            lambda s: bench_proofs(s, tree, args.samples))
    if args.no_postgres:
        return
    with postgres() as url:
        if url is None:
            return
        section("PostgreSQL appends", pg_schema(url, "appends"),
                lambda s: bench_appends(s, 300, args.appends, 1000))
        section("PostgreSQL verification", pg_schema(url, "verify"),
                lambda s: bench_verify(s, args.verify))
        small = MemoryTree()
        small.extend_packed(hashlib.shake_256(b"tearline pg").digest(32 * args.pg_entries))
        section("PostgreSQL proofs", pg_schema(url, "proofs"),
                lambda s: bench_proofs(s, small, args.samples))


if __name__ == "__main__":
    main()
