"""A workspace driven through the command line in process, with the terminal's width
under the test's control (tables are checked as a person at an 80-column terminal
sees them)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from tearline.cli import app
from tearline.cli.common import STATE, console

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


class CliWorkspace:
    def __init__(self, root: Path, db_url: str | None = None) -> None:
        self.root = root
        self.db_url = db_url or f"sqlite:///{root / 'tearline.sqlite'}"
        self.width = 250

    def invoke(self, *args: str | Path) -> Result:
        width, console.width = console.width, self.width
        try:
            return CliRunner().invoke(
                app, ["--db-url", self.db_url, "-w", str(self.root), *map(str, args)])
        finally:
            console.width = width
            STATE.close()

    def ok(self, *args: str | Path) -> Result:
        result = self.invoke(*args)
        assert result.exit_code == 0, result.output
        return result

    def fails(self, code: int, *args: str | Path) -> str:
        """Run a command that must fail with ``code``; what it said, unwrapped."""
        result = self.invoke(*args)
        assert result.exit_code == code, result.output
        return " ".join(result.output.split())


def said(result: Result) -> str:
    return " ".join(result.output.split())


def dea_workspace(root: Path, db_url: str | None = None) -> CliWorkspace:
    """An initialized workspace with us.dea and its unit us.dea.sod."""
    ws = CliWorkspace(root, db_url)
    ws.ok("init")
    ws.ok("party", "add-agency", "us.dea", "--name", "DEA", "--country", "us")
    ws.ok("party", "add-unit", "us.dea.sod", "--agency", "us.dea", "--name", "SOD")
    return ws
