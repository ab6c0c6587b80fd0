"""Three real nodes on loopback for deconfliction: DEA (us.dea.sod), the vetted SEMAR unit
(mx.semar.uie) and FGR (mx.fgr.femdo), every pair peered, a 2-of-3 key dealt to them.

Set-up commands run in this process through the CLI; the listeners and every
``tearline deconflict`` command run as processes of their own.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medallion_server import free_port
from sync_world import seed_parties
from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.common import STATE
from tearline.demo import scenario
from tearline.demo.federation_nodes import DemoNode
from tearline.store import audit_log
from tearline.store.store import Store
from waiting import HANG, wait_until

CLI = [sys.executable, "-c", "from tearline.cli import main; main()"]


@dataclass
class Node(DemoNode):
    def env(self) -> dict[str, str]:
        env = {**os.environ, "TEARLINE_WORKSPACE": str(self.workspace), "COLUMNS": "250"}
        env.pop("TEARLINE_DB_URL", None)
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*CLI, *args], env=self.env(), capture_output=True, text=True,
                              timeout=HANG)
        if check:
            assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
        return done

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "-f", "json").stdout)

    def set_up(self, *args: str) -> str:
        try:
            done = CliRunner().invoke(app, ["-w", str(self.workspace), *args],
                                      env={"TEARLINE_DB_URL": None, "COLUMNS": "200"})
        finally:
            STATE.close()
        assert done.exit_code == 0, f"{args}: {done.output}"
        return done.stdout

    def open_store(self) -> Store:
        return Store.open(self.db_url)

    def start(self) -> None:
        log = self.workspace / "serve.log"
        with open(log, "ab") as fh:
            self.server = subprocess.Popen([*CLI, "node", "serve"], env=self.env(), stdout=fh,
                                           stderr=subprocess.STDOUT)
        server = self.server

        def listening() -> bool:
            if server.poll() is not None:
                raise AssertionError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=HANG):
                    return True
            except ConnectionRefusedError:
                return False

        wait_until(listening, f"a server on port {self.port}", poll=0.2)

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(HANG)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(HANG)
            self.server = None

    def entries(self, kind: str) -> list[Any]:
        store = self.open_store()
        try:
            with store.reading() as conn:
                return [e.event() for e in audit_log.entries(conn, limit=10_000_000)
                        if e.kind == kind]
        finally:
            store.close()


def three_nodes(root: Path) -> Iterator[dict[str, Node]]:
    made = {
        "dea": Node(scenario.US_DEA, scenario.SOD, root / "dea", free_port()),
        "semar": Node(scenario.MX_SEMAR, scenario.UIE, root / "semar", free_port()),
        "fgr": Node(scenario.MX_FGR, scenario.FEMDO, root / "fgr", free_port()),
    }
    for node in made.values():
        node.set_up("init", "--origin", node.unit)
        store = node.open_store()
        seed_parties(store)
        store.close()
        node.set_up("node", "init", "--agency", node.agency, "--unit", node.unit,
                    "--url", node.url)
        (root / f"{node.unit}.json").write_text(node.set_up("node", "identity"))
    for mine in made.values():
        for theirs in made.values():
            if mine is not theirs:
                mine.set_up("peer", "add", str(root / f"{theirs.unit}.json"))
    dealt = made["dea"].set_up("deconflict", "deal", "--threshold", "2", "--count", "3",
                               "--out", str(root / "ceremony"))
    files = sorted((root / "ceremony").glob("deconflict-share-*.json"))
    assert len(files) == 3, dealt
    for node, path in zip(made.values(), files, strict=True):
        node.set_up("deconflict", "install-share", str(path))
        path.unlink()  # the dealer's copy is destroyed once installed
    for node in made.values():
        node.start()
    try:
        yield made
    finally:
        for node in made.values():
            node.stop()
