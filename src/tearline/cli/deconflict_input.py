"""What ``tearline deconflict`` reads: selectors typed, from a CSV file, from records,
and planned operations; key-share files written by the dealer."""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from tearline.deconflict import events, parallel, selectors, threshold
from tearline.deconflict.extract import selectors_of
from tearline.errors import Problem, SelectorError, ValidationError, tr
from tearline.files import private_dir, write_private
from tearline.model.marking import parse_timestamp
from tearline.policy.subject import Subject
from tearline.store import Store, deconflict_keys

CSV_COLUMNS = ("kind", "value", "country", "scheme", "birth_date")
#: A file of at least this many rows is normalized by a process per core: phone
#: numbers are parsed in Python (phonenumbers: docs/benchmarks.md), and before the group
#: arithmetic starts nothing else runs, so one core would otherwise sit idle.
PARALLEL_ROWS = 4_000
#: A CSV row's kind, value, country, scheme and date of birth.
Row = tuple[str, str, str | None, str | None, str | None]


def typed(kind: str | None, values: list[str], country: str | None, scheme: str | None,
          birth_date: str | None) -> list[selectors.Selector]:
    if values and kind is None:
        raise SelectorError(tr("say which kind of selector: --kind ({kinds})",
                               kinds=", ".join(selectors.KINDS)))
    return [selectors.parse(str(kind), v, country=country, scheme=scheme,
                            birth_date=birth_date) for v in values]


def from_csv(path: Path) -> list[selectors.Selector]:
    """Rows of kind,value[,country,scheme,birth_date]; every bad row located, none kept."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(tr("{path}: cannot read it ({why})", path=path, why=exc)) from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"kind", "value"} <= set(reader.fieldnames):
        raise ValidationError(tr("{path}: a CSV with the columns {columns}", path=path,
                                 columns=", ".join(CSV_COLUMNS)))
    rows: list[Row] = [((row.get("kind") or "").strip(), row.get("value") or "",
                        row.get("country") or None, row.get("scheme") or None,
                        row.get("birth_date") or None) for row in reader]
    out, problems = [], []
    for line, parsed in enumerate(normalized(rows), start=2):
        if isinstance(parsed, str):
            problems.append(Problem(parsed, file=str(path), line=line))
        else:
            out.append(selectors.Selector(*parsed))
    if problems:
        raise SelectorError(tr("{path}: {n} bad selector(s); nothing was sent", path=path,
                               n=len(problems)), problems)
    return out


def _normalize(rows: Sequence[Row]) -> list[tuple[str, str] | str]:
    """Each row's selector as (kind, value), or why it is refused."""
    out: list[tuple[str, str] | str] = []
    for kind, value, country, scheme, born in rows:
        try:
            chosen = selectors.parse(kind, value, country=country, scheme=scheme,
                                     birth_date=born)
        except SelectorError as exc:
            out.append(exc.message)
        else:
            out.append((chosen.kind, chosen.value))
    return out


def normalized(rows: Sequence[Row], least: int = PARALLEL_ROWS) -> list[tuple[str, str] | str]:
    """:func:`_normalize` of the rows, in order; by a process per core when there are
    at least ``least`` rows. The processes are forked, so they start with the
    normalization tables loaded and cost a few milliseconds; what returns is a pair
    of strings or a message per row."""
    count = parallel.workers()
    if (len(rows) < least or count <= 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return _normalize(rows)
    size = -(-len(rows) // count)
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
        return [r for part in pool.map(_normalize, [rows[i:i + size]
                                                    for i in range(0, len(rows), size)])
                for r in part]


def from_records(store: Store, subject: Subject, at: datetime, ids: list[str]
                 ) -> list[selectors.Selector]:
    """The selectors of records the subject may read (each read is logged)."""
    out: list[selectors.Selector] = []
    for record_id in ids:
        found, _ = selectors_of(store.read(subject, at, record_id, path="cli"))
        out.extend(found)
    return out


def operation(lat: float | None, lon: float | None, start: str | None, end: str | None
              ) -> events.PlannedOperation | None:
    given = [v is not None for v in (lat, lon, start, end)]
    if not any(given):
        return None
    if not all(given):
        raise SelectorError(tr("an operation needs --lat, --lon, --start and --end"))
    assert lat is not None and lon is not None and start is not None and end is not None
    return events.PlannedOperation(lat, lon, parse_timestamp(start), parse_timestamp(end))


def deal(threshold_t: int, count: int, out: Path) -> tuple[str, list[Path]]:
    """A fresh key split t of n into share files (0600), the key forgotten."""
    key_id, shares = deconflict_keys.deal(threshold_t, count)
    private_dir(out)
    paths = []
    for share in shares:
        path = out / f"deconflict-share-{key_id[:8]}-{share.index}.json"
        doc = {"type": "tearline-deconfliction-key-share", "key_id": key_id,
               "index": share.index, "threshold": share.threshold, "count": share.count,
               "share": share.scalar.hex()}
        write_private(path, (json.dumps(doc, indent=2) + "\n").encode(), exclusive=True)
        paths.append(path)
    return key_id, paths


def read_share(path: Path) -> tuple[str, threshold.KeyShare]:
    try:
        doc: Any = json.loads(path.read_text("utf-8"))
        if doc.get("type") != "tearline-deconfliction-key-share":
            raise ValueError("not a key-share file")
        return str(doc["key_id"]), threshold.KeyShare(
            index=int(doc["index"]), scalar=bytes.fromhex(doc["share"]),
            threshold=int(doc["threshold"]), count=int(doc["count"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValidationError(tr("{path}: not a key-share file ({why})", path=path, why=exc)
                              ) from None
