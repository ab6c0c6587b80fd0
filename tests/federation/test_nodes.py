"""Three nodes on loopback, each a real `tearline` process: the U.S. agency (us.dea.sod),
the vetted navy unit (mx.semar.uie) and the attorney-general unit (mx.fgr.femdo).

Each node is initialised, exchanges identities, serves TAXII over mutual TLS and pulls
with `tearline sync`. What each node holds afterwards equals exactly what the sender's
policy releases to it; echoes of a node's own records are not stored; receipts reach
the sender's audit log; each node holds its puller's cosignature of its checkpoint. A
client whose certificate the serving node does not know is refused at the handshake and
the refusal audited. A malicious peer (a real TLS server with a registered identity)
then serves a third agency's records, a tampered answer, a replayed answer and a
forged signature: all refused, audited, nothing stored.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from medallion_server import free_port
from sqlalchemy import select
from sync_world import refusals, seed_parties
from typer.testing import CliRunner

from forked import COLUMNS, tearline
from statement_keys import TEST_KEYER
from tearline.audit.checkpoint import Checkpoint, parse_note, verify_note
from tearline.audit.note import parse_verifier_key
from tearline.cli import app
from tearline.cli.common import STATE
from tearline.demo import scenario
from tearline.demo.federation_nodes import DemoNode
from tearline.demo.load import demo_records
from tearline.federation.identity import NodeFiles, init_node
from tearline.federation.signing import NONCE_HEADER, SIGNATURE_HEADER, sign_response
from tearline.keys import NodeKey
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.stix.export import to_stix
from tearline.store import audit_checkpoints, audit_log, reader
from tearline.store import audit_tables as at
from tearline.store import tables as t
from tearline.store.store import Store
from tearline.store.visibility import Visibility
from tearline.taxii.witnessing import checkpoint_answer
from waiting import HANG, wait_until

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-c", "from tearline.cli import main; main()"]


@dataclass
class Node(DemoNode):
    """A node of the demo's layout, driven through the CLI."""

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A command of the node, in a process of its own (forked: ``forked.py``)."""
        env = {**os.environ, "TEARLINE_WORKSPACE": str(self.workspace), "COLUMNS": COLUMNS}
        env.pop("TEARLINE_DB_URL", None)
        done = tearline(*args, env=env)
        if check:
            assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
        return done

    def set_up(self, *args: str) -> str:
        """A set-up command (`init`, `node init|identity`, `peer add`) of the same CLI, run
        in this process (no interpreter start-up each). What the nodes do from then
        on — serve, sync, recall — runs in processes of their own."""
        try:
            done = CliRunner().invoke(app, ["-w", str(self.workspace), *args],
                                      env={"TEARLINE_DB_URL": None, "COLUMNS": "200"})
        finally:
            STATE.close()
        assert done.exit_code == 0, f"{args}: {done.output}"
        return done.stdout

    def open_store(self) -> Store:
        return Store.open(self.db_url)


def own_records(data_dir: Path, agency: str) -> list[Record]:
    records = demo_records(7, data_dir, 0.01, start=date(2023, 1, 1), end=date(2023, 2, 28),
                           keyer=TEST_KEYER)
    return [r for r in records if r.originator == agency]


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    def listening() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=HANG):
                return True
        except ConnectionRefusedError:
            return False

    wait_until(listening, f"a server on port {port}", poll=0.2)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[dict[str, Node]]:
    root = tmp_path_factory.mktemp("nodes")
    made = {
        "dea": Node(scenario.US_DEA, scenario.SOD, root / "dea", free_port()),
        "semar": Node(scenario.MX_SEMAR, scenario.UIE, root / "semar", free_port()),
        "fgr": Node(scenario.MX_FGR, scenario.FEMDO, root / "fgr", free_port()),
    }
    for node in made.values():
        node.set_up("init", "--origin", node.unit)
        store = node.open_store()
        seed_parties(store)
        store.write(own_records(data_dir, node.agency))
        store.close()
        node.set_up("node", "init", "--agency", node.agency, "--unit", node.unit,
                    "--url", node.url)
        (root / f"{node.unit}.json").write_text(node.set_up("node", "identity"))
    links = [("dea", "semar"), ("dea", "fgr"), ("semar", "dea"), ("fgr", "dea")]
    for mine, theirs in links:
        made[mine].set_up("peer", "add", str(root / f"{made[theirs].unit}.json"))
    for name in ("dea", "semar"):
        node = made[name]
        log = node.workspace / "serve.log"
        env = {**os.environ, "TEARLINE_WORKSPACE": str(node.workspace)}
        env.pop("TEARLINE_DB_URL", None)
        with open(log, "wb") as fh:
            node.server = subprocess.Popen([*CLI, "node", "serve"], env=env, stdout=fh,
                                           stderr=subprocess.STDOUT)
        wait_for_port(node.port, node.server, log)
    yield made
    for node in made.values():
        if node.server is not None:
            node.server.terminate()
            try:
                node.server.wait(HANG)
            except subprocess.TimeoutExpired:
                node.server.kill()
                node.server.wait(HANG)


#: A statement by its content (property, value, agency, unit): its id is each node's own.
Fact = tuple[str, str, str, str]


def released(sender: Node, to: Node) -> dict[str, tuple[str, frozenset[Fact]]]:
    """What the sender's policy releases to the receiver's unit: id → (marking, statements)."""
    store = sender.open_store()
    try:
        with store.reading() as conn:
            vis = Visibility(Subject(unit=to.unit, agency=to.agency), datetime.now(UTC))
            ids = reader.list_ids(conn, vis, None, None, 1_000_000)
            records = reader.read_records(conn, vis, ids)
    finally:
        store.close()
    return {r.id: (r.marking.id, frozenset((s.prop, s.value, s.origin, s.author)
                                          for s in r.statements))
            for r in records if r.originator == sender.agency}


def statement_rows(node: Node, originator: str) -> tuple[dict[str, str], list[Any]]:
    """The records of ``originator`` at ``node`` (id → marking) and their statements."""
    store = node.open_store()
    try:
        with store.reading() as conn:
            heads = dict(conn.execute(select(t.records.c.id, t.records.c.marking_id)
                                      .where(t.records.c.originator == originator)).all())
            s = t.statements.c
            rows = conn.execute(select(s.entity_id, s.prop, s.value, s.origin, s.author, s.id)
                                .where(s.entity_id.in_(list(heads)))).all()
    finally:
        store.close()
    return heads, rows


def held(node: Node, originator: str) -> dict[str, tuple[str, frozenset[Fact]]]:
    """The records of ``originator`` stored at ``node``: id → (marking, statements)."""
    heads, rows = statement_rows(node, originator)
    statements: dict[str, set[Fact]] = {}
    for entity_id, *fact, _ in rows:
        statements.setdefault(entity_id, set()).add(tuple(fact))  # type: ignore[arg-type]
    return {i: (m, frozenset(statements.get(i, ()))) for i, m in heads.items()}


def held_ids(node: Node, originator: str) -> dict[str, set[str]]:
    """The ids (``node``'s own) of the statements of ``originator``'s records at ``node``."""
    out: dict[str, set[str]] = {}
    for row in statement_rows(node, originator)[1]:
        out.setdefault(row[0], set()).add(row[-1])
    return out


def audit_kinds(node: Node) -> list[Any]:
    store = node.open_store()
    try:
        with store.reading() as conn:
            return [e.event() for e in audit_log.entries(conn, limit=10_000_000)]
    finally:
        store.close()


def test_each_node_holds_exactly_what_the_senders_policy_releases_to_it(
        nodes: dict[str, Node]) -> None:
    dea, semar, fgr = nodes["dea"], nodes["semar"], nodes["fgr"]
    semar.run("sync", dea.unit, "-q", "--page-size", "50")
    fgr.run("sync", dea.unit, "-q", "--page-size", "50")
    # what dea's policy releases now (before dea stores anything of semar's, which may
    # make more of dea's relationships visible: their other end becomes known)
    to_semar, to_fgr = released(dea, semar), released(dea, fgr)
    assert to_semar and to_fgr and to_semar != to_fgr
    assert held(semar, dea.agency) == to_semar
    assert held(fgr, dea.agency) == to_fgr
    # the same facts, each node under its own ids
    ids = {n.unit: {r[-1] for r in statement_rows(n, dea.agency)[1]} for n in (dea, semar, fgr)}
    assert ids[semar.unit] and ids[fgr.unit]
    assert not ids[dea.unit] & ids[semar.unit] and not ids[dea.unit] & ids[fgr.unit]
    assert not ids[semar.unit] & ids[fgr.unit]
    dea.run("sync", semar.unit, "-q")
    assert held(dea, semar.agency) == released(semar, dea)
    # nothing of a third agency went anywhere, nothing of the receiver's own came back twice
    assert held(fgr, semar.agency) == {} and held(semar, fgr.agency) == {}

    # a second sync stores nothing twice: what it adds is what became visible meanwhile
    # (dea now knows semar's records, so more of dea's relationships have both ends)
    again = json.loads(semar.run("sync", dea.unit, "-q", "-f", "json").stdout)
    assert held(semar, dea.agency) == released(dea, semar)
    assert sum(row["already"] for row in again) > 0
    created = [e.entity_id for e in audit_kinds(semar) if e.kind == "record.created"]
    assert len(created) == len(set(created))

    # the originator recorded signed receipts from both pullers
    receipts = [e for e in audit_kinds(dea) if e.kind == "receipt.recorded"]
    assert {e.peer for e in receipts} == {f"node:{semar.unit}", f"node:{fgr.unit}"}
    stored_versions = sum(e.object_count for e in receipts
                          if e.peer == f"node:{semar.unit}")
    assert stored_versions >= len(to_semar)

    # witnessing: each node holds its pullers' cosignatures of its own checkpoints
    assert_witnessed(dea, by=semar)
    assert_witnessed(dea, by=fgr)
    assert_witnessed(semar, by=dea)


def verifier(node: Node) -> str:
    """The node's verifier key, from the identity document its peers registered."""
    doc = json.loads((node.workspace.parent / f"{node.unit}.json").read_text())
    key: str = doc["verifier_key"]
    return key


def assert_witnessed(log: Node, by: Node) -> None:
    """``log`` keeps cosignatures by ``by`` of checkpoints it signed, both signatures
    valid; the last is the checkpoint of ``log`` that ``by`` holds as witnessed."""
    log_name, log_key = parse_verifier_key(verifier(log))
    witness_name, witness_key = parse_verifier_key(verifier(by))
    store = log.open_store()
    try:
        with store.reading() as conn:
            c = at.audit_cosignatures.c
            kept = dict(conn.execute(select(c.size, c.note).where(c.witness == by.unit)).all())
            signed = {size: audit_checkpoints.note_at(conn, size) for size in kept}
    finally:
        store.close()
    assert kept, f"{log.unit} holds no cosignature by {by.unit}"
    for size, note in kept.items():
        checkpoint = verify_note(note, log_name, log_key)  # the log's own signature...
        assert verify_note(note, witness_name, witness_key) == checkpoint  # ...and by's
        own = signed[size]
        assert own is not None and Checkpoint.from_body(parse_note(own).text) == checkpoint
    store = by.open_store()
    try:
        with store.reading() as conn:
            last = audit_checkpoints.last_witnessed(conn, log_name, log_key)
    finally:
        store.close()
    assert last is not None and last == verify_note(kept[max(kept)], log_name, log_key)


def test_a_client_certificate_the_node_does_not_know_is_refused_at_the_handshake(
        nodes: dict[str, Node], tmp_path: Path) -> None:
    """Against the real `tearline node serve` process (the listener in a thread is
    tests/taxii/test_listener.py): same agency and unit as a peer, not its certificate."""
    dea, semar = nodes["dea"], nodes["semar"]
    stranger = tmp_path / "stranger"
    init_node(stranger, semar.agency, semar.unit)

    def context(keys: Path) -> ssl.SSLContext:
        made = ssl.create_default_context(cafile=str(NodeFiles(dea.keys_dir).tls_cert))
        made.load_cert_chain(str(NodeFiles(keys).tls_cert), str(NodeFiles(keys).tls_key))
        return made

    def refused() -> list[Any]:
        return [e for e in audit_kinds(dea) if e.kind == "auth.failed"]

    def served() -> int:
        return sum(1 for e in audit_kinds(dea) if e.kind == "record.read")

    before, reads = len(refused()), served()
    with pytest.raises((ssl.SSLError, ConnectionError, OSError)):  # noqa: PT012
        with socket.create_connection(("127.0.0.1", dea.port), timeout=HANG) as raw:
            with context(stranger).wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                # TLS 1.3: the client learns of the refusal on its first read
                tls.sendall(b"GET /taxii2/ HTTP/1.1\r\nHost: x\r\n\r\n")
                assert tls.recv(1024) == b"", "the node answered an unknown client"
                raise ConnectionError("closed without an answer")
    wait_until(lambda: len(refused()) > before, "the refusal's audit entry")
    (entry,) = refused()[before:]
    assert (entry.channel, entry.reason, entry.actor) == ("taxii", "unknown", "system")
    assert served() == reads
    # the node still serves the peer whose certificate it pinned
    with httpx.Client(verify=context(semar.keys_dir), timeout=HANG) as client:
        assert client.get(dea.url).status_code == 200


# -- a malicious peer: a real TLS server holding a registered identity ---------------------


class Mallory(BaseHTTPRequestHandler):
    mode = "third-agency"
    key: NodeKey
    forger: NodeKey
    bundle: dict[str, Any] = {}
    recorded: dict[str, str] = {}
    log: Store

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?")[0]
        if path.endswith("/tearline/recalls/"):
            doc: dict[str, Any] = {"recalls": []}
        elif path.endswith("/tearline/checkpoint/"):  # a real, consistent log of its own
            doc = checkpoint_answer(self.log, self.key, 0)
        elif path == "/taxii2/":
            doc = {"title": "mallory", "api_roots": ["/taxii2/api/"]}
        elif path == "/taxii2/api/collections/":
            doc = {"collections": [{"id": "2d1c2b7e-0000-5000-8000-000000000001",
                                    "title": "mallory", "can_read": True,
                                    "can_write": False}]}
        else:
            doc = {"more": False, "objects": self.bundle["objects"]}
        body = json.dumps(doc).encode()
        nonce = self.headers.get(NONCE_HEADER, "")
        signer = self.forger if self.mode == "forged" else self.key
        header = sign_response(signer, nonce, "GET", self.path, body)
        first = self.recorded.setdefault(path, header)
        if self.mode == "replayed":
            header = first  # the answer signed for an earlier request
        if self.mode == "tampered" and path not in ("/taxii2/", "/taxii2/api/collections/"):
            body = body.replace(b"Person", b"Persoo", 1) if b"Person" in body else body + b" "
        self.answer(body, header)

    def do_POST(self) -> None:  # noqa: N802 (cosignatures, receipts: accepted)
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = b"{}"
        self.answer(body, sign_response(self.key, self.headers.get(NONCE_HEADER, ""), "POST",
                                        self.path, body))

    def answer(self, body: bytes, signature: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/taxii+json;version=2.1")
        self.send_header(SIGNATURE_HEADER, signature)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_a_malicious_peer_is_refused_and_audited(nodes: dict[str, Node], data_dir: Path,
                                                 tmp_path: Path) -> None:
    dea = nodes["dea"]
    port = free_port()
    made = init_node(tmp_path / "mallory", scenario.MX_SEMAR, scenario.NAVAL_POLICE,
                     url=f"https://127.0.0.1:{port}/taxii2/")
    forger = init_node(tmp_path / "forger", scenario.MX_SEMAR, scenario.NAVAL_POLICE,
                       name="forger").key
    (tmp_path / "mallory.json").write_text(json.dumps(made.identity.identity_document()))
    dea.run("peer", "add", str(tmp_path / "mallory.json"))
    fgr_records = own_records(data_dir, scenario.MX_FGR)[:20]

    class Handler(Mallory):
        key = made.key
        bundle = to_stix(fgr_records).bundle
        recorded: dict[str, str] = {}
        log = Store.open(f"sqlite:///{tmp_path / 'mallory.sqlite'}")

    Handler.forger = forger
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp_path / "mallory" / "tls.crt", tmp_path / "mallory" / "tls.key")
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(dea.workspace / "keys" / "tls.crt")
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        before = held(dea, scenario.MX_FGR)
        # 1. correctly signed, but speaking for a third agency: refused record by record
        done = dea.run("sync", made.identity.name, "-q")
        assert "refused" in done.stderr
        store = dea.open_store()
        logged = refusals(store)
        store.close()
        third = [e for e in logged if e.reason == "third-agency"]
        assert third and {e.originator for e in third} == {scenario.MX_FGR}
        assert {e.peer for e in third} == {f"node:{made.identity.name}"}
        # 2-4. tampered, replayed, forged answers: the sync stops, audited as unverified
        for mode in ("tampered", "replayed", "forged"):
            Handler.recorded = {}
            if mode == "replayed":
                Handler.mode = "third-agency"
                dea.run("sync", made.identity.name, "-q")  # answers recorded...
            Handler.mode = mode  # ...and, when replayed, sent again for new requests
            store = dea.open_store()
            unverified = len([e for e in refusals(store) if e.reason == "unverified"])
            store.close()
            done = dea.run("sync", made.identity.name, "-q", check=False)
            assert done.returncode == 1, (mode, done.stdout, done.stderr)
            assert "verif" in done.stderr or "signed" in done.stderr, done.stderr
            store = dea.open_store()
            now_logged = len([e for e in refusals(store) if e.reason == "unverified"])
            store.close()
            assert now_logged > unverified, mode  # audited
        assert held(dea, scenario.MX_FGR) == before == {}
    finally:
        server.shutdown()
        server.server_close()
        Handler.log.close()


def test_a_recall_is_purged_at_the_receiver_and_acknowledged(nodes: dict[str, Node]) -> None:
    dea, semar = nodes["dea"], nodes["semar"]
    semar.run("sync", dea.unit, "-q")
    holding, holding_ids = held(semar, dea.agency), held_ids(semar, dea.agency)
    victim = sorted(i for i in holding if i.startswith("demo7-person"))[0]
    dea.run("mark", victim, "--as", dea.unit, "--tlp", "AMBER+STRICT")  # us.dea only now

    (row,) = [r for r in json.loads(dea.run("recalls", "-f", "json").stdout)
              if r["entity_id"] == victim]
    assert row["pending"] == [semar.unit] and row["acknowledged"] == []

    done = semar.run("sync", dea.unit, "-q")
    assert f"recalled {victim}" in done.stdout
    # the person, and the relationships that lost an end with it, are gone
    after, now_released = held(semar, dea.agency), released(dea, semar)
    assert victim not in after and after == now_released
    purged = {e.entity_id: set(e.statement_ids) for e in audit_kinds(semar)
              if e.kind == "recall.purged" and e.statement_ids}  # 0: nothing held from it
    assert holding_ids[victim] <= purged[victim]
    assert set(purged) == set(holding) - set(now_released)
    # every statement that left semar is in a recall.purged entry, and nothing else is
    after_ids = held_ids(semar, dea.agency)
    gone = {st for e, sts in holding_ids.items() for st in sts - after_ids.get(e, set())}
    assert set().union(*purged.values()) == gone

    (row,) = [r for r in json.loads(dea.run("recalls", "-f", "json").stdout)
              if r["entity_id"] == victim]
    assert row["acknowledged"] == [semar.unit] and row["pending"] == []
    assert not any(r["pending"] for r in json.loads(
        dea.run("recalls", "--pending", "-f", "json").stdout) if r["entity_id"] == victim)
    # the next sync applies nothing twice
    again = semar.run("sync", dea.unit, "-q")
    assert "recalled" not in again.stdout


def test_an_orcon_record_is_relayed_only_with_its_originators_consent(
        nodes: dict[str, Node]) -> None:
    """semar → dea → fgr: dea holds semar's ORCON record, which fgr may read, but dea
    passes it on only once semar consented; fgr then checks that consent with semar's key."""
    dea, semar, fgr = nodes["dea"], nodes["semar"], nodes["fgr"]
    # fgr knows semar's key (to check semar's consents) without pulling from it
    fgr.run("peer", "add", str(semar.workspace.parent / f"{semar.unit}.json"))
    orcon = build_record(
        "semar-orcon-relay", "Person", {"name": ["Ramiro Quintero Soto"]},
        Provenance(semar.agency, semar.unit, datetime.now(UTC)),
        Marking.build("AMBER", [f"unit:{dea.unit}", f"unit:{fgr.unit}"], orcon=True,
                      legal_basis=scenario.SECURITY_FRAMEWORK), keyer=TEST_KEYER)
    store = semar.open_store()
    store.write([orcon])
    store.close()

    dea.run("sync", semar.unit, "-q")
    assert orcon.id in held(dea, semar.agency)
    fgr.run("sync", dea.unit, "-q")
    assert orcon.id not in held(fgr, semar.agency)  # fgr may read it, dea may not relay it
    assert held(fgr, semar.agency) == {}

    semar.run("consent", orcon.id, "--as", semar.unit, "--to", dea.agency)
    dea.run("sync", semar.unit, "-q")  # the record comes again, its consent with it
    consents = [e for e in audit_kinds(dea) if e.kind == "consent.recorded"
                and e.entity_id == orcon.id]
    assert [(e.originator, e.to_agency) for e in consents] == [(semar.agency, dea.agency)]
    fgr.run("sync", dea.unit, "-q")
    relayed = held(fgr, semar.agency)
    assert set(relayed) == {orcon.id}
    assert relayed[orcon.id] == held(dea, semar.agency)[orcon.id]  # as the originator wrote
    accepted = [e for e in audit_kinds(fgr) if e.kind == "record.created"
                and e.entity_id == orcon.id]
    assert len(accepted) == 1

