"""A digest of an assessment's inputs, so that a reader can tell two runs used the same data.

The digest is SHA-256 over a canonical JSON document holding the parameters (except
the generation time), the provenance of every source file, and every row of every
frame the assessment read, rows sorted so that the order the store returned them in
does not matter. Same data and parameters → same digest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from tearline.analysis.frame import SeizureFrame


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)  # exact, and the same on every platform
    return value


def frame_rows(frame: SeizureFrame) -> list[list[object]]:
    names = frame.table.column_names
    rows = [[_plain(row[name]) for name in names] for row in frame.table.to_pylist()]
    rows.sort(key=lambda r: json.dumps(r, default=str))
    return rows


def inputs_digest(
    params: Mapping[str, object],
    sources: Sequence[Mapping[str, object]],
    frames: Mapping[str, SeizureFrame | None],
) -> str:
    document = {
        "params": params,
        "sources": sorted(sources, key=lambda s: json.dumps(s, sort_keys=True)),
        "frames": {
            name: None
            if frame is None
            else {
                "grain": frame.grain,
                "columns": frame.table.column_names,
                "rows": frame_rows(frame),
            }
            for name, frame in sorted(frames.items())
        },
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
