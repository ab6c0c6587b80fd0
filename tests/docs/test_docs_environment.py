"""Every ``TEARLINE_*`` environment variable the code names is documented.

Found in the source's syntax trees: a string that is a whole variable name
(``os.environ.get("TEARLINE_DB_URL")``, ``envvar="TEARLINE_WORKSPACE"``), and a
family formed in a settings class (``f"TEARLINE_API_{f.name.upper()}"`` in a method of
``ApiSettings``), which names one variable per field of the class."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re

import pytest
from docs_text import SOURCE, documentation

_NAME = re.compile(r"TEARLINE_[A-Z0-9_]*[A-Z0-9]")
_PREFIX = re.compile(r"TEARLINE_[A-Z0-9_]*_")


def _module(path_parts: tuple[str, ...]) -> str:
    return ".".join(("tearline", *path_parts)).removesuffix(".py").removesuffix(".__init__")


def _families(tree: ast.Module, module: str) -> set[str]:
    """The variables of f-strings ``TEARLINE_…_{field}`` inside a dataclass's methods."""
    names: set[str] = set()
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for node in ast.walk(cls):
            if not (isinstance(node, ast.JoinedStr) and len(node.values) == 2):
                continue
            head, tail = node.values
            if (isinstance(head, ast.Constant) and isinstance(head.value, str)
                    and _PREFIX.fullmatch(head.value) and isinstance(tail, ast.FormattedValue)):
                settings = getattr(importlib.import_module(module), cls.name)
                assert dataclasses.is_dataclass(settings), (
                    f"{module}.{cls.name} forms {head.value}… but is no dataclass whose "
                    "fields would say which variables")
                names |= {head.value + f.name.upper() for f in dataclasses.fields(settings)}
    return names


def environment_variables() -> list[str]:
    names: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                  and isinstance(n.value, str) and _NAME.fullmatch(n.value)}
        names |= _families(tree, _module(path.relative_to(SOURCE).parts))
    return sorted(names)


def test_the_search_finds_the_variables_we_know() -> None:
    found = environment_variables()
    assert {"TEARLINE_WORKSPACE", "TEARLINE_DB_URL", "TEARLINE_API_MAX_BODY_BYTES"} <= set(found)


@pytest.mark.parametrize("name", environment_variables())
def test_environment_variable_is_documented(name: str) -> None:
    assert re.search(rf"\b{name}\b", documentation()), f"no page of docs/ names {name}"
