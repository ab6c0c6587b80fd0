"""Comments and docstrings say what the code does and why: no timings of our own code
and no history, which go stale there (figures belong in ``docs/benchmarks.md``, history
in ``CHANGELOG.md``).

Every comment and docstring of ``src/`` is searched for a duration or share measured
("44 µs", "12%"), a speed-up counted ("five times faster") and a before/after ("used
to make", "as fast as before"). A figure that is not ours to measure — a protocol's
timer, a library's behaviour, a parameter of the synthetic data — is allowed below,
with its reason."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest
from docs_text import SOURCE

STALE = re.compile(
    r"[~\d][\d.,–-]*\s*(µs|ms)\b|\d[\d.,]*\s*%"
    r"|\b(several|many|\d+|two|three|four|five|ten) times (faster|slower|cheaper)\b"
    r"|\bused to (make|be|take|cost|run)\b|\bas (fast|slow|cheap) as before\b|\bas before\b",
    re.IGNORECASE)

#: (file under src/tearline, the matched text) → why the figure stays.
ALLOWED = {
    ("api/server.py", "~40 ms"): "the client's delayed-ACK timer, a TCP fact the code works around",
    ("store/write_queue.py", "100 ms"): "SQLite's busy handler's naps, its documented behaviour",
    ("demo/synthetic.py", "12 %"): "a parameter of the synthetic data (Mexican seizures)",
    ("demo/synthetic.py", "1 %"): "a parameter of the synthetic data (the default sample)",
    ("demo/federation.py", "1 %"): "a parameter of the demo's synthetic data",
}


def prose(path: Path) -> list[tuple[int, str]]:
    """Each comment and docstring of the file, with its line."""
    text = path.read_text(encoding="utf-8")
    found = [(tok.start[0], tok.string) for tok in
             tokenize.generate_tokens(io.StringIO(text).readline)
             if tok.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc is not None:
                found.append((node.body[0].lineno, doc))
    return found


def sources() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_comments_carry_no_measurements_or_history(path: Path) -> None:
    where = str(path.relative_to(SOURCE))
    stale = [f"{where}:{line}: {match.group(0)!r}"
             for line, text in prose(path)
             for match in STALE.finditer(" ".join(text.split()))
             if (where, match.group(0)) not in ALLOWED]
    assert not stale, "a figure or history in a comment; move it to docs/benchmarks.md: " + \
        "; ".join(stale)


def test_the_search_finds_what_it_looks_for() -> None:
    samples = ["took 44 µs mapped", "ran about 12% faster", "five times faster",
               "a read used to make four", "keeps reads as fast as before"]
    assert all(STALE.search(sample) for sample in samples)
