"""Every message tearline's own errors carry is marked for translation.

An error made with a literal message (``NotFound("no such …")`` or an f-string) reads
in English whatever the reader's language; marked with :func:`tearline.errors.tr` it
keeps its template and values and is said in Spanish at the edge. This scans the
source for calls of the error classes whose message (or a reason in their second
argument) is a literal and not marked, and for the reasons of a policy decision or a
store denial (``Decision.allow/deny``, ``denied``): a reason is read in the message of
a denial, on the web's error page and in ``policy explain``. ``errors.py`` defines the
classes, so it is left out; the web application's errors are scanned like any other.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import tearline.errors
from tearline.errors import TearlineError

SRC = Path(tearline.errors.__file__).resolve().parent
LEFT_OUT = (set[str](), {SRC / "errors.py"})


def _error_classes() -> set[str]:
    return {name for name, value in vars(tearline.errors).items()
            if inspect.isclass(value) and issubclass(value, TearlineError)}


#: Calls whose every argument is a reason a person reads: a policy decision's
#: (``Decision.allow/deny``) and a store denial's (``releases.denied``).
REASONS = {"allow", "deny", "denied"}


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str))


def _said(node: ast.Call, classes: set[str]) -> list[ast.expr]:
    """The arguments of ``node`` that a person reads: an error's message and reasons
    (the items of its second argument), every argument of a decision or a denial."""
    func = node.func
    name = (func.id if isinstance(func, ast.Name)
            else func.attr if isinstance(func, ast.Attribute) else None)
    if name in REASONS:
        args = list(node.args)
    elif name in classes and node.args:
        args = node.args[:1]
    else:
        return []
    for listed in node.args[1:2]:
        if isinstance(listed, ast.List | ast.Tuple):
            args.extend(listed.elts)
    return args


def _unmarked(path: Path, classes: set[str], root: Path = SRC) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and any(_literal(a) for a in _said(node, classes)):
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


def test_the_scan_finds_an_unmarked_reason(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'Decision.deny(f"TLP:{tlp} is not {names}")\n'
        'Decision.allow(tr("marking in force"), f"{n} of {m} statements")\n'
        'raise denied(tr("you may not recall {id}", id=x), [f"only units of {o}"])\n'
        'raise PolicyDenied(tr("this credential lacks a scope"), ["can_write is false"])\n'
        'Decision.deny(tr("record marking: {reasons}", reasons=listed(d.reasons)))\n'
        'raise denied(tr("you may not recall {id}", id=x), d.reasons)\n')
    assert _unmarked(sample, {"PolicyDenied"}, tmp_path) == [
        f"sample.py:{n}" for n in (1, 2, 3, 4)]


def test_every_problem_is_marked() -> None:
    """An input error's lines (``Problem``) are read by the person who sent the input."""
    unmarked = [where for path in sorted(SRC.rglob("*.py"))
                for where in _unmarked(path, {"Problem"})]
    assert not unmarked, "mark these problems with tr(…): " + ", ".join(unmarked)
