"""The README's shell blocks, by section: what `tests/readme/` runs.

Convention (stated in the README under *Quick start*): a fenced block whose info string
is ``sh`` is run, in file order, by the README test; ``sh no-run`` (any info string
starting with ``sh`` and holding the word ``no-run``) is shown the same on GitHub but not
run — for blocks that build the environment the test itself runs in (``dev.py``).
Other fences (``json``, ``python``, none) are not shell and are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^(`{3,})\s*(\S*)\s*(.*)$")
_HEADING = re.compile(r"^##\s+(.+?)\s*$")


@dataclass(frozen=True, slots=True)
class Block:
    section: str  # the ``##`` heading above it
    line: int  # 1-based line of the opening fence
    text: str
    run: bool  # False: marked ``no-run``


def blocks(markdown: str) -> list[Block]:
    """Every ``sh`` block of ``markdown``, with its section; an unclosed fence is an error."""
    out: list[Block] = []
    section = ""
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        heading = _HEADING.match(lines[i])
        if heading:
            section = heading.group(1)
        fence = _FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        ticks, lang, rest = fence.groups()
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith(ticks):
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise ValueError(f"README line {start + 1}: fence never closed")
        i += 1
        if lang == "sh":
            out.append(Block(section, start + 1, "\n".join(body) + "\n",
                             "no-run" not in rest.split()))
    return out


def section(markdown: str, title: str) -> list[Block]:
    """The runnable blocks of one section (by heading prefix)."""
    return [b for b in blocks(markdown) if b.section.startswith(title) and b.run]
