"""Rows of OFAC's header-less CSV files, checked before anything reads them.

Every OFAC CSV record is one physical line (no field holds a line break), so each
line is parsed on its own: line numbers are exact, and one bad line never throws
the reader off for the next. Every problem is collected, with file, line and
column; the caller raises :class:`~tearline.errors.IngestError` listing them all.

Rules, with their reasons:

- ``-0-`` (OFAC writes it with a trailing space) means empty.
- A field may hold at most :data:`MAX_FIELD_CHARS` characters and a line at most
  :data:`MAX_LINE_CHARS`: OFAC cuts its longest column (Remarks) at 1,000
  characters, so ten times that is generous for real data and keeps a hostile
  file (a 10 MB cell) from reaching the CSV parser or the store.
- **Formula injection.** A cell whose first non-blank character is ``=``, ``+``,
  ``-`` or ``@``, or which starts with a tab or carriage return, is rejected
  (OWASP's list of spreadsheet formula triggers). No real OFAC cell starts so
  (checked on the 2022 and 2024 snapshots); the null marker ``-0-`` is exempt.
  Rejecting rather than neutralizing (prefixing ``'``) keeps stored values equal
  to the published ones.
- Control characters (NUL and the other C0 codes except tab) are rejected: they
  mean a binary or UTF-16 file decoded as text.
- A trailing DOS end-of-file byte (``\\x1a``, present in the 2024 snapshot) and
  blank lines are skipped.
- A file cut in the middle of a row shows up as a row with too few columns or an
  unterminated quote. A file cut exactly at a line boundary cannot be told apart
  from a shorter list: the CSV format carries no row count or trailer.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tearline.errors import IngestError, Problem, tr

MAX_FIELD_CHARS = 10_000
MAX_LINE_CHARS = 120_000  # stays under the csv module's own field limit (131,072)
NULL_MARKER = "-0-"
_FORMULA_START = frozenset("=+-@")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FIELD = re.compile(r'(?:"(?:[^"]|"")*"?|[^,]*)(?:,|$)')


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV record: its 1-based line number and its cells (``-0-`` → ``""``)."""

    line: int
    cells: tuple[str, ...]


def _long_field(line: str, columns: tuple[str, ...]) -> tuple[str | None, int]:
    """The column and length of the longest field of an over-long line."""
    best, size = None, 0
    for index, match in enumerate(_FIELD.finditer(line)):
        length = len(match.group().removesuffix(","))
        if length > size:
            best, size = index, length
        if match.end() >= len(line):
            break
    if best is not None and best < len(columns):
        return columns[best], size
    return None, size


def _cell_problem(value: str) -> str | None:
    if len(value) > MAX_FIELD_CHARS:
        return f"field is {len(value):,} characters, over the limit of {MAX_FIELD_CHARS:,}"
    if _CONTROL.search(value):
        return "field holds control characters (binary data or a wrong encoding?)"
    stripped = value.strip(" ")
    if value[:1] in ("\t", "\r") or (stripped[:1] in _FORMULA_START and stripped != NULL_MARKER):
        return f"cell starts like a spreadsheet formula ({value[:20]!r}); rejected"
    return None


def read_rows(
    lines: Iterable[str], source_name: str, columns: tuple[str, ...]
) -> tuple[list[Row], list[Problem]]:
    """Parse and check every line; return the good rows and every problem."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    rows: list[Row] = []
    problems: list[Problem] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.strip() == "\x1a":
            continue
        if len(line) > MAX_LINE_CHARS:
            column, size = _long_field(line, columns)
            problems.append(
                Problem(
                    tr(
                        "field is {size:,} characters, over the limit of {MAX_FIELD_CHARS:,} "
                        "(line is {line_count:,} characters)",
                        size=size, MAX_FIELD_CHARS=MAX_FIELD_CHARS, line_count=len(line)),
                    source_name,
                    number,
                    column,
                )
            )
            continue
        try:
            cells = next(csv.reader([line], strict=True))
        except csv.Error as exc:
            hint = " (unterminated quote: a truncated row?)" if "end of data" in str(exc) else ""
            problems.append(Problem(tr(
                "unreadable CSV: {exc}{hint}", exc=exc, hint=hint), source_name, number))
            continue
        if len(cells) != len(columns):
            problems.append(
                Problem(
                    tr(
                        "expected {columns_count} columns, found {cells_count} (a truncated or "
                        "malformed row?)", columns_count=len(columns), cells_count=len(cells)),
                    source_name,
                    number,
                )
            )
            continue
        bad = False
        for column, value in zip(columns, cells, strict=True):
            message = _cell_problem(value)
            if message is not None:
                problems.append(Problem(message, source_name, number, column))
                bad = True
        if not bad:
            rows.append(Row(number, tuple(_clean(value) for value in cells)))
    return rows, problems


#: Lines looked at to tell whether a file is of the kind asked for.
KIND_SAMPLE = 50


def require_kind(lines: Sequence[str], source_name: str, kind: str,
                 columns: tuple[str, ...]) -> None:
    """Refuse, with one message, a file that is not OFAC's ``kind`` at all.

    A file of another kind (a CSV with a header, a mapping, alt.csv given as sdn.csv)
    would otherwise be reported line by line — thousands of column errors saying less
    than one sentence. A file is taken for ``kind`` when one of its first lines starts
    with a numeric ``ent_num`` and has the kind's number of columns (or is too long or
    malformed to count them): a real file with bad rows still gets each row's problem.
    """
    sample = [line for line in lines[:KIND_SAMPLE * 2] if line.strip()][:KIND_SAMPLE]
    if any(_looks_like(line, len(columns)) for line in sample):
        return
    first = sample[0].strip() if sample else ""
    seen = f"; its first line reads {first[:60]!r}" if first else "; it is empty"
    raise IngestError(tr(
        "{source_name}: this is not an {kind} file", source_name=source_name, kind=kind), [Problem(
        tr(
            "expected OFAC's {kind}.csv: no header, {columns_count} comma-separated columns "
            "({columns}, …), the first a number{seen}",
            kind=kind.lower(), columns_count=len(columns), columns=', '.join(columns[:3]),
            seen=seen),
        source_name)])


def _looks_like(line: str, width: int) -> bool:
    if not line.split(",", 1)[0].strip().strip('"').isdigit():
        return False
    if len(line) > MAX_LINE_CHARS:
        return True
    try:
        cells = next(csv.reader([line], strict=True))
    except csv.Error:
        return True
    return len(cells) == width


def _clean(value: str) -> str:
    value = value.strip()
    return "" if value == NULL_MARKER else value
