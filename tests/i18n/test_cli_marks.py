"""Every sentence the command line prints is marked for translation.

A line printed from a literal (``console.print(f"{n} pairs written to {out}")``) reads
in English under ``TEARLINE_LANG=es``; marked (``_("{n} pairs written to {out}")
.format(…)``) it is said in the reader's language. This scans ``cli/`` for calls of
``print``, ``echo`` and ``rule`` whose first argument has a word in a literal part: a
line of data only (``f"  {path}"``, ``f" [{marking}]"``) has none and is left alone.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import tearline.cli

CLI = Path(tearline.cli.__file__).resolve().parent
PRINTS = {"print", "echo", "rule"}


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


def unmarked_prints(path: Path, root: Path = CLI) -> list[str]:
    return [f"{path.relative_to(root)}:{node.lineno}"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in PRINTS and node.args and _has_words(node.args[0])]


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
        'console.print(f"entity of {n} records: " + ", ".join(names))\n')
    assert unmarked_prints(sample, tmp_path) == ["sample.py:1", "sample.py:4", "sample.py:7"]
