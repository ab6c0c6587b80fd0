"""Load on the HTTP API over loopback: a bare route, authentication, an entity read, a search.

The node runs under uvicorn in a child process (or ``--workers`` processes) on 127.0.0.1
with a SQLite workspace of synthetic records. Load comes from 1 and from 50 concurrent
clients, each one keep-alive HTTP/1.1 connection: from ``wrk`` when it is installed
(Debian's package; it costs the shared cores least), otherwise from asyncio streams
written by hand (``--client python``). Reported per route: requests/s, p50 and p99
latency, errors, and the server's CPU time per request (its processes' user + system
time over the run, steadier than latency on a shared machine). ``hello``
(``GET /api/v1/health``: no authentication, no database) is the same app's floor,
``auth`` (``GET /api/v1/whoami``) adds the token check only; the ratio to ``hello`` is
our cost.

    .venv/bin/python bench/api.py                       # 2,000 records, ~1 minute
    .venv/bin/python bench/api.py --records 500 --seconds 10 --workers 2
    .venv/bin/python bench/api.py --client python --requests 2000
    .venv/bin/python bench/api.py --records 1000000 --clients 50 --workers 2  # issue #20
    .venv/bin/python bench/api.py --quick                # a small run, for a quick check

The store is built once per size and seed and kept under ``--data-dir`` (the temporary
directory's ``tearline-bench-cache``), where later runs, and ``bench/web.py``, reuse it;
``--fresh`` builds a throwaway one.

Client and server share the machine's cores, so absolute numbers are pessimistic.
Timings are the machine's, not pinned by any test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from _ratios import report

SURNAMES = ["garcia", "lopez", "martinez", "hernandez", "gonzalez", "perez", "sanchez",
            "ramirez", "torres", "flores", "rivera", "gomez", "diaz", "cruz", "morales"]
GIVEN = ["jose", "juan", "maria", "luis", "carlos", "ana", "jorge", "miguel", "rosa", "pedro"]


def prepare(db: Path, records: int, seed: int,
            chunk: int = 20_000) -> tuple[str, str, list[str]]:
    """A workspace database with parties, ``records`` persons and one read token."""
    from tearline.api.auth import Scope, issue_token
    from tearline.model.marking import Marking
    from tearline.model.parties import Agency, Agreement, Unit
    from tearline.model.record import build_record
    from tearline.model.statement import Provenance
    from tearline.store import parties
    from tearline.store.store import Store

    url = f"sqlite:///{db}"
    store = Store.open(url)
    now = datetime.now(UTC)
    with store.transaction() as conn:
        parties.put_agency(conn, Agency("mx.semar", "SEMAR", "mx"), now)
        parties.put_agency(conn, Agency("us.dea", "DEA", "us"), now)
        parties.put_unit(conn, Unit("mx.semar.uie", "mx.semar", "UIE"), now)
        parties.put_unit(conn, Unit("us.dea.sod", "us.dea", "SOD"), now)
        parties.put_agreement(conn, Agreement("mx-us", "MX-US", "bilateral",
                                              frozenset({"mx.semar", "us.dea"})), now)
    rng = random.Random(seed)
    markings = [
        Marking.build("GREEN"),
        Marking.build("AMBER", ["agency:us.dea"], legal_basis="mx-us"),
        Marking.build("RED", ["unit:mx.semar.uie"]),
    ]
    prov = Provenance("mx.semar", "mx.semar.uie", now)
    # Built and written a chunk at a time (one transaction each, the bulk write path),
    # so that a store of millions of records neither holds them all in memory nor pays
    # a transaction per record.
    for start in range(0, records, chunk):
        batch = []
        for i in range(start, min(start + chunk, records)):
            name = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
            batch.append(build_record(f"p-{i:07d}", "Person", {"name": [name]}, prov,
                                      markings[i % 3], keyer=store.keyer))
        store.write(batch)
    token, _ = issue_token(store, "us.dea.sod", frozenset({Scope.read}), timedelta(days=1),
                           "bench", "bench")
    visible = [f"p-{i:07d}" for i in range(records) if i % 3 != 2]
    store.close()
    return url, token, visible


def reuse(db: Path, records: int) -> tuple[str, str, list[str]]:
    """A workspace :func:`prepare` built before: opened (migrations applied), a new
    token issued; the visible ids follow from the same numbering."""
    from tearline.api.auth import Scope, issue_token
    from tearline.store.store import Store

    url = f"sqlite:///{db}"
    store = Store.open(url)
    token, _ = issue_token(store, "us.dea.sod", frozenset({Scope.read}), timedelta(days=1),
                           "bench", "bench")
    store.close()
    return url, token, [f"p-{i:07d}" for i in range(records) if i % 3 != 2]


#: Where the benches keep the stores they build (``--data-dir``), keyed by their size and
#: seed: a store of 1,000,000 records takes a quarter of an hour to build on two cores,
#: the runs that measure it a minute.
DATA_DIR = Path(tempfile.gettempdir()) / "tearline-bench-cache"


def cached(data_dir: Path, records: int, seed: int) -> tuple[str, str, list[str], bool]:
    """The store of ``records`` persons built with ``seed`` under ``data_dir``: reused
    when an earlier run built it, else built (under a temporary name, renamed once
    complete, so that an interrupted build is never taken for a store). The last item
    says whether it was reused."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"api-{records}-seed-{seed}.sqlite"
    if path.exists():
        return (*reuse(path, records), True)
    partial = path.with_name(path.name + ".building")
    for leftover in data_dir.glob(partial.name + "*"):
        leftover.unlink()
    prepare(partial, records, seed)
    partial.with_name(partial.name + "-writers").unlink(missing_ok=True)
    for suffix in ("-wal", "-shm", ""):  # the file last: once it is there, it is whole
        side = partial.with_name(partial.name + suffix)
        if side.exists():
            side.rename(path.with_name(path.name + suffix))
    return (*reuse(path, records), False)


def serve(url: str, port: int, workers: int) -> None:
    """The child process: the app under uvicorn on loopback (``workers`` processes)."""
    import uvicorn

    from tearline.api.app import create_app, settle_heap
    from tearline.api.server import server_config
    from tearline.api.settings import ApiSettings
    from tearline.store.store import Store

    if workers > 1:
        from tearline.cli.serve import run_workers

        run_workers(url, "127.0.0.1", port, workers)
        return
    app = create_app(Store.open(url), ApiSettings.from_env())
    settle_heap()  # as tearline serve does
    uvicorn.Server(server_config(app, "127.0.0.1", port, log_level="warning")).run()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Connection:
    """One keep-alive HTTP/1.1 connection, written by hand: an HTTP client library costs
    more per request than the routes under test, and the client shares the cores."""

    def __init__(self, host: str, port: int, header: str) -> None:
        """``header``: the one line every request carries (a token, or a cookie)."""
        self.host, self.port = host, port
        self.head = f"Host: {host}:{port}\r\n{header}\r\n\r\n"
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\n{self.head}".encode("ascii"))
        head = await reader.readuntil(b"\r\n\r\n")
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            raise ConnectionError("answer without Content-Length")
        await reader.readexactly(length)
        return int(head[9:12])

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def load(base: str, paths: list[str], token: str, clients: int,
               total: int) -> tuple[float, list[float], int]:
    """``total`` GETs by ``clients`` clients holding the same token."""
    return await load_as(base, paths, [f"Authorization: Bearer {token}"] * clients, total)


async def load_as(base: str, paths: list[str], headers: list[str],
                  total: int) -> tuple[float, list[float], int]:
    """``total`` GETs of ``paths`` in turn, one client (one keep-alive connection) per
    header line (a token, or a session cookie): seconds, latencies, errors."""
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(paths[i % len(paths)])
    url = httpx.URL(base)
    host, port = url.host, url.port or 80

    async def client(header: str) -> None:
        nonlocal errors
        connection = _Connection(host, port, header)
        try:
            while True:
                try:
                    path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                start = time.perf_counter()
                try:
                    if await connection.get(path) != 200:
                        errors += 1
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    errors += 1
                    connection.close()
                latencies.append(time.perf_counter() - start)
        finally:
            connection.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(h) for h in headers))
    return time.perf_counter() - start, latencies, errors


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` and its children, from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        pending.extend(int(child) for child in children)
    return total


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _found(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text)
    if match is None:
        raise SystemExit(f"unexpected output from wrk:\n{text}")
    return match


def wrk_load(base: str, paths: list[str], token: str, clients: int, seconds: float,
             folder: Path) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p99 ms, errors) from ``wrk`` cycling through ``paths``."""
    script = folder / "paths.lua"
    quoted = ",".join('"' + p.replace('"', '\\"') + '"' for p in paths)
    script.write_text(f"paths = {{{quoted}}}\ni = 0\nrequest = function()\n"
                      "  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n")
    out = subprocess.run(
        ["wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds:g}s", "--latency",
         "--timeout", "10s", "-s", str(script), "-H", f"Authorization: Bearer {token}", base],
        capture_output=True, text=True, check=True).stdout
    rate = float(_found(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(label: str) -> float:
        value, unit = _found(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * _UNITS[unit]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, latency("50"), latency("99"), errors + (int(non2xx.group(1)) if non2xx else 0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--client", choices=["wrk", "python"],
                        default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--seconds", type=float, default=5, help="per line, with wrk")
    parser.add_argument("--requests", type=int, default=1000,
                        help="per line, with the Python client")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--db", type=Path, help="keep the workspace's SQLite file here and "
                        "reuse it when it exists (built by this bench with the same "
                        "--records and --seed; opening it applies pending migrations)")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR,
                        help="where built stores are kept and reused, by --records and "
                        "--seed (default: %(default)s)")
    parser.add_argument("--fresh", action="store_true",
                        help="build a throwaway store instead of reusing a kept one")
    parser.add_argument("--routes", nargs="+", choices=["hello", "auth", "read", "search"],
                        default=["hello", "auth", "read", "search"],
                        help="the routes to load (hello always runs: the floor)")
    parser.add_argument("--quick", action="store_true",
                        help="a small run: 500 records, 2 s per line, 2 workers")
    args = parser.parse_args()
    if args.quick:
        args.records, args.seconds, args.requests, args.workers = 500, 2, 300, 2
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        if args.db is not None and args.db.exists():
            url, token, visible = reuse(args.db, args.records)
            kept = True
        elif args.db is not None or args.fresh:
            db = args.db or Path(tmp) / "tearline.sqlite"
            db.parent.mkdir(parents=True, exist_ok=True)
            url, token, visible = prepare(db, args.records, args.seed)
            kept = False
        else:
            url, token, visible, kept = cached(args.data_dir, args.records, args.seed)
        print(f"store of {args.records:,} records "
              f"{'opened (and migrated)' if kept else 'built'} in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        port = free_port()
        child = subprocess.Popen([sys.executable, __file__, "--serve", url, str(port),
                                  str(args.workers)],
                                 env={**os.environ, "PYTHONUNBUFFERED": "1"})
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or child.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            rng = random.Random(args.seed)
            routes = {
                "hello": ["/api/v1/health"],
                "auth": ["/api/v1/whoami"],
                "read": [f"/api/v1/entities/{rng.choice(visible)}" for _ in range(500)],
                "search": [f"/api/v1/search?q={rng.choice(SURNAMES)}&limit=20"
                           for _ in range(100)],
            }
            routes = {name: paths for name, paths in routes.items()
                      if name == "hello" or name in args.routes}
            for paths in routes.values():  # warm-up: compiled queries, token cache
                asyncio.run(load(base, paths[:20], token, 8, 80))  # reaches every worker
            per_line = (f"{args.seconds:g} s per line (wrk)" if args.client == "wrk"
                        else f"{args.requests:,} requests per line (Python client)")
            print(f"{args.records:,} records, SQLite, {args.workers} server process(es), "
                  f"{per_line}")
            print(f"{'route':<8} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
                  f"{'errors':>6} {'p50/hello':>9} {'CPU ms/req':>10} {'CPU/hello':>9}")
            hello: dict[int, tuple[float, float]] = {}
            for clients in args.clients:
                for name, paths in routes.items():
                    cpu = server_cpu(child.pid)
                    if args.client == "wrk":
                        rate, p50, p99, errors = wrk_load(base, paths, token, clients,
                                                          args.seconds, Path(tmp))
                        done = rate * args.seconds
                    else:
                        took, lat, errors = asyncio.run(
                            load(base, paths, token, clients, args.requests))
                        p50, p99 = percentile(lat, 0.5) * 1000, percentile(lat, 0.99) * 1000
                        rate, done = len(lat) / took, len(lat)
                    per_request = (server_cpu(child.pid) - cpu) / max(done, 1) * 1000
                    if name == "hello":
                        hello[clients] = (p50, per_request)
                    floor = hello.get(clients, (p50, per_request))
                    print(f"{name:<8} {clients:>7} {rate:>8.0f} {p50:>8.1f} {p99:>8.1f} "
                          f"{errors:>6} {p50 / floor[0]:>9.1f} {per_request:>10.2f} "
                          f"{per_request / floor[1]:>9.1f}", flush=True)
                    if name != "hello":
                        report(f"{name} at {clients} clients, server CPU per request "
                               "(/ the bare route's)", per_request / floor[1],
                               higher_is_better=False)
        finally:
            child.terminate()
            try:
                child.wait(60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


if __name__ == "__main__":
    main()
