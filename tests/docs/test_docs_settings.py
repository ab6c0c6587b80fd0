"""Every setting is documented in ``docs/configuration.md``, in the section of its class.

The settings classes are the dataclasses of tearline's ``settings`` modules
(``tearline.settings.Settings``, ``tearline.api.settings.ApiSettings``, …), found by
importing every module; their fields are the settings."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import sys
from functools import cache

import pytest
from docs_text import SOURCE, quoted, section

from tree_walk import tearline_modules


def settings_classes() -> list[type]:
    classes = []
    for name in tearline_modules():
        if name.rsplit(".", 1)[-1] == "settings":
            classes += [cls for _, cls in inspect.getmembers(sys.modules[name], inspect.isclass)
                        if cls.__module__ == name and dataclasses.is_dataclass(cls)]
    return classes


SETTINGS = [f"{cls.__name__}.{field.name}" for cls in settings_classes()
            for field in dataclasses.fields(cls)]


@cache
def attributes_read() -> frozenset[str]:
    """Every attribute name the source reads (``x.name``) outside the settings modules.

    Parsed once per test process: the source does not change while the tests run, and
    every setting's test asks the same question of it."""
    names: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        if path.stem != "settings" and "migrations" not in path.parts:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    return frozenset(names)


def test_the_search_finds_both_settings_classes() -> None:
    assert {cls.__name__ for cls in settings_classes()} >= {"Settings", "ApiSettings"}


@pytest.mark.parametrize("setting", SETTINGS)
def test_setting_is_read(setting: str) -> None:
    """A setting no code reads would let an operator believe a limit holds that does not."""
    assert setting.split(".")[1] in attributes_read(), f"nothing reads {setting}"


@pytest.mark.parametrize("setting", SETTINGS)
def test_setting_is_documented(setting: str) -> None:
    owner, name = setting.split(".")
    text = section("configuration.md", f"`{owner}`")
    assert text, f"docs/configuration.md has no section headed with `{owner}`"
    assert name in quoted(text), f"docs/configuration.md does not document {setting}"
