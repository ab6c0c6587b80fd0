"""What the CLI creates is private to its owner: folders 0700, files 0600, whatever the
umask — the workspace, its database, keys and identity, and every `--out` file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from filemodes import mode_of
from tearline.cli import app
from tearline.cli.common import STATE

pytestmark = pytest.mark.usefixtures("permissive_umask")


def run(workspace: Path, *args: str) -> str:
    try:
        result = CliRunner().invoke(app, ["-w", str(workspace), *args])
    finally:
        STATE.close()
    assert result.exit_code == 0, result.output
    return result.output


def test_a_workspace_and_what_it_writes_are_private(tmp_path: Path) -> None:
    ws = tmp_path / "nodes" / "dea"
    run(ws, "init", "--origin", "dea.example/log")
    run(ws, "party", "add-agency", "us.dea", "--name", "DEA", "--country", "us")
    run(ws, "party", "add-unit", "us.dea.sod", "--agency", "us.dea", "--name", "SOD")
    run(ws, "node", "init", "--agency", "us.dea", "--unit", "us.dea.sod")
    folders = [tmp_path / "nodes", ws, ws / "keys"]
    assert {str(f): mode_of(f) for f in folders} == {str(f): 0o700 for f in folders}
    files = sorted(p for p in ws.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"tearline.sqlite", "node.key", "node.pub", "tls.key",
                                       "tls.crt", "node.json"}
    assert {p.name: mode_of(p) for p in files} == {p.name: 0o600 for p in files}
    exported, report = tmp_path / "export.jsonl", tmp_path / "assessment.json"
    report.write_text("an older report, readable by all")
    os.chmod(report, 0o644)
    run(ws, "export", "--out", str(exported), "--as", "us.dea.sod")
    run(ws, "report", "assessment", "--out", str(report), "--as", "us.dea.sod",
        "--format", "json", "--no-cbp")
    assert (mode_of(exported), mode_of(report)) == (0o600, 0o600)


def test_init_makes_an_existing_workspace_private(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    os.chmod(ws, 0o755)
    (ws / "tearline.sqlite").write_bytes(b"")
    os.chmod(ws / "tearline.sqlite", 0o644)  # as a version before this one left it
    run(ws, "init", "--origin", "old.example/log")
    assert (mode_of(ws), mode_of(ws / "tearline.sqlite")) == (0o700, 0o600)
