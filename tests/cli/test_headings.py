"""Table headings in the reader's language; every literal column of a table is marked."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tearline.cli import common
from tearline.cli.headings import HEADINGS, heading

CLI = Path(common.__file__).parent


def test_headings_follow_the_readers_language(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TEARLINE_LANG", "es-MX")
    assert heading("entity_id") == "registro" and heading("marking") == "marcado"
    common.print_table([{"entity_id": "p-1", "marking": "TLP:CLEAR"}], ["entity_id", "marking"])
    out = capsys.readouterr().out
    assert "registro" in out and "marcado" in out and "entity_id" not in out
    monkeypatch.setenv("TEARLINE_LANG", "en-US")
    assert heading("entity_id") == "entity_id"
    assert heading("not-a-column") == "not-a-column"


def _literal_columns() -> set[str]:
    """The column names written as literals in the command line's tables: the lists passed
    to ``emit``/``print_table`` and the module-level ``COLUMNS`` and ``columns`` lists."""
    found: set[str] = set()
    for path in CLI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            lists: list[ast.expr] = []
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
                    "emit", "print_table") and len(node.args) >= 3:
                lists.append(node.args[2])
            if isinstance(node, ast.Assign) and any(
                    getattr(t, "id", "").lower().strip("_") == "columns" for t in node.targets):
                lists.append(node.value)
            for value in lists:
                if isinstance(value, ast.List | ast.Tuple):
                    found.update(e.value for e in value.elts
                                 if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return found


def test_every_literal_column_has_a_heading() -> None:
    columns = _literal_columns()
    assert len(columns) > 40  # the scan finds the tables
    assert sorted(columns - HEADINGS) == []
