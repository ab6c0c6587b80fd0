"""The deconfliction benchmark's API lines: checks and registrations through a node's
running HTTP API (``tearline serve``), as a unit's tools send them.

The node serving the API is the checking (or registering) agency's: its ``node serve``
listener and its peers' are already running (``bench/deconflict.py`` starts them); this
module starts ``tearline serve`` on the same workspace, gives the unit an API token,
and times requests of :data:`PER_REQUEST` selectors from an HTTP client, end to end:
the requests, the node's tokens (its own share and one peer's evaluations), the
comparison, the audit entries, the notices and the JSON answers.

- ``sequential``: one request after another, as a script that waits for each answer;
- ``concurrent``: up to ``in_flight`` requests at once, as a client that sends the
  batch's requests together (what a real client could do).

One warm-up request (a single selector, not timed) verifies the token (Argon2) and
loads what the node loads once per process; the node is a running server, not a
process started for one batch.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

CLI = [sys.executable, "-c", "from tearline.cli import main; main()"]
#: Selectors per request: the API's limit (``api/routes/deconflict.py``).
PER_REQUEST = 1_000
CHECKS = "/api/v1/deconflict/checks"
REGISTRATIONS = "/api/v1/deconflict/registrations"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(workspace: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``tearline ARGS`` on ``workspace``; exits the benchmark if it fails."""
    env = {**os.environ, "TEARLINE_WORKSPACE": str(workspace)}
    env.pop("TEARLINE_DB_URL", None)
    done = subprocess.run([*CLI, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{args}: {done.stdout}\n{done.stderr}")
    return done


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ApiNode:
    """``tearline serve`` on ``workspace`` with an API token of ``unit`` (read, write)."""

    def __init__(self, workspace: Path, unit: str) -> None:
        self.workspace, self.port = workspace, free_port()
        token = run(workspace, "token", "create", unit, "--scope", "read", "--scope",
                    "write", "--expires-in", "1d", "--label", "bench").stdout
        self.token = token.strip().splitlines()[-1]
        env = {**os.environ, "TEARLINE_WORKSPACE": str(workspace)}
        env.pop("TEARLINE_DB_URL", None)
        self.process = subprocess.Popen([*CLI, "serve", "--port", str(self.port)], env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=600,
                                   headers={"Authorization": f"Bearer {self.token}"},
                                   limits=httpx.Limits(max_connections=32))
        deadline = time.monotonic() + 120
        while True:
            try:
                if self.client.get("/api/v1/openapi.json").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("tearline serve did not start")
            time.sleep(0.2)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(path, json=body)
        if response.status_code not in (200, 201):
            raise SystemExit(f"{path}: {response.status_code} {response.text[:500]}")
        answer: dict[str, Any] = response.json()
        return answer

    def cpu_s(self) -> float:
        return _cpu_s(self.process.pid)

    def close(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait()


def _requests(numbers: Sequence[str]) -> list[list[dict[str, str]]]:
    return [[{"kind": "phone", "value": p} for p in numbers[i:i + PER_REQUEST]]
            for i in range(0, len(numbers), PER_REQUEST)]


def _timed(node: ApiNode, send: Callable[[list[dict[str, str]]], dict[str, Any]],
           batches: list[list[dict[str, str]]], in_flight: int) -> tuple[dict[str, Any],
                                                                         list[dict[str, Any]]]:
    cpu, start = node.cpu_s(), time.perf_counter()
    mine = resource.getrusage(resource.RUSAGE_SELF)
    first: list[float] = []

    def one(batch: list[dict[str, str]]) -> dict[str, Any]:
        answer = send(batch)
        first.append(time.perf_counter() - start)
        return answer

    if in_flight <= 1:
        answers = [one(b) for b in batches]
    else:
        with ThreadPoolExecutor(max_workers=in_flight) as pool:
            answers = list(pool.map(one, batches))
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {"s": took, "first_answer_s": min(first), "server_cpu_s": node.cpu_s() - cpu,
            "client_cpu_s": (after.ru_utime + after.ru_stime) - (mine.ru_utime + mine.ru_stime),
            "requests": len(batches), "in_flight": in_flight}, answers


def checks(workspace: Path, unit: str, numbers: Sequence[str], in_flight: Sequence[int],
           warm_up: str) -> dict[str, Any]:
    """The checks of ``numbers`` through the API, once per entry of ``in_flight``, each
    by a server of its own: a server that has checked the numbers once has their
    normalization remembered (``model/normalize.py``), and a second run on it would
    skip the phone parsing that a batch of new numbers pays."""
    out: dict[str, Any] = {}
    for width in in_flight:
        node = ApiNode(workspace, unit)
        try:
            node.post(CHECKS, {"selectors": [{"kind": "phone", "value": warm_up}]})
            figures, answers = _timed(node, lambda b, n=node: n.post(CHECKS, {"selectors": b}),
                                      _requests(numbers), width)
        finally:
            node.close()
        hits = sum(r["overlap"] for a in answers for r in a["results"])
        unavailable = sorted({k for a in answers for k in a["unavailable"]})
        out["sequential" if width <= 1 else f"concurrent_{width}"] = {
            **figures, "per_check_ms": figures["s"] / len(numbers) * 1e3, "hits": hits,
            "unavailable": unavailable}
    return out


def registrations(workspace: Path, unit: str, numbers: Sequence[str], in_flight: int
                  ) -> dict[str, Any]:
    """The registration of ``numbers`` through the API, ``in_flight`` requests at once."""
    node = ApiNode(workspace, unit)
    try:
        node.post(CHECKS, {"selectors": [{"kind": "phone", "value": numbers[0]}]})
        body = {"contact": "SOD duty desk (API)"}
        figures, answers = _timed(
            node, lambda b: node.post(REGISTRATIONS, {**body, "selectors": b}),
            _requests(numbers), in_flight)
        made = sum(len(a["registered"]) for a in answers)
        return {**figures, "per_s": len(numbers) / figures["s"], "registered": made}
    finally:
        node.close()
