"""`tearline demo --federation` as a user runs it: a real process that starts three real
listeners. What it prints is checked against the three nodes' stores and audit logs it
leaves behind, and its listeners must be gone when it exits."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console

from tearline.audit.events import RecallAcknowledged, RecallPurged, ReceiptRecorded
from tearline.demo import scenario
from tearline.demo.federation_nodes import DEMO_MARKER, listeners, make_nodes, prepare_root
from tearline.demo.federation_tables import held
from tearline.errors import InputError
from tearline.store import audit_log
from tearline.store.store import Store

CLI = [sys.executable, "-c", "from tearline.cli import main; main()"]
UNITS = (scenario.SOD, scenario.UIE, scenario.FEMDO)
AGENCY = {scenario.SOD: scenario.US_DEA, scenario.UIE: scenario.MX_SEMAR,
          scenario.FEMDO: scenario.MX_FGR}
ORIGINATORS = (scenario.US_DEA, scenario.MX_SEMAR, scenario.MX_FGR)


def run_cli(*args: str, workspace: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "250"}
    env.pop("TEARLINE_DB_URL", None)
    env.pop("TEARLINE_WORKSPACE", None)
    if workspace is not None:
        env["TEARLINE_WORKSPACE"] = str(workspace)
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=600)


def rows(text: str) -> list[list[str]]:
    """The body rows of every rich table in ``text``, as lists of cell texts."""
    return [[c.strip() for c in line.strip().strip("│").split("│")]
            for line in text.splitlines() if line.startswith("│")]


def number(cell: str) -> int:
    return int(cell.replace(",", "").replace("(own)", "").strip())


def holdings(part: str) -> dict[str, dict[str, int]]:
    found = {r[0]: dict(zip(ORIGINATORS, map(number, r[1:]), strict=True))
             for r in rows(part) if len(r) == 4 and r[0] in UNITS}
    assert set(found) == set(UNITS), part
    return found


def by_marking(part: str) -> dict[str, tuple[int, int, int]]:
    return {r[0]: (number(r[1]), number(r[2]), number(r[3]))
            for r in rows(part) if len(r) == 4 and r[0].startswith("TLP:")}


def store_of(root: Path, unit: str) -> Store:
    return Store.open(f"sqlite:///{root / unit / 'tearline.sqlite'}", migrate=False)


def events(root: Path, unit: str) -> list[object]:
    store = store_of(root, unit)
    try:
        with store.reading() as conn:
            return [e.event() for e in audit_log.entries(conn, limit=10_000_000)]
    finally:
        store.close()


def stored(root: Path) -> dict[str, dict[str, dict[str, str]]]:
    out = {}
    for unit in UNITS:
        store = store_of(root, unit)
        try:
            out[unit] = held(store)
        finally:
            store.close()
    return out


def port_open(url: str) -> bool:
    port = int(re.search(r":(\d+)/taxii2/", url).group(1))  # type: ignore[union-attr]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.slow
def test_the_federation_demo_prints_what_the_nodes_hold(tmp_path: Path) -> None:
    root = tmp_path / "fed"
    done = run_cli("-w", str(root), "demo", "--federation")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    first, _, rest = out.partition("Recall: ")
    second, _, final = rest.partition("What is where after the recall")
    final, _, blind = final.partition("Deconfliction: ")
    assert final and blind, out
    now = stored(root)

    # the nodes table names three workspaces and listeners, all stopped at exit
    nodes = {r[0]: r for r in rows(first) if len(r) == 5 and r[0] in UNITS}
    assert set(nodes) == set(UNITS)
    assert "listeners stopped: " + ", ".join(UNITS) in out
    assert not any(port_open(r[3]) for r in nodes.values())
    for unit, row in nodes.items():
        assert Path(row[2]) == root / unit and (root / unit / "keys" / "tls.crt").exists()

    # after the recall: the holdings table is exactly what each store holds
    assert holdings(final) == {u: {a: len(now[u].get(a, {})) for a in ORIGINATORS}
                               for u in UNITS}
    # and us.dea's records by marking, at each node
    expected = Counter[tuple[str, str]]()
    for unit in UNITS:
        for marking in now[unit].get(scenario.US_DEA, {}).values():
            expected[(unit, marking)] += 1
    printed = by_marking(final)
    assert printed and {m: tuple(expected[(u, m)] for u in UNITS) for m in printed} == printed
    assert sum(c[0] for c in printed.values()) == len(now[scenario.SOD][scenario.US_DEA])

    # the vetted unit holds what the attorney-general unit does not, and nothing leaked
    at_uie = set(now[scenario.UIE][scenario.US_DEA])
    at_femdo = set(now[scenario.FEMDO][scenario.US_DEA])
    assert f"received {len(at_uie - at_femdo):,} us.dea record(s) that" in final
    assert at_uie - at_femdo and not at_femdo - at_uie
    for marking in now[scenario.FEMDO][scenario.US_DEA].values():
        assert "vetted-by" not in marking and "unit:" not in marking, marking
    assert scenario.MX_FGR not in now[scenario.UIE]
    assert scenario.MX_SEMAR not in now[scenario.FEMDO]

    # the recalled record: narrowed at home, gone from both partners, purged and receipted
    victim = re.search(r"narrows (\S+) to TLP:AMBER\+STRICT", rest).group(1)  # type: ignore[union-attr]
    assert now[scenario.SOD][scenario.US_DEA][victim] == "TLP:AMBER+STRICT"
    purged_lines = re.findall(r"^(\S+) purged (\S+) \((rc-[0-9a-f]{32})\): (\d+) statement",
                              second, re.MULTILINE)
    assert {(unit, entity) for unit, entity, _, _ in purged_lines} >= {
        (scenario.UIE, victim), (scenario.FEMDO, victim)}
    for unit, entity, recall_id, count in purged_lines:
        assert entity not in now[unit].get(scenario.US_DEA, {})
        (purge,) = [e for e in events(root, unit)
                    if isinstance(e, RecallPurged) and e.recall_id == recall_id]
        assert purge.entity_id == entity and len(purge.statement_ids) == int(count) > 0
    acknowledged = {(e.recall_id, e.recipient) for e in events(root, scenario.SOD)
                    if isinstance(e, RecallAcknowledged)}
    assert acknowledged == {(rc, f"node:{unit}") for unit, _, rc, _ in purged_lines}

    # the recalls table: pending at both holders after the recall, then acknowledged,
    # as `tearline recalls` on the U.S. node prints it
    recall_part, _, receipt_part = second.partition("Receipts recorded at the originator")
    pending = {r[0]: r for r in rows(recall_part) if len(r) == 3 and r[0].startswith("demo")}
    assert pending[victim][1] == ""
    assert set(pending[victim][2].split(", ")) == {u for u, e, _, _ in purged_lines
                                                   if e == victim}
    cli = json.loads(run_cli("recalls", "-f", "json", workspace=root / scenario.SOD).stdout)
    assert cli and not any(r["pending"] for r in cli)
    assert {r[0]: (r[1], r[2]) for r in rows(receipt_part) if len(r) == 3} == {
        r["entity_id"]: (", ".join(sorted(r["acknowledged"])), "") for r in cli}

    # first round to final: what the second pulls stored, less what they purged
    before = holdings(first)
    stored_second = {r[0]: number(r[3]) for r in rows(second) if len(r) == 10}
    for unit in (scenario.UIE, scenario.FEMDO):
        gone = sum(1 for u, _, _, _ in purged_lines if u == unit)
        assert (len(now[unit][scenario.US_DEA])
                == before[unit][scenario.US_DEA] + stored_second[unit] - gone)

    # delivery receipts the partners signed reached the originator's audit log
    receipts = Counter(e.peer for e in events(root, scenario.SOD)
                       if isinstance(e, ReceiptRecorded))
    for unit in (scenario.UIE, scenario.FEMDO):
        assert f"node:{unit}: {receipts[f'node:{unit}']} signed delivery" in receipt_part
        assert receipts[f"node:{unit}"] > 0

    # deconfliction: DEA and SEMAR meet on a phone and on the night's operation, FGR
    # learns only "no overlap", and no node's database holds a selector
    learned = [(r[0], r[1], r[2]) for r in rows(blind) if len(r) == 3 and r[0] in UNITS]
    dea_call = f"overlap: call {scenario.SOD} ({scenario.US_DEA})"
    assert [(u, learns) for u, _, learns in learned] == [
        (scenario.SOD, "no overlap"), (scenario.UIE, dea_call),
        (scenario.SOD, "no overlap"), (scenario.UIE, dea_call),
        (scenario.FEMDO, "no overlap")], blind
    for unit in UNITS:
        for database in (root / unit).glob("tearline.sqlite*"):
            data = database.read_bytes()
            assert b"6671234567" not in data and b"5551234567" not in data, database


def test_a_folder_the_demo_did_not_make_is_refused(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("not the demo's")
    with pytest.raises(InputError):
        prepare_root(mine)
    assert (mine / "notes.txt").read_text() == "not the demo's"
    done = run_cli("-w", str(mine), "demo", "--federation")
    assert done.returncode != 0 and (mine / "notes.txt").exists()

    demo = tmp_path / "demo"
    demo.mkdir()
    (demo / DEMO_MARKER).write_text("")
    (demo / "old").write_text("from an earlier run")
    prepare_root(demo)
    assert sorted(p.name for p in demo.iterdir()) == [DEMO_MARKER]


@pytest.mark.slow
def test_the_listeners_stop_on_ctrl_c(tmp_path: Path) -> None:
    """Ctrl-C (KeyboardInterrupt) in the middle of the demo stops every listener process."""
    prepare_root(tmp_path / "fed")
    console = Console(quiet=True)
    nodes = make_nodes(tmp_path / "fed", [], console)
    running = []
    with pytest.raises(KeyboardInterrupt):
        with listeners(nodes, console):
            running = [n.server for n in nodes.values()]
            assert all(p is not None and p.poll() is None for p in running)
            assert all(port_open(n.url) for n in nodes.values())
            raise KeyboardInterrupt
    assert len(running) == 3
    assert all(p is not None and p.poll() is not None for p in running)
    assert not any(port_open(n.url) for n in nodes.values())
    assert all(n.server is None for n in nodes.values())
    for node in nodes.values():
        node.db().close()
