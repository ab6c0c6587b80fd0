"""Server time per page of the web application against the API's JSON for the same read.

A SQLite workspace of synthetic Persons (``bench/api.py``'s ``prepare``: a third GREEN, a
third released to the DEA, a third RED for a SEMAR unit), served as ``tearline serve``
serves it (the API with the web pages on 127.0.0.1; ``--workers N``: N uvicorn
processes, as ``tearline serve --workers N`` runs them, the API and the pages served by
the same processes, so both surfaces of a line have the same server). Twenty
concurrent sessions, each its own keep-alive connection and session cookie, ask in turn:

* ``search``: ``/web/search?q=…`` (results, and the facets counted over the best 250
  matches) against the API's read of the same, ``/api/v1/search?q=…&limit=20&facets=true``
  (``api``), and, beside it, the API's results alone, ``…&limit=20`` (``api-r``);
* ``record``: ``/web/record/ID`` against ``/api/v1/entities/ID``.

Reported per line: requests/s, p50 and p95 latency, errors, the server's CPU time per
request (its processes' user + system time over the line, from /proc: steadier than
latency on a shared machine), and the web/API ratio of p95 (and of CPU). ``--workers 1 2``
measures each number of processes in turn, in one run. The goal (issue #18): p95 < 150
ms for search and record pages at 20 sessions, and within 1.5× of the API's JSON.

    .venv/bin/python bench/web.py                         # 20,000 records
    .venv/bin/python bench/web.py --records 100000 --requests 2000
    .venv/bin/python bench/web.py --records 1000000 --requests 1000   # issue #18
    .venv/bin/python bench/web.py --records 1000000 --requests 400 --workers 1 2

``--profile N`` serves nothing: it drives the site's ASGI application in this process,
N requests of each page and of the API's JSON of the same read, prints the CPU per
request (every thread of the process: the store's reads run in worker threads) and
profiles the pages' event-loop side with cProfile (sessions, language, template).

    .venv/bin/python bench/web.py --records 1000000 --profile 60

The store is the one ``bench/api.py`` keeps under ``--data-dir`` for the same size and
seed (built on first use; ``--fresh`` builds a throwaway one).

Client and server share the machine's cores, so absolute numbers are pessimistic.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from _ratios import report

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location("bench_api", HERE / "api.py")
assert _spec and _spec.loader
bench_api = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_api)


def sessions(url: str, count: int) -> list[str]:
    """``count`` open web sessions of the DEA unit (as signing in with its token makes)."""
    from tearline.store import web_accounts
    from tearline.store.store import Store

    store = Store.open(url)
    now = datetime.now(UTC)
    ids = [secrets.token_urlsafe(32) for _ in range(count)]
    with store.transaction() as conn:
        for session_id in ids:
            web_accounts.open_session(conn, session_id, "us.dea.sod", frozenset({"read"}),
                                      secrets.token_hex(32), now, now + timedelta(hours=8))
    store.close()
    return ids


def serve(url: str, port: int, workers: int) -> None:
    """The child process: the site under uvicorn, as ``tearline serve [--workers N]``
    runs it (with several, each worker builds it from the environment)."""
    import uvicorn

    from tearline.api.app import settle_heap
    from tearline.api.server import server_config
    from tearline.cli.web import build_site
    from tearline.store.store import Store

    if workers > 1:
        from tearline.cli.serve import run_workers

        run_workers(url, "127.0.0.1", port, workers)
        return
    site = build_site(Store.open(url))
    settle_heap()
    uvicorn.Server(server_config(site, "127.0.0.1", port, log_level="warning")).run()


def profile_pages(url: str, paths: dict[str, list[tuple[str, list[str], list[str]]]],
                  count: int) -> None:
    """In process: CPU per request of each surface, then a cProfile of the pages."""
    import cProfile
    import pstats

    from tearline.cli.web import build_site
    from tearline.store.store import Store

    site = build_site(Store.open(url))
    transport = httpx.ASGITransport(app=site)

    async def run(todo: list[str], header: str) -> None:
        name, _, value = header.partition(": ")
        async with httpx.AsyncClient(transport=transport, base_url="http://web") as client:
            for path in todo:
                answer = await client.get(path, headers={name: value})
                assert answer.status_code == 200, (path, answer.status_code)

    profiler = cProfile.Profile()
    for line, surfaces in paths.items():
        for surface, todo, headers in surfaces:
            asyncio.run(run(todo[:10], headers[0]))  # warm up
            started = time.process_time()
            asyncio.run(run(todo[:count], headers[0]))
            cpu = (time.process_time() - started) / count * 1000
            print(f"{line:<8} {surface:<7} {cpu:7.2f} ms of CPU per request (in process)")
            if surface == "web":
                profiler.enable()
                asyncio.run(run(todo[:count], headers[0]))
                profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats("tearline", 30)


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=1000, help="per line")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, nargs="+", default=[1],
                        help="server processes; several values are measured in turn "
                        "(default: %(default)s)")
    parser.add_argument("--quick", action="store_true",
                        help="2,000 records, 200 requests a line (bench/README.md)")
    parser.add_argument("--profile", type=int, metavar="N",
                        help="in process, no server: N requests of each surface, CPU per "
                        "request and a cProfile of the pages")
    parser.add_argument("--data-dir", type=Path, default=bench_api.DATA_DIR,
                        help="where built stores are kept and reused, shared with "
                        "bench/api.py (default: %(default)s)")
    parser.add_argument("--fresh", action="store_true",
                        help="build a throwaway store instead of reusing a kept one")
    args = parser.parse_args()
    if args.quick:
        args.records, args.requests = 2_000, 200

    started = time.perf_counter()
    if args.fresh:
        folder = Path(tempfile.mkdtemp(prefix="tearline-bench-web-"))
        url, token, visible = bench_api.prepare(folder / "tearline.sqlite", args.records,
                                                args.seed)
        kept = False
    else:
        url, token, visible, kept = bench_api.cached(args.data_dir, args.records, args.seed)
    cookies = sessions(url, args.sessions)
    print(f"{args.records:,} records {'opened' if kept else 'built'} in "
          f"{time.perf_counter() - started:.0f} s")
    rng = random.Random(args.seed)
    words = [rng.choice(bench_api.SURNAMES) for _ in range(50)]
    ids = [rng.choice(visible) for _ in range(200)]
    web = [f"Cookie: tearline_session={c}" for c in cookies]
    api = [f"Authorization: Bearer {token}"] * args.sessions
    # Per line: the page, the API's JSON of the same read (the goal's comparison), and
    # for search also the API's results alone (no facets), reported beside it.
    lines: dict[str, list[tuple[str, list[str], list[str]]]] = {
        "search": [("api", [f"/api/v1/search?q={w}&limit=20&facets=true" for w in words],
                    api),
                   ("api-r", [f"/api/v1/search?q={w}&limit=20" for w in words], api),
                   ("web", [f"/web/search?q={w}" for w in words], web)],
        "record": [("api", [f"/api/v1/entities/{i}" for i in ids], api),
                   ("web", [f"/web/record/{i}" for i in ids], web)],
    }
    print("api: the API's JSON of the page's read (search: results and facets); "
          "api-r: results only")
    if args.profile:
        profile_pages(url, lines, args.profile)
        return
    for workers in args.workers:
        measure(url, workers, lines, args.requests)


def measure(url: str, workers: int, lines: dict[str, list[tuple[str, list[str], list[str]]]],
            requests: int) -> None:
    """Serve the site with ``workers`` processes and load every line's surfaces in turn."""
    port = bench_api.free_port()
    # A process of its own (not multiprocessing's: uvicorn's supervisor of several
    # workers needs a real standard input to hand them).
    server = subprocess.Popen([sys.executable, __file__, "--serve", url, str(port),
                               str(workers)], env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, server)
        print(f"{workers} server process{'es' if workers > 1 else ''}")
        print(f"{'line':<8} {'surface':<7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'errors':>6} {'CPU ms':>7}")
        for name, surfaces in lines.items():
            p95, cpu = {}, {}
            for surface, paths, headers in surfaces:
                # Warmed on fresh connections several times: the kernel hands a set of
                # connections to whichever worker accepts first, and a worker that got
                # none would compile its statements (about half a second of CPU) inside
                # the measured line.
                for _ in range(2 * workers):
                    asyncio.run(bench_api.load_as(base, paths[:20], headers, 20))
                before = bench_api.server_cpu(server.pid)
                took, latencies, errors = asyncio.run(bench_api.load_as(base, paths, headers,
                                                                       requests))
                cpu[surface] = ((bench_api.server_cpu(server.pid) - before)
                                / max(len(latencies), 1) * 1000)
                p50 = bench_api.percentile(latencies, 0.50) * 1000
                p95[surface] = bench_api.percentile(latencies, 0.95) * 1000
                print(f"{name:<8} {surface:<7} {len(latencies) / took:>7.0f} {p50:>7.1f} "
                      f"{p95[surface]:>7.1f} {errors:>6} {cpu[surface]:>7.2f}")
            print(f"{name:<8} web/api p95 ratio {p95['web'] / p95['api']:.2f}, CPU ratio "
                  f"{cpu['web'] / cpu['api']:.2f}"
                  + (f" (web/api-r p95 {p95['web'] / p95['api-r']:.2f})"
                     if "api-r" in p95 else ""))
            report(f"{name}, {workers} process(es): p95, web page / API JSON",
                   p95["web"] / p95["api"], 1.5, higher_is_better=False)
    finally:
        server.terminate()
        server.wait(15)


def wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{base}/api/v1/health").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("the server did not start")
        time.sleep(0.2)

if __name__ == "__main__":
    main()
