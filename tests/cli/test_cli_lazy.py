"""The root's table of commands (``cli/lazy.py``) agrees with what the areas register, and
``tearline --help`` lists every command without importing the store."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main

import tearline.cli
from tearline import i18n
from tearline.cli import app
from tearline.cli.lazy import COMMANDS, LazyCommands

#: What only a command that opens the store or reads entities needs.
HEAVY = ("sqlalchemy", "alembic", "followthemoney", "tearline.store")


def _every_area() -> Any:
    """The root group with every area of ``tearline.cli`` imported and built."""
    for info in pkgutil.iter_modules(tearline.cli.__path__):
        importlib.import_module(f"tearline.cli.{info.name}")
    group = typer.main.get_group(app)
    assert isinstance(group.commands, LazyCommands)
    return group


def _modules(command: Any) -> Iterator[str]:
    """The ``tearline.cli`` modules defining the leaf commands under ``command``."""
    if hasattr(command, "commands"):
        for sub in command.commands.values():
            yield from _modules(sub)
    else:
        yield inspect.unwrap(command.callback).__module__.removeprefix("tearline.cli.")


def _first_paragraph(text: str) -> str:
    return inspect.cleandoc(text).split("\n\n")[0]


def test_the_table_names_every_registered_command_its_modules_and_help_line() -> None:
    built = _every_area().commands.loaded
    assert set(built) == set(COMMANDS), (
        f"add to cli/lazy.py's COMMANDS: {sorted(set(built) - set(COMMANDS))}; "
        f"no longer registered: {sorted(set(COMMANDS) - set(built))}")
    for name, (modules, line) in COMMANDS.items():
        assert set(_modules(built[name])) == set(modules), name
        assert _first_paragraph(built[name].help) == line, name


def test_a_help_line_reads_in_spanish_as_its_command_does() -> None:
    built = _every_area().commands.loaded  # already said in English
    say = i18n.translations("es_MX").gettext
    for name, (_, line) in COMMANDS.items():
        assert say(line) != line or say(built[name].help) == built[name].help, name
        assert say(line) == _first_paragraph(say(built[name].help)), name


def test_a_lookup_builds_the_command_and_a_listing_builds_none() -> None:
    group = _every_area()
    fresh = LazyCommands({}, lambda: group)
    assert list(fresh) == list(COMMANDS) and len(fresh) == len(COMMANDS) and not fresh.loaded
    assert fresh["resolve"] is group.commands.loaded["resolve"]
    assert "judge" in fresh["resolve"].commands  # registered by resolve_store.py
    assert dict(fresh.items()).keys() == COMMANDS.keys()
    with pytest.raises(KeyError):
        fresh["no-such-command"]


def test_help_and_completion_list_every_command_without_importing_the_store() -> None:
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from tearline.cli import app\n"
        "out = CliRunner().invoke(app, ['--help'], env={'COLUMNS': '200'}).stdout\n"
        "group = __import__('typer.main').main.get_group(app)\n"
        "ctx = group.make_context('tearline', ['de'], resilient_parsing=True)\n"
        "said = {item.value: item.help for item in group.shell_complete(ctx, 'de')}\n"
        f"print(repr((out, said, [m for m in {HEAVY!r} if m in sys.modules])))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={**os.environ, "TEARLINE_LANG": "en_US"})
    out, said, heavy = ast.literal_eval(done.stdout)
    assert heavy == []
    for name, (_, line) in COMMANDS.items():
        assert f" {name} " in out and line.split()[0] in out, name
    assert said.keys() == {name for name in COMMANDS if name.startswith("de")}
    for name, short in said.items():  # Click shortens a help line to fit a completion menu
        assert short and COMMANDS[name][1].startswith(short.removesuffix("...")), name
