"""What a leaked file holds that can say whose copy it is: its text, and the order of
the values of each record in it.

Formats are recognized by their content, not their name (a leak is often renamed):
JSON (one document, or JSON lines: exports, TAXII envelopes and bundles, re-ordered or
re-indented), CSV (the statement export, columns in any order), HTML, and plain text
(a report's text copied out, or a PDF's text, which the edge extracts first). Whatever
the format, the text is searched for copy marks and hyphen choices; each record whose
values are listed with their statement ids gives its order of them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tearline.errors import InputError, tr

#: Statement ids as the node mints them (``model/statement.py``).
STATEMENT_ID = re.compile(r"st-[0-9a-f]{40}")
_TAG = re.compile(r"(<style\b.*?</style>|<script\b.*?</script>|<[^>]*>)", re.S | re.I)
#: The largest file read: a leak is a copy of a product, not a database.
MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Leak:
    text: str
    #: (record id, statement ids in the order the file lists them), per record found.
    orders: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())


def read_leak(data: bytes) -> Leak:
    """The text and record orders of a leaked file; :class:`InputError` if it is not
    text (a PDF must be turned into text first: ``tearline trace`` does)."""
    if len(data) > MAX_BYTES:
        raise InputError(tr(
            "the file is larger than {value} MiB", value=MAX_BYTES // (1024 * 1024)))
    if data.startswith(b"%PDF"):
        raise InputError(tr("a PDF: extract its text first (tearline trace does, with pdftotext)"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(tr("the file is not UTF-8 text, JSON, CSV, HTML or PDF")) from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        docs = list(_json_documents(text))
        if docs:
            return Leak(_visible_text(text), tuple(o for d in docs for o in _orders(d)))
    if stripped[:15].lower().startswith(("<!doctype", "<html")):
        return Leak(_visible_text(text))
    return Leak(text, tuple(_csv_orders(text)))


def _visible_text(text: str) -> str:
    """Text outside tags, style sheets and scripts (the same text a reader copies)."""
    return "".join(p for i, p in enumerate(_TAG.split(text)) if i % 2 == 0)


def _json_documents(text: str) -> Iterator[Any]:
    try:
        yield json.loads(text)
        return
    except ValueError:
        pass
    for line in text.splitlines():
        line = line.strip()
        if line:
            try:
                yield json.loads(line)
            except ValueError:
                continue


def _orders(doc: Any) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every dict with a ``statements`` list of statement objects, at any depth: an
    exported line (``id``) or a TAXII object's record extension (``entity_id``)."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            items = node.get("statements")
            rid = node.get("entity_id") or node.get("id")
            if isinstance(items, list) and isinstance(rid, str):
                ids = tuple(i["id"] for i in items if isinstance(i, dict)
                            and isinstance(i.get("id"), str) and STATEMENT_ID.fullmatch(i["id"]))
                if ids:
                    yield rid, ids
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _csv_orders(text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The statement ids of each record, in row order, from a CSV with ``record_id``
    and ``statement_id`` columns (anywhere in the header)."""
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return
    if not rows:
        return
    header = [h.strip().lower() for h in rows[0]]
    if "record_id" not in header or "statement_id" not in header:
        return
    r, s = header.index("record_id"), header.index("statement_id")
    grouped: dict[str, list[str]] = {}
    for row in rows[1:]:
        if len(row) > max(r, s) and STATEMENT_ID.fullmatch(row[s].strip()):
            grouped.setdefault(row[r].strip(), []).append(row[s].strip())
    for rid, ids in grouped.items():
        yield rid, tuple(ids)
