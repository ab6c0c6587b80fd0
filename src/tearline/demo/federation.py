"""``tearline demo --federation``: three agencies' nodes on loopback share, sync and recall.

The U.S. agency's node (us.dea.sod), the vetted navy unit's (mx.semar.uie) and the
attorney-general unit's (mx.fgr.femdo) each get a workspace of their own under the demo
folder, with the demo parties and their own agency's synthetic records. Each node is
initialised (signing key, TLS certificate), the U.S. node and each Mexican node trust
each other (identity documents exchanged, `peer add`), and every node serves TAXII 2.1
over mutual TLS as a real `tearline node serve` process on a free loopback port. The
nodes then pull from each other, the U.S. node recalls one record (narrows its marking
to its own agency), the next pulls purge it and return signed purge receipts.

Everything but the listeners runs in this process through the library (the same
functions the `tearline node init`, `peer add`, `sync` and `recalls` commands call):
only a listener must be a separate process, because a pull from a node and that node's
serving must run at the same time. The listeners are stopped on every exit, including
Ctrl-C and errors.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tearline.demo import scenario
from tearline.demo.load import demo_records, seed_parties
from tearline.errors import ConfigError, InputError
from tearline.federation.identity import init_node, load_identity
from tearline.federation.partners import resolve_partner
from tearline.federation.results import SyncResult
from tearline.federation.sync import sync
from tearline.files import private_binary, private_dir, write_private
from tearline.keys import load_node_key
from tearline.model.marking import Marking
from tearline.model.record import Record, rekeyed
from tearline.model.statement import StatementKeyer
from tearline.policy.subject import Subject
from tearline.store import Store, holdings, node_key_created, peers, recalls_for, set_marking

#: The same marker file as the single-node demo: a folder holding it may be deleted and
#: rebuilt by the demo, any other non-empty folder is refused.
DEMO_MARKER = ".tearline-demo"

#: The synthetic data: two months at 1 % of CBP's monthly totals, a few hundred records
#: in all, so that the whole demo (three nodes, five pulls) runs in well under a minute.
SEED = 7
SCALE = 0.01
START, END = date(2023, 1, 1), date(2023, 2, 28)

#: Who trusts whom: the U.S. node and each Mexican node, both ways. The two Mexican
#: nodes do not peer (neither shares an agreement with the other in the scenario).
LINKS = ((scenario.SOD, scenario.UIE), (scenario.SOD, scenario.FEMDO),
         (scenario.UIE, scenario.SOD), (scenario.FEMDO, scenario.SOD))

#: The pulls of the first round (receiver, sender): the Mexican nodes from the U.S.
#: node, then the U.S. node from each of them.
FIRST_ROUND = ((scenario.UIE, scenario.SOD), (scenario.FEMDO, scenario.SOD),
               (scenario.SOD, scenario.UIE), (scenario.SOD, scenario.FEMDO))

#: The marking the recalled record gets: the U.S. agency only, so it no longer exists
#: for either partner and both must purge it.
RECALL_MARKING = scenario.AGENCY_ONLY

ORIGINATORS = (scenario.US_DEA, scenario.MX_SEMAR, scenario.MX_FGR)

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
            raise ConfigError(f"node {self.unit} is not open")
        return self.store


@dataclass
class FederationResult:
    """What the demo printed, for whoever ran it (the test checks it against the stores)."""

    nodes: dict[str, DemoNode]
    held: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    recalled: str | None = None
    purged: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


def free_port() -> int:
    """A TCP port free on loopback now (the listener binds it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare_root(root: Path) -> None:
    """Empty the demo folder: refuse a non-empty folder the demo did not create."""
    if root.exists() and any(root.iterdir()):
        if not (root / DEMO_MARKER).exists():
            raise InputError(f"{root} exists and is not a demo workspace; "
                             "choose another with --workspace")
        shutil.rmtree(root)
    private_dir(root, tighten=True)
    write_private(root / DEMO_MARKER,
                  b"created by `tearline demo --federation`; deleted and rebuilt by it\n")


def held(store: Store) -> dict[str, dict[str, str]]:
    """The records a node stores: originator → record id → marking (as text)."""
    with store.reading() as conn:
        rows = holdings.held_markings(conn)
    out: dict[str, dict[str, str]] = {}
    for originator, entity_id, body in rows:
        out.setdefault(originator, {})[entity_id] = str(Marking.from_dict(_json(body)))
    return out


def _json(text: str) -> dict[str, object]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ConfigError("a stored marking is not a JSON object")
    return value


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
            raise ConfigError(f"the listener of {node.unit} exited:\n{tail}")
        try:
            with socket.create_connection(("127.0.0.1", node.port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise ConfigError(f"the listener of {node.unit} did not accept connections in "
                      f"{LISTEN_TIMEOUT:.0f} s (see {log})")


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


def pull(receiver: DemoNode, sender: DemoNode) -> SyncResult:
    """What `tearline sync SENDER` does on the receiver's node."""
    store = receiver.db()
    partner = resolve_partner(store, sender.unit, receiver.keys_dir)
    return sync(store, partner, node_key=load_node_key(receiver.keys_dir),
                own_agency=receiver.agency, node_name=receiver.unit, page_size=100)


# -- what is printed -------------------------------------------------------------------------


def _sync_table(title: str, rows: Sequence[tuple[DemoNode, DemoNode, SyncResult]]) -> Table:
    table = Table(title=title)
    for col in ("puller", "from", "objects", "records stored", "statements", "already",
                "echo", "refused", "receipts sent", "recalls purged"):
        table.add_column(col, justify="left" if col in ("puller", "from") else "right")
    for receiver, sender, result in rows:
        cols = result.collections
        table.add_row(receiver.unit, sender.unit, f"{sum(c.objects for c in cols):,}",
                      f"{result.records_stored:,}", f"{sum(c.statements_new for c in cols):,}",
                      f"{sum(c.already for c in cols):,}", f"{sum(c.echoed for c in cols):,}",
                      f"{len(result.refused):,}", f"{result.receipts_sent:,}",
                      f"{len(result.purged):,}")
    return table


def holdings_table(holdings: dict[str, dict[str, dict[str, str]]],
                   nodes: dict[str, DemoNode], when: str) -> Table:
    """Per node, the records it holds per originating agency (its own marked as such)."""
    table = Table(title=f"What arrived where: records held, by originating agency ({when})")
    table.add_column("node")
    for agency in ORIGINATORS:
        table.add_column(agency, justify="right")
    for unit, node in nodes.items():
        cells = []
        for agency in ORIGINATORS:
            count = len(holdings[unit].get(agency, {}))
            cells.append(f"{count:,} (own)" if agency == node.agency else f"{count:,}")
        table.add_row(unit, *cells)
    return table


def markings_table(holdings: dict[str, dict[str, dict[str, str]]], when: str) -> Table:
    """The U.S. agency's records by marking: at home, at the vetted unit, at the other."""
    us = holdings[scenario.SOD].get(scenario.US_DEA, {})
    at_uie = holdings[scenario.UIE].get(scenario.US_DEA, {})
    at_femdo = holdings[scenario.FEMDO].get(scenario.US_DEA, {})
    table = Table(title=f"us.dea's records by marking, and where they are ({when})")
    for col in ("marking", scenario.SOD, scenario.UIE, scenario.FEMDO):
        table.add_column(col, justify="left" if col == "marking" else "right")
    by_marking = Counter(us.values())
    for marking, count in sorted(by_marking.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(marking, f"{count:,}",
                      f"{sum(1 for m in at_uie.values() if m == marking):,}",
                      f"{sum(1 for m in at_femdo.values() if m == marking):,}")
    return table


@dataclass
class RecallRow:
    entity_id: str
    acknowledged: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


def recalls_table(node: DemoNode, at: datetime) -> tuple[Table, list[RecallRow]]:
    """What `tearline recalls` prints on the node: per record, who acknowledged, who not."""
    by_entity: dict[str, RecallRow] = {}
    with node.db().reading() as conn:
        for peer in peers.peers(conn):
            pending = {r.id for r in recalls_for(conn, peer, at, pending_only=True)}
            for r in recalls_for(conn, peer, at, pending_only=False):
                row = by_entity.setdefault(r.entity_id, RecallRow(r.entity_id))
                (row.pending if r.id in pending else row.acknowledged).append(peer.name)
    rows = sorted(by_entity.values(), key=lambda row: row.entity_id)
    table = Table(title=f"tearline recalls (at {node.unit})")
    for col in ("entity_id", "acknowledged", "pending"):
        table.add_column(col)
    for row in rows:
        table.add_row(row.entity_id, ", ".join(sorted(row.acknowledged)),
                      ", ".join(sorted(row.pending)))
    return table, rows


def _choose_recall(holdings: dict[str, dict[str, dict[str, str]]]) -> str | None:
    """A U.S. record for the recall: a person both partners hold if there is one (so two
    nodes must purge it), else any record both hold, else one either holds."""
    uie = set(holdings[scenario.UIE].get(scenario.US_DEA, {}))
    femdo = set(holdings[scenario.FEMDO].get(scenario.US_DEA, {}))
    for candidates in (uie & femdo, uie | femdo):
        people = sorted(i for i in candidates if "-person-" in i)
        if people or candidates:
            return (people or sorted(candidates))[0]
    return None


def _refusal_lines(rows: Sequence[tuple[DemoNode, DemoNode, SyncResult]],
                   console: Console) -> None:
    """Objects a puller refused (audited there as `federation.refused`), with the reason."""
    for receiver, sender, result in rows:
        for object_id, reason in result.refused:
            console.print(f"{receiver.unit} refused {object_id} from {sender.unit}: {reason}",
                          highlight=False, markup=False)
    if any(result.refused for _, _, result in rows):
        console.print("(a node believes a partner about the partner's own agency's records "
                      "only: a third agency's record needs that agency's signed consent "
                      "travelling with it)", highlight=False)


# -- the demo --------------------------------------------------------------------------------


def run(root: Path, data_dir: Path, console: Console, seed: int = SEED) -> FederationResult:
    """Build the three nodes under ``root``, share, sync, recall; print every step."""
    started = time.monotonic()
    console.rule(Text("tearline demo --federation: three nodes on loopback", style="bold"))
    console.print(f"demo folder: {root}\n", highlight=False)
    # one generation for the three agencies; each node rekeys its own share (make_nodes)
    records = list(demo_records(seed, data_dir, SCALE, start=START, end=END,
                                keyer=StatementKeyer(os.urandom(32))))
    nodes = make_nodes(root, records, console)
    result = FederationResult(nodes)
    try:
        with listeners(nodes, console):
            console.rule("Sync: each node pulls from its peers (signed, mutual TLS)")
            first = [(nodes[r], nodes[s], pull(nodes[r], nodes[s])) for r, s in FIRST_ROUND]
            console.print(_sync_table("first round", first))
            _refusal_lines(first, console)
            result.held = {u: held(n.db()) for u, n in nodes.items()}
            console.rule("What arrived where")
            _arrivals(result.held, nodes, "after the first round", console)

            victim = _choose_recall(result.held)
            if victim is None:
                raise ConfigError("no record of us.dea reached a partner: nothing to recall")
            result.recalled = victim
            console.rule(f"Recall: {scenario.SOD} narrows {victim} to {RECALL_MARKING}")
            us = nodes[scenario.SOD]
            with us.db().transaction() as conn:
                set_marking(conn, Subject(unit=us.unit, agency=us.agency), victim, None,
                            RECALL_MARKING, datetime.now(UTC))
            console.print(recalls_table(us, datetime.now(UTC))[0])
            again = [(nodes[r], nodes[s], pull(nodes[r], nodes[s]))
                     for r, s in FIRST_ROUND if s == scenario.SOD]
            console.print(_sync_table("second round: the partners pull again", again))
            _refusal_lines(again, console)
            for receiver, _, res in again:
                result.purged[receiver.unit] = res.purged
                for recall_id, entity_id, count in res.purged:
                    console.print(f"{receiver.unit} purged {entity_id} ({recall_id}): "
                                  f"{count} statement(s), signed purge receipt sent",
                                  highlight=False)
            console.rule("Receipts recorded at the originator")
            console.print(recalls_table(us, datetime.now(UTC))[0])
            _receipt_lines(us, console)
            result.held = {u: held(n.db()) for u, n in nodes.items()}
            console.rule("What is where after the recall")
            _arrivals(result.held, nodes, "after the recall", console)
    finally:
        for node in nodes.values():
            if node.store is not None:
                node.store.close()
    console.print(f"done in {time.monotonic() - started:.1f} s; the node workspaces stay in "
                  f"{root} (try: tearline -w {nodes[scenario.SOD].workspace} recalls)",
                  highlight=False)
    return result


def _arrivals(holdings: dict[str, dict[str, dict[str, str]]], nodes: dict[str, DemoNode],
              when: str, console: Console) -> None:
    console.print(holdings_table(holdings, nodes, when))
    console.print(markings_table(holdings, when))
    _vetting_lines(holdings, console)


def _vetting_lines(holdings: dict[str, dict[str, dict[str, str]]], console: Console) -> None:
    at_uie = set(holdings[scenario.UIE].get(scenario.US_DEA, {}))
    at_femdo = set(holdings[scenario.FEMDO].get(scenario.US_DEA, {}))
    console.print(f"{scenario.UIE} (vetted by {scenario.US_DEA}) received "
                  f"{len(at_uie - at_femdo):,} us.dea record(s) that {scenario.FEMDO} "
                  f"(not vetted) did not; {scenario.FEMDO} received {len(at_femdo - at_uie):,} "
                  f"that {scenario.UIE} did not.", highlight=False)
    console.print(f"{scenario.UIE} holds {len(holdings[scenario.UIE].get(scenario.MX_FGR, {}))}"
                  f" record(s) of {scenario.MX_FGR} and {scenario.FEMDO} holds "
                  f"{len(holdings[scenario.FEMDO].get(scenario.MX_SEMAR, {}))} of "
                  f"{scenario.MX_SEMAR}: nothing is relayed between them.", highlight=False)


def _receipt_lines(us: DemoNode, console: Console) -> None:
    """The signed receipts the originator's audit log holds, per peer."""
    from tearline.audit.events import RecallAcknowledged, ReceiptRecorded
    from tearline.store import audit_log

    delivered: Counter[str] = Counter()
    objects: Counter[str] = Counter()
    purged: Counter[str] = Counter()
    with us.db().reading() as conn:
        for entry in audit_log.entries(conn, limit=10_000_000):
            if entry.kind not in ("receipt.recorded", "recall.acknowledged"):
                continue
            event = entry.event()
            if isinstance(event, ReceiptRecorded):
                delivered[event.peer] += 1
                objects[event.peer] += event.object_count
            elif isinstance(event, RecallAcknowledged):
                purged[event.recipient] += 1
    for peer in sorted(set(delivered) | set(purged)):
        console.print(f"{us.unit} audit log: {peer}: {delivered[peer]} signed delivery "
                      f"receipt(s) for {objects[peer]:,} object version(s), "
                      f"{purged[peer]} signed purge receipt(s)", highlight=False)
