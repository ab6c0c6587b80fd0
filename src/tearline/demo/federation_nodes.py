"""The federation demo's nodes: workspaces, keys, peers and their listeners.

Three node workspaces under the demo folder (:func:`make_nodes`), each initialised
like ``tearline node init`` and trusting its partners like ``tearline peer add``, and
each served by a real ``tearline node serve`` child process (:func:`listeners`),
stopped on every exit. Kept apart from the demo's story (:mod:`tearline.demo.federation`)
and its tables (:mod:`tearline.demo.federation_tables`): the tests of the federation
build their nodes with these functions too.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.errors import ConfigError, InputError, tr
from tearline.federation.identity import init_node, load_identity
from tearline.files import private_binary, private_dir, write_private
from tearline.model.record import Record, rekeyed
from tearline.store import Store, node_key_created, peers

#: The same marker file as the single-node demo: a folder holding it may be deleted and
#: rebuilt by the demo, any other non-empty folder is refused.
DEMO_MARKER = ".tearline-demo"

#: Who trusts whom: the U.S. node and each Mexican node, both ways. The two Mexican
#: nodes do not peer (neither shares an agreement with the other in the scenario).
LINKS = ((scenario.SOD, scenario.UIE), (scenario.SOD, scenario.FEMDO),
         (scenario.UIE, scenario.SOD), (scenario.FEMDO, scenario.SOD))

#: How long a listener may take to accept connections (a cold start imports the web
#: stack and opens the database).
LISTEN_TIMEOUT = 60.0


@dataclass
class DemoNode:
    agency: str
    unit: str
    workspace: Path
    port: int
    store: Store | None = None
    server: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/taxii2/"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.workspace / 'tearline.sqlite'}"

    @property
    def keys_dir(self) -> Path:
        return self.workspace / "keys"

    def db(self) -> Store:
        if self.store is None:
            raise ConfigError(tr("node {unit} is not open", unit=self.unit))
        return self.store



def free_port() -> int:
    """A TCP port free on loopback now (the listener binds it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_root(root: Path) -> None:
    """Empty the demo folder: refuse a non-empty folder the demo did not create."""
    if root.exists() and any(root.iterdir()):
        if not (root / DEMO_MARKER).exists():
            raise InputError(tr(
                "{root} exists and is not a demo workspace; choose another with --workspace",
                root=root))
        shutil.rmtree(root)
    private_dir(root, tighten=True)
    write_private(root / DEMO_MARKER,
                  b"created by `tearline demo --federation`; deleted and rebuilt by it\n")

# -- the nodes -------------------------------------------------------------------------------


def make_nodes(root: Path, records: Sequence[Record], console: Console) -> dict[str, DemoNode]:
    """Three initialised node workspaces with parties, own records and each other as peers.

    Each node stores its agency's records under its own statement ids (``rekeyed``)."""
    now = datetime.now(UTC)
    nodes = {unit: DemoNode(scenario.agency_of(unit), unit, root / unit, free_port())
             for unit in (scenario.SOD, scenario.UIE, scenario.FEMDO)}
    table = Table(title="Nodes (each its own workspace, database and keys)")
    for col in ("node", "agency", "workspace", "TAXII over mutual TLS", "own records"):
        table.add_column(col)
    for node in nodes.values():
        private_dir(node.workspace)
        node.store = Store.open(node.db_url)
        made = init_node(node.keys_dir, node.agency, node.unit, url=node.url)
        if made.created_key:
            with node.store.transaction() as conn:
                node_key_created(conn, made.key.key_id())
        seed_parties(node.store, now)
        own = [rekeyed(r, node.store.keyer) for r in records if r.originator == node.agency]
        node.store.write(own)
        table.add_row(node.unit, node.agency, str(node.workspace), node.url, f"{len(own):,}")
    console.print(table)
    # identity documents travel out of band; here they are read from each keys/ folder
    for mine, theirs in LINKS:
        identity = load_identity(nodes[theirs].keys_dir)
        with nodes[mine].db().transaction() as conn:
            peers.add_peer(conn, peers.Peer.from_identity(identity), now, "demo")
        console.print(f"{mine} trusts {theirs} (certificate SHA-256 "
                      f"{identity.cert_sha256[:16]}…, pulls as unit {identity.unit})",
                      highlight=False)
    return nodes


@contextmanager
def listeners(nodes: dict[str, DemoNode], console: Console) -> Iterator[None]:
    """Each node's `tearline node serve` as a child process; all stopped on any exit."""
    try:
        for node in nodes.values():
            env = {**os.environ, "TEARLINE_WORKSPACE": str(node.workspace),
                   "TEARLINE_DB_URL": node.db_url}
            log = node.workspace / "serve.log"
            with private_binary(log) as fh:
                node.server = subprocess.Popen(
                    [sys.executable, "-c", "from tearline.cli import main; main()",
                     "node", "serve"],
                    env=env, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        for node in nodes.values():
            _wait_for_port(node, node.workspace / "serve.log")
            console.print(f"{node.unit} listening on {node.url} "
                          f"(process {node.server.pid if node.server else '?'})",
                          highlight=False)
        yield
    finally:
        stopped = []
        for node in nodes.values():
            if node.server is not None and _stop(node.server):
                stopped.append(node.unit)
            node.server = None
        if stopped:
            console.print(f"listeners stopped: {', '.join(stopped)}", highlight=False)


def _wait_for_port(node: DemoNode, log: Path) -> None:
    deadline = time.monotonic() + LISTEN_TIMEOUT
    while time.monotonic() < deadline:
        if node.server is None or node.server.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise ConfigError(tr(
                "the listener of {unit} exited:\n{tail}", unit=node.unit, tail=tail))
        try:
            with socket.create_connection(("127.0.0.1", node.port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise ConfigError(tr(
        "the listener of {unit} did not accept connections in {LISTEN_TIMEOUT:.0f} s (see {log})",
        unit=node.unit, LISTEN_TIMEOUT=LISTEN_TIMEOUT, log=log))


def _stop(process: subprocess.Popen[bytes]) -> bool:
    """SIGTERM (uvicorn shuts down cleanly), SIGKILL if it does not within 10 s."""
    if process.poll() is not None:
        return False
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
    return True
