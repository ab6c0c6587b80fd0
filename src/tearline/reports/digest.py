"""A digest of an assessment's inputs, so that a reader can tell two runs used the same data.

The digest is SHA-256 over a canonical JSON document holding the parameters (except
the generation time), the provenance of every source file, and, per frame, its grain,
its column names and the SHA-256 of its rows in a canonical text form: the rows
sorted on every column (so that the order the store returned them in does not
matter) and written as CSV by Arrow, dictionary-encoded text as plain text. Same data
and parameters → same digest.

Why CSV over Arrow's own serialisation: Arrow's IPC bytes depend on how a table is
chunked and on its dictionaries' order, which vary with how the store returned the
rows; CSV text depends on the values only. Quoting makes it unambiguous: text is
always quoted (quotes doubled inside), a null never is. The whole pass runs in Arrow's
C++ (sort, cast, CSV), batch by batch: the rows are never turned into Python objects,
whose cost grows with every row of a large frame (``docs/benchmarks.md``, "Assessments").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from tearline.analysis.frame import SeizureFrame

#: Rows written as CSV at a time (bounds the text held in memory at once).
BATCH_ROWS = 65_536


def _plain_columns(table: pa.Table) -> pa.Table:
    """Dictionary-encoded columns as their values: the codes depend on the read order."""
    columns = [
        column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column
        for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)


def rows_digest(table: pa.Table) -> str:
    """SHA-256 of the table's rows in canonical order and form (see the module's docstring)."""
    plain = _plain_columns(table)
    if plain.num_rows:
        order = pc.sort_indices(
            plain, sort_keys=[(name, "ascending") for name in plain.column_names]
        )
        plain = plain.take(order)
    digest = hashlib.sha256()
    options = pa_csv.WriteOptions(include_header=False, quoting_style="needed")
    digest.update(json.dumps(plain.column_names).encode("utf-8") + b"\n")
    for batch in plain.to_batches(max_chunksize=BATCH_ROWS):
        sink = pa.BufferOutputStream()
        pa_csv.write_csv(pa.Table.from_batches([batch], plain.schema), sink, options)
        digest.update(sink.getvalue())
    return digest.hexdigest()


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
                "rows": rows_digest(frame.table),
            }
            for name, frame in sorted(frames.items())
        },
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
