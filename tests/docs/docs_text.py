"""The user documentation as text, for the contract tests of ``tests/docs/``."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "tearline"


def documentation() -> str:
    """``README.md`` and every page of ``docs/``, as one text."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def quoted(text: str) -> set[str]:
    """Everything the text quotes as code (between single backticks)."""
    return set(re.findall(r"`([^`\n]+)`", text))


def section(page: str, naming: str) -> str:
    """The section of ``docs/<page>`` whose heading contains ``naming``, to the next
    heading of the same or a higher level (empty if there is none)."""
    lines = (ROOT / "docs" / page).read_text(encoding="utf-8").splitlines()
    for start, line in enumerate(lines):
        level = len(line) - len(line.lstrip("#"))
        if level and naming in line:
            end = next((i for i in range(start + 1, len(lines))
                        if 0 < len(lines[i]) - len(lines[i].lstrip("#")) <= level),
                       len(lines))
            return "\n".join(lines[start:end])
    return ""
