"""What ``tearline deconflict`` reads: selectors typed, from a CSV file, from records,
and planned operations; key-share files written by the dealer."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from tearline.deconflict import events, selectors, threshold
from tearline.deconflict.extract import selectors_of
from tearline.errors import Problem, SelectorError, ValidationError, tr
from tearline.files import private_dir, write_private
from tearline.model.marking import parse_timestamp
from tearline.policy.subject import Subject
from tearline.store import Store, deconflict_keys

CSV_COLUMNS = ("kind", "value", "country", "scheme", "birth_date")


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
    out, problems = [], []
    for line, row in enumerate(reader, start=2):
        try:
            out.append(selectors.parse(
                (row.get("kind") or "").strip(), row.get("value") or "",
                country=row.get("country") or None, scheme=row.get("scheme") or None,
                birth_date=row.get("birth_date") or None))
        except SelectorError as exc:
            problems.append(Problem(exc.message, file=str(path), line=line))
    if problems:
        raise SelectorError(tr("{path}: {n} bad selector(s); nothing was sent", path=path,
                               n=len(problems)), problems)
    return out


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
