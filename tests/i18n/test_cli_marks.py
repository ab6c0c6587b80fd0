"""Every sentence the command line prints is marked for translation.

A line printed from a literal (``console.print(f"{n} pairs written to {out}")``) reads
in English under ``TEARLINE_LANG=es``; marked (``_("{n} pairs written to {out}")
.format(…)``) it is said in the reader's language. This scans ``cli/`` for calls of
``print``, ``echo``, ``rule`` and a progress bar's ``add_task`` whose first argument has
a word in a literal part, and for a table's ``title=`` or a task's ``description=`` that
has one: a line of data only (``f"  {path}"``, ``f" [{marking}]"``) has none and is left
alone.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import tearline.cli

CLI = Path(tearline.cli.__file__).resolve().parent
PRINTS = {"print", "echo", "rule", "add_task"}
WORDED = {"title", "description"}


def _has_words(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _has_words(node.left) or _has_words(node.right)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        parts = [node.value]
    elif isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values
                 if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    else:
        return False
    return any(re.search(r"[A-Za-z]{2,}", part) for part in parts)


def _said(node: ast.Call) -> list[ast.expr]:
    """What a person reads of a call: a print's first argument, a title, a description."""
    first = (node.args[:1] if isinstance(node.func, ast.Attribute)
             and node.func.attr in PRINTS else [])
    return first + [k.value for k in node.keywords if k.arg in WORDED]


def unmarked_prints(path: Path, root: Path = CLI) -> list[str]:
    return [f"{path.relative_to(root)}:{node.lineno}"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and any(_has_words(a) for a in _said(node))]


def test_every_printed_sentence_is_marked_for_translation() -> None:
    found = [where for path in sorted(CLI.rglob("*.py")) for where in unmarked_prints(path)]
    assert not found, "mark these lines with _(…): " + ", ".join(found)


def test_the_scan_finds_an_unmarked_line(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'console.print(f"{n} pairs written to {out}")\n'
        'console.print(_("{n} pairs written to {out}").format(n=n, out=out))\n'
        'console.print(f"  {path}")\n'
        'err.print("no hits")\n'
        'console.rule(_("Next"))\n'
        'console.print(_("Try:") + " " + commands)\n'
        'console.print(f"entity of {n} records: " + ", ".join(names))\n'
        'emit(rows, fmt, COLUMNS, title=f"Records visible to {subject}")\n'
        'emit(rows, fmt, COLUMNS, title=_("Records visible to {s}").format(s=subject))\n'
        'bar.update(task, advance=1, description="comparing")\n'
        'bar.add_task(title, total=None)\n')
    assert unmarked_prints(sample, tmp_path) == [
        f"sample.py:{n}" for n in (1, 4, 7, 8, 10)]
