"""Every message tearline's own errors carry is marked for translation.

An error made with a literal message (``NotFound("no such …")`` or an f-string) reads
in English whatever the reader's language; marked with :func:`tearline.errors.tr` it
keeps its template and values and is said in Spanish at the edge. This scans the
source for calls of the error classes whose message is a literal and not marked. The
web application's own words are the ``web`` domain's, and ``errors.py`` defines the
classes, so both are left out.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import tearline.errors
from tearline.errors import TearlineError

SRC = Path(tearline.errors.__file__).resolve().parent
LEFT_OUT = ({"web"}, {SRC / "errors.py"})


def _error_classes() -> set[str]:
    return {name for name, value in vars(tearline.errors).items()
            if inspect.isclass(value) and issubclass(value, TearlineError)}


def _unmarked(path: Path, classes: set[str], root: Path = SRC) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = (func.id if isinstance(func, ast.Name)
                else func.attr if isinstance(func, ast.Attribute) else None)
        first = node.args[0]
        literal = isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.Constant) and isinstance(first.value, str))
        if name in classes and literal:
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_every_literal_error_message_is_marked_for_translation() -> None:
    classes = _error_classes()
    unmarked = [where for path in sorted(SRC.rglob("*.py"))
                if path.relative_to(SRC).parts[0] not in LEFT_OUT[0]
                and path not in LEFT_OUT[1]
                for where in _unmarked(path, classes)]
    assert not unmarked, "mark these messages with tr(…): " + ", ".join(unmarked)


def test_the_scan_finds_an_unmarked_message(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('raise NotFound(f"no record {x}")\nraise NotFound(tr("no record"))\n'
                      'raise errors.StoreError("closed")\nraise ValueError("not ours")\n')
    assert _unmarked(sample, {"NotFound", "StoreError"}, tmp_path) == [
        "sample.py:1", "sample.py:3"]
