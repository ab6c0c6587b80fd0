"""The README's "Using it" commands run as written, in order, from the repository's
root in a fresh workspace (the federation part is run by ``tests/readme/``; ``serve``
and the virtualenv's activation are the only words not run)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from cli_ws import EXAMPLES, REPO
from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.common import STATE, console


def using_it_commands() -> list[list[str]]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Using it\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the Using it section has no sh block"
    text = block.group(1).split("\n# federation", 1)[0].replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if not words or words == ["tearline", "serve"]:  # serve runs until stopped
                continue
            if words[0] == "tearline":
                commands.append(words[1:])
            else:
                assert words[0] == "source", f"not a tearline command: {part}"
    return commands


def test_the_using_it_commands_run_as_written(tmp_path: Path, data_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    commands = using_it_commands()
    assert len(commands) >= 20
    # the repository's root as the README assumes it: examples/ in it, shared/ beside it
    root = tmp_path / "tearline"
    root.mkdir()
    (root / "examples").symlink_to(EXAMPLES)
    (tmp_path / "shared").symlink_to(data_dir.parent)
    monkeypatch.chdir(root)
    for name in ("TEARLINE_WORKSPACE", "TEARLINE_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    width, console.width = console.width, 100
    try:
        for words in commands:
            result = CliRunner().invoke(app, words)
            STATE.close()
            assert result.exit_code == 0, f"tearline {shlex.join(words)}: {result.output}"
    finally:
        console.width = width
    assert (root / "visible.jsonl").stat().st_size > 0
    assert (root / "assessment.pdf").read_bytes().startswith(b"%PDF")
