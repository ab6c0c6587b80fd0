"""CSV for spreadsheets: cells a spreadsheet would run as a formula are neutralized.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read
by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(…)``,
``=WEBSERVICE(…)``, DDE), and the text in tearline's listings comes from data that
any unit with a write token may have written. Following OWASP's advice on CSV
injection, such a cell is written with a leading apostrophe (``'=1+2``): spreadsheets
show it as text, and a reader of the raw file still sees the value. Every other cell is
written as it is; quoting is the ``csv`` module's. JSON and JSON lines output are data
for programs and are not changed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

#: First characters that make a spreadsheet evaluate a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it literally: ``'`` before a formula start."""
    return "'" + value if value.startswith(FORMULA_START) else value


def write_csv(out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A header line and one line per row, every cell through :func:`safe_cell`."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell("" if v is None else str(v)) for v in row])
