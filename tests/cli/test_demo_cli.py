"""The main job, `tearline demo`, end to end in a real process: it builds the workspace,
tours it — the same record side by side as the three units see it, each column what the
store answers that unit —, writes the per-unit assessments, verifies its audit log and
prints API tokens; it refuses to delete a folder it did not create."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tearline.cli.common import console
from tearline.cli.demo import _tour
from tearline.demo.load import seed_parties
from tearline.errors import NotFound
from tearline.model.record import Record
from tearline.store.store import Store

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-c", "from tearline.cli import main; main()"]
UNITS = ("us.dea.sod", "mx.semar.uie", "mx.fgr.femdo")
Demo = tuple[Path, subprocess.CompletedProcess[str]]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "400"}  # wide enough that no table cell is folded
    env.pop("TEARLINE_WORKSPACE", None)
    env.pop("TEARLINE_DB_URL", None)
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """One run of the demo, shared by the tests that read what it printed and built."""
    workspace = tmp_path_factory.mktemp("demo") / "demo"
    return workspace, run("-w", str(workspace), "demo", "--no-serve")


def test_the_demo_builds_tours_and_verifies_a_workspace(demo: Demo) -> None:
    workspace, done = demo
    assert done.returncode == 0, done.stdout + done.stderr
    for unit in UNITS:
        assert (workspace / "reports" / f"assessment-{unit}.pdf").stat().st_size > 0
        assert f"# as {unit}" in done.stdout
    # the link analysis of each unit's network: OFAC's Linked To and the field's links
    networks = re.findall(r"(\S+): ([\d,]+) people and organizations, ([\d,]+) links",
                          done.stdout)
    assert len(networks) == 3 and all(int(n[2].replace(",", "")) > 0 for n in networks)
    verified = re.search(r"verified ([\d,]+) entries", done.stdout)
    assert verified is not None and int(verified.group(1).replace(",", "")) > 0
    tokens = re.findall(r"Bearer (tl_\S+)'", done.stdout)
    assert len(tokens) == len(UNITS)
    # the printed secrets are stored only as their Argon2 hashes
    store_bytes = (workspace / "tearline.sqlite").read_bytes()
    assert all(token.encode() not in store_bytes for token in tokens)


def test_the_demo_never_deletes_a_folder_it_did_not_create(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    done = run("-w", str(mine), "demo", "--no-serve")
    assert done.returncode != 0
    assert "not a demo workspace" in done.stdout + done.stderr
    assert (mine / "notes.txt").read_text() == "keep me"


def side_by_side_table(stdout: str) -> tuple[str, list[str], dict[str, list[list[str]]]]:
    """From the demo's output: the sample id, the column heads, and per property (and
    "marking") the lines of each unit's cell."""
    lines = stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "One record, three tear lines" in line)
    sample = lines[at].split("tear lines: ", 1)[1].strip(" ─")
    assert f"{sample}: one record, 3 tear lines" in lines[at + 1]
    top = next(i for i in range(at, len(lines)) if lines[i].startswith("┏"))
    heads: list[list[str]] = []
    rows: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in lines[top + 1:]:
        line = line.strip()
        if line.startswith("└"):
            break
        if line.startswith("┃"):
            cells = [c.strip() for c in line[1:-1].split("┃")]
            heads = heads or [[] for _ in cells]
            for head, cell in zip(heads, cells, strict=True):
                head.extend([cell] if cell else [])
        elif line.startswith("│"):
            cells = [c.strip() for c in line[1:-1].split("│")]
            if current is None:
                current = [[] for _ in cells]
                rows.append(current)
            for column, cell in zip(current, cells, strict=True):
                column.extend([cell] if cell else [])
        else:  # the rule under the heads, or between two rows
            current = None
    table = {row[0][0]: row[1:] for row in rows}
    return sample, [" ".join(head) for head in heads], table


def test_the_tour_shows_one_record_side_by_side_as_the_store_answers_each_unit(
    demo: Demo,
) -> None:
    workspace, done = demo
    assert done.returncode == 0, done.stdout + done.stderr
    sample, heads, table = side_by_side_table(done.stdout)
    store = Store.open(f"sqlite:///{workspace / 'tearline.sqlite'}")
    try:
        views: dict[str, Record | None] = {}
        for unit in UNITS:
            try:
                views[unit] = store.read(store.subject(unit), datetime.now(UTC), sample)
            except NotFound:
                views[unit] = None
    finally:
        store.close()
    assert heads == ["property"] + [u if views[u] else f"{u} (does not exist)" for u in UNITS]
    seen = {unit: {p: [s.value for s in rec.statements if s.prop == p]
                   for p in {s.prop for s in rec.statements}} if rec else {}
            for unit, rec in views.items()}
    assert table.pop("marking") == [[str(rec.marking)] if rec else [] for rec in views.values()]
    assert set(table) == {p for props in seen.values() for p in props}
    for prop, cells in table.items():
        assert cells == [seen[u].get(prop) or ["—"] for u in UNITS], prop
    # the sample is one the U.S. unit and the vetted unit both see, with a portion hidden
    # from the vetted one; the unvetted unit sees nothing of it
    sod, uie, femdo = (seen[u] for u in UNITS)
    assert sod and uie and set(uie) < set(sod) and not femdo


def test_the_tour_says_so_when_no_record_can_be_compared(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "width", 400)  # fixed when the CLI was first imported
    now = datetime.now(UTC)
    seed_parties(store, now)  # the demo's parties, and not one record
    _tour(store, now)
    out = capsys.readouterr().out
    assert "One record, three tear lines" in out
    assert ("no synthetic Person that both us.dea.sod and mx.semar.uie see has a portion "
            "marked apart: there is no record to compare side by side") in out
