"""The designations report of an import reads back what it wrote only when a party seen
before could hit a new designation; it reports every new one either way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.common import STATE
from tearline.screening import report, run

SDN = Path(__file__).resolve().parents[1] / "adversary" / "data" / "sdn.csv"
PEOPLE = Path(__file__).resolve().parents[1] / "cli" / "data" / "field_people.jsonl"


class _Workspace:
    def __init__(self, root: Path) -> None:
        self.args = ["--db-url", f"sqlite:///{root / 'tearline.sqlite'}", "-w", str(root)]

    def ok(self, *args: str | Path) -> str:
        try:
            result = CliRunner().invoke(app, [*self.args, *map(str, args)])
        finally:
            STATE.close()
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())


def test_the_designations_are_read_back_only_when_a_party_could_hit_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> run.Visible:
        found = run.visible(*args, **kwargs)
        reads.append(len(found.parties))
        return found

    monkeypatch.setattr(report, "visible", counted)
    ws = _Workspace(tmp_path)
    ws.ok("init")
    ws.ok("party", "add-agency", "us.dea", "--name", "DEA", "--country", "us")
    ws.ok("party", "add-unit", "us.dea.sod", "--agency", "us.dea", "--name", "SOD")
    first, both = tmp_path / "first.csv", tmp_path / "both.csv"
    lines = SDN.read_text(encoding="utf-8").splitlines(keepends=True)
    first.write_text(lines[0], encoding="utf-8")
    both.write_text("".join(lines), encoding="utf-8")

    # no party before the first import: nothing to screen, nothing read back
    assert "1 new designation(s); 0 existing" in ws.ok(
        "import-ofac", first, "--as", "us.dea.sod")
    assert reads == [0]
    # a party of the field is seen now: the new designation is read back for it
    ws.ok("ingest", PEOPLE, "--as", "us.dea.sod", "--tlp", "GREEN")
    reads.clear()
    out = tmp_path / "report.json"
    ws.ok("import-ofac", both, "--as", "us.dea.sod", "--report", out)
    parties = reads[0]
    assert parties > 0 and reads == [parties, parties]
    assert '"6704"' in out.read_text(encoding="utf-8")
    # nothing new: nothing read back
    reads.clear()
    assert "0 new designation(s)" in ws.ok("import-ofac", both, "--as", "us.dea.sod")
    assert reads == [parties]
