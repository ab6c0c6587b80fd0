"""Benchmark: blind deconfliction — threshold-OPRF registration and checks on three real
nodes on loopback, against the floor, a plaintext join and OpenMined's PSI.

    .venv/bin/python bench/deconflict.py [--registered 1000000] [--checks 10000]
                                         [--skip-nodes] [--skip-psi] [--steps]
                                         [--keep DIR] [--api-in-flight 1,2]
                                         [--api-registered N]

Figures from one run, on the same selector sets (E.164 phone numbers; half of the
checks are registered):

- ``floor``: libsodium's ristretto255 scalar multiplication alone (through pysodium),
  per multiplication and ×4 — a blinded check costs about four: blind, two share
  evaluations, unblind;
- ``oprf``: the threshold OPRF per element in process on one core, t = 2 of 3, no
  network, as the nodes compute it: blind, the peer's share evaluation, the
  combination with the client node's own share, finalize (``deconflict/tokens.py``);
  ``oprf_all_cores``: the same on every core (libsodium runs outside the GIL);
- ``nodes``: three ``tearline node serve`` processes on loopback (mutual TLS, 2-of-3
  key, quotas lifted): ``tearline deconflict register --file`` of the registered set
  (selectors per second, end to end: parsing, normalization, blinding, this node's
  and one peer's evaluation, combination, signing, storing) and ``tearline
  deconflict check --file`` of the checks (seconds for the batch and per check);
- ``api_checks``: the same checks through SEMAR's node's running API (``tearline
  serve`` with a unit token, ``bench/_deconflict_api.py``): requests of 1,000 sent one
  after another (``sequential``) and N at a time (``concurrent_N``), end to end from
  the HTTP client, with the API process's CPU (``/proc``) and the time to the first
  answer; each on a server of its own, so that none finds the numbers' normalization
  remembered from the one before; ``api_registration`` (``--api-registered N``): N
  other numbers registered through DEA's API, two requests in flight;
- ``join``: the plaintext SQL join deployed systems use: the normalized selectors in
  an indexed SQLite table, the checks joined against it;
- ``psi``: ``openmined-psi`` (two-party ECDH PSI, no threshold) on the same sets: the
  server's setup over the registered set is built once (cached, not timed), then the
  client's request, the server's answer and the intersection are timed;
- ``steps`` (``--steps``): CPU per selector of the steps around the group arithmetic,
  in process on a scratch SQLite store, each beside what it replaced where that still
  exists: an audit entry built as an event of its own or from a template, appended;
  a batch's registration rows stored; the CSV's phone numbers normalized by one
  process or by a process per core (wall time; two different sets of numbers, since
  normalization is cached by text).

Printed as JSON; nothing is written outside a temporary folder, or the folder
``--keep`` names (its nodes are reused by the next run given the same folder and sizes).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pysodium

import _deconflict_api as api
from _deconflict_steps import steps
from _ratios import report
from tearline.deconflict import group, oprf, threshold, tokens
from tearline.deconflict.selectors import Selector

CLI = api.CLI


def phones(count: int, offset: int = 0) -> list[str]:
    """Distinct valid Mexican mobile numbers in E.164 (Culiacán's area code 667)."""
    return [f"+52667{2000000 + offset + i:07d}" for i in range(count)]


def floor(samples: int) -> dict[str, float]:
    scalar, element = group.random_scalar(), oprf.blind(b"x").element
    start = time.perf_counter()
    for _ in range(samples):
        pysodium.crypto_scalarmult_ristretto255(scalar, element)
    per = (time.perf_counter() - start) / samples
    return {"scalar_mult_us": per * 1e6, "four_mults_us": 4 * per * 1e6}


def oprf_in_process(count: int, threads: int) -> dict[str, float]:
    """The client's and the peer's work per element, as the nodes do it: blind, the
    peer's share evaluation, the combination with this node's own share, finalize."""
    key = group.random_scalar()
    shares = threshold.split(key, 2, 3)
    chosen = [Selector("phone", p) for p in phones(count)]
    start = time.perf_counter()
    batch = tokens.blind_batch(chosen, threads)
    answers = {shares[1].index: threshold.evaluate_many(shares[1], batch.elements, threads)}
    tokens.finish(batch, answers, 2, local=shares[0], threads=threads)
    per = (time.perf_counter() - start) / count
    return {"per_element_us": per * 1e6}


def plaintext_join(registered: list[str], checks: list[str]) -> dict[str, float]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE registrations (selector TEXT PRIMARY KEY, unit TEXT)")
    conn.executemany("INSERT INTO registrations VALUES (?, 'us.dea.sod')",
                     ((s,) for s in registered))
    conn.execute("CREATE TEMP TABLE probes (selector TEXT)")
    start = time.perf_counter()
    conn.executemany("INSERT INTO probes VALUES (?)", ((s,) for s in checks))
    hits = conn.execute("SELECT count(*) FROM probes JOIN registrations USING (selector)"
                        ).fetchone()[0]
    took = time.perf_counter() - start
    return {"checks_s": took, "hits": hits}


def psi(registered: list[str], checks: list[str]) -> dict[str, float]:
    import private_set_intersection.python as psi_lib

    server = psi_lib.server.CreateWithNewKey(True)
    setup = server.CreateSetupMessage(0.0, len(checks), registered,
                                      psi_lib.DataStructure.RAW)  # cached: not timed
    client = psi_lib.client.CreateWithNewKey(True)
    start = time.perf_counter()
    request = client.CreateRequest(checks)
    response = server.ProcessRequest(request)
    hits = len(client.GetIntersection(setup, response))
    return {"checks_s": time.perf_counter() - start, "hits": hits}


def _layout() -> dict[str, tuple[str, str]]:
    from tearline.demo import scenario

    return {"dea": (scenario.US_DEA, scenario.SOD), "semar": (scenario.MX_SEMAR, scenario.UIE),
            "fgr": (scenario.MX_FGR, scenario.FEMDO)}


def _setup(root: Path) -> dict[str, int]:
    """Three node workspaces under ``root``, peered, with a 2-of-3 key; their ports."""
    from tearline.demo.load import seed_parties
    from tearline.store.store import Store

    layout = _layout()
    ports = {name: api.free_port() for name in layout}
    for name, (agency, unit) in layout.items():
        ws = root / name
        api.run(ws, "init", "--origin", unit)
        store = Store.open(f"sqlite:///{ws / 'tearline.sqlite'}")
        seed_parties(store, datetime(2024, 1, 1, tzinfo=UTC))
        store.close()
        api.run(ws, "node", "init", "--agency", agency, "--unit", unit,
             "--url", f"https://127.0.0.1:{ports[name]}/taxii2/")
        (root / f"{name}.json").write_text(api.run(ws, "node", "identity").stdout)
    for mine in layout:
        for theirs in layout:
            if mine != theirs:
                api.run(root / mine, "peer", "add", str(root / f"{theirs}.json"))
        for _, unit in layout.values():
            api.run(root / mine, "deconflict", "quota", unit, "--set", "10000000")
    api.run(root / "dea", "deconflict", "deal", "--out", str(root / "ceremony"))
    for name, path in zip(layout, sorted((root / "ceremony").glob("*.json")), strict=True):
        api.run(root / name, "deconflict", "install-share", str(path))
    return ports


def _ports(root: Path) -> dict[str, int]:
    """The ports the workspaces under ``root`` listen on (from their identities)."""
    out = {}
    for name in _layout():
        url = json.loads((root / f"{name}.json").read_text())["url"]
        out[name] = int(url.split(":")[2].split("/")[0])
    return out


def nodes(registered: list[str], checks: list[str], root: Path, reuse: bool = False,
          in_flight: tuple[int, ...] = (), api_registered: list[str] | None = None
          ) -> dict[str, Any]:
    """Register and check end to end on three nodes under ``root``. With ``reuse``, the
    workspaces a previous run left there (``--keep``) are used as they are: nothing is
    registered again, only the checks are timed. ``in_flight``: the checks again through
    SEMAR's API, once per width; ``api_registered``: numbers DEA's unit then registers
    through DEA's API (SEMAR's node pulls them afterwards, untimed, so that a later run's
    checks find nothing new to pull)."""
    from tearline.demo import scenario

    layout = _layout()
    ports = _ports(root) if reuse else _setup(root)
    servers = []
    for name in layout:
        env = {**os.environ, "TEARLINE_WORKSPACE": str(root / name)}
        servers.append(subprocess.Popen([*CLI, "node", "serve"], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
    try:
        for port in ports.values():
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
        (root / "registered.csv").write_text(
            "kind,value\n" + "".join(f"phone,{p}\n" for p in registered))
        (root / "checks.csv").write_text("kind,value\n" + "".join(f"phone,{p}\n" for p in checks))
        out: dict[str, Any] = {}
        if not reuse:
            start = time.perf_counter()
            api.run(root / "dea", "deconflict", "register", "--as", scenario.SOD, "--contact",
                 "SOD duty desk", "--file", str(root / "registered.csv"), "-f", "jsonl")
            registration_s = time.perf_counter() - start
            start = time.perf_counter()
            api.run(root / "semar", "deconflict", "sync")
            replication_s = time.perf_counter() - start
            (root / "registered.done").write_text(f"{len(registered)}\n")
            out = {"registration_per_s": len(registered) / registration_s,
                   "registration_s": registration_s, "replication_s": replication_s,
                   "replication_per_s": len(registered) / replication_s}
        start = time.perf_counter()
        done = api.run(root / "semar", "deconflict", "check", "--as", scenario.UIE,
                    "--file", str(root / "checks.csv"), "-f", "jsonl")
        check_s = time.perf_counter() - start
        hits = sum(1 for line in done.stdout.splitlines() if '"overlap"' in line)
        out |= {"checks_s": check_s, "per_check_ms": check_s / len(checks) * 1e3,
                "hits": hits}
        if in_flight:
            out["api_checks"] = api.checks(root / "semar", scenario.UIE, checks, in_flight,
                                           warm_up=phones(1, offset=7_000_000)[0])
        if api_registered:
            out["api_registration"] = api.registrations(root / "dea", scenario.SOD,
                                                        api_registered, 2)
            api.run(root / "semar", "deconflict", "sync")
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registered", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=10_000)
    parser.add_argument("--skip-nodes", action="store_true")
    parser.add_argument("--skip-psi", action="store_true")
    parser.add_argument("--steps", action="store_true",
                        help="also the CPU per selector of the steps beside the arithmetic")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the nodes in DIR and keep them; when DIR holds a "
                             "previous run's nodes, reuse them and time the checks only")
    parser.add_argument("--api-in-flight", default="1,2", metavar="N,N",
                        help="the checks again through SEMAR's API, N requests of 1,000 "
                             "in flight at once, for each N (0: no API line)")
    parser.add_argument("--api-registered", type=int, default=0, metavar="N",
                        help="also register N other numbers through DEA's API")
    parser.add_argument("--quick", action="store_true",
                        help="100 registered, 10 checks, no PSI, for bench/run.py --quick")
    args = parser.parse_args()
    if args.quick:
        args.registered, args.checks, args.skip_psi, args.api_in_flight = 100, 10, True, "2"
    registered = phones(args.registered)
    half = args.checks // 2
    checks = registered[:half] + phones(args.checks - half, offset=args.registered)
    out: dict[str, Any] = {"registered": args.registered, "checks": args.checks,
                           "floor": floor(2000)}
    sample = min(args.checks, 4000)
    out["oprf"] = oprf_in_process(sample, 1)
    out["oprf"]["x_four_mults"] = out["oprf"]["per_element_us"] / out["floor"]["four_mults_us"]
    out["oprf_all_cores"] = oprf_in_process(sample, None)
    out["join"] = plaintext_join(registered, checks)
    if args.steps:
        out["steps"] = steps(args.checks, phones(args.checks, 10**6),
                             phones(args.checks, 2 * 10**6))
    if not args.skip_psi:
        out["psi"] = psi(registered, checks)
    widths = tuple(int(n) for n in args.api_in_flight.split(",") if int(n) > 0)
    # numbers no other set uses (a kept node's earlier API registrations may repeat them)
    extra = phones(args.api_registered, offset=5_000_000) if args.api_registered else None
    if not args.skip_nodes:
        if args.keep is not None:
            reuse = (args.keep / "registered.done").exists()
            args.keep.mkdir(parents=True, exist_ok=True)
            out["nodes"] = nodes(registered, checks, args.keep, reuse, widths, extra)
        else:
            root = Path(tempfile.mkdtemp(prefix="tearline-bench-deconflict-"))
            try:
                out["nodes"] = nodes(registered, checks, root, False, widths, extra)
            finally:
                shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(out, indent=2))
    if args.quick:  # otherwise standard output stays one JSON document
        report("threshold OPRF per element (time / four scalar multiplications)",
               out["oprf"]["x_four_mults"], 1.5, higher_is_better=False)


if __name__ == "__main__":
    main()
