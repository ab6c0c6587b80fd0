"""The main job, `tearline demo`, end to end in a real process: it builds the workspace,
tours it, writes the per-unit assessments, verifies its audit log and prints API tokens;
it refuses to delete a folder it did not create."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-c", "from tearline.cli import main; main()"]
UNITS = ("us.dea.sod", "mx.semar.uie", "mx.fgr.femdo")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("TEARLINE_WORKSPACE", None)
    env.pop("TEARLINE_DB_URL", None)
    return subprocess.run([*CLI, *args], env=env, capture_output=True, text=True, timeout=900)


def test_the_demo_builds_tours_and_verifies_a_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "demo"
    done = run("-w", str(workspace), "demo", "--no-serve")
    assert done.returncode == 0, done.stdout + done.stderr
    for unit in UNITS:
        assert (workspace / "reports" / f"assessment-{unit}.pdf").stat().st_size > 0
        assert f"# as {unit}" in done.stdout
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
