"""Exit statuses: one per error class, next to the HTTP statuses in errors.py, reported
by the one wrapper at the Typer application and documented in docs/cli.md."""

from __future__ import annotations

import re
from pathlib import Path

from cli_ws import REPO, CliWorkspace, dea_workspace

from tearline import errors
from tearline.errors import CLI_EXIT, HTTP_STATUS, TearlineError, cli_exit, http_status


def _classes(cls: type[TearlineError] = TearlineError) -> list[type[TearlineError]]:
    out = [cls]
    for sub in cls.__subclasses__():
        out += _classes(sub)
    return out


def test_every_error_class_of_the_tree_has_an_exit_status_and_an_http_status() -> None:
    tree = [c for c in _classes() if c.__module__ == errors.__name__]
    assert len(tree) >= 20
    for cls in tree:
        mapped = [c for c in cls.__mro__ if c in CLI_EXIT]
        assert mapped, cls
        assert any(c in HTTP_STATUS for c in cls.__mro__), cls
        error = cls.__new__(cls)
        assert cli_exit(error) == CLI_EXIT[mapped[0]] and 1 <= cli_exit(error) <= 125
        assert 400 <= http_status(error) <= 599
    # the statuses a script tells apart are distinct
    assert len(set(CLI_EXIT.values())) == len(CLI_EXIT)
    assert cli_exit(errors.LegalBasisError("x")) == 2
    assert cli_exit(errors.SplitViewError("x")) == 1


def test_the_documented_table_is_the_mapping() -> None:
    doc = (REPO / "docs" / "cli.md").read_text()
    rows = re.findall(r"^\| (\d+) \| `(\w+)` \|", doc, re.MULTILINE)
    assert {getattr(errors, name): int(code) for code, name in rows} == CLI_EXIT


def test_the_cli_returns_the_documented_status(tmp_path: Path) -> None:
    ws = dea_workspace(tmp_path / "dea")
    # InputError: no one acting
    assert ws.fails(2, "list").startswith("error: say who is acting")
    # NotFound
    assert ws.fails(3, "show", "p-404", "--as", "us.dea.sod") == "not found: no record 'p-404'"
    # Conflict (a TearlineError with no status of its own)
    ws.ok("party", "add-agency", "mx.semar", "--name", "SEMAR", "--country", "mx")
    assert ws.fails(1, "party", "add-agency", "mx.semar", "--name", "X", "--country",
                    "mx").startswith("error (conflict):")
    # StoreError: a database "file" that cannot be opened
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    other = CliWorkspace(tmp_path, f"sqlite:///{folder}")
    assert other.fails(5, "stats", "--as", "us.dea.sod").startswith(
        "error (store_unavailable):")
