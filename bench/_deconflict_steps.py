"""The deconfliction benchmark's ``--steps``: CPU per selector of the steps beside the
group arithmetic, in process on a scratch SQLite store (see ``bench/deconflict.py``)."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def steps(count: int, first: list[str], second: list[str]) -> dict[str, float]:
    """CPU µs per selector of the steps next to the group arithmetic (see
    ``bench/deconflict.py``); ``first`` and ``second``: two sets of ``count`` phone
    numbers, since normalization is cached by text."""
    from tearline.audit.events import DeconflictQuery
    from tearline.cli import deconflict_input
    from tearline.deconflict import documents as docs
    from tearline.federation import deconflict_entries as logs
    from tearline.federation.deconflict_docs import logged
    from tearline.store import audit_log, deconflict_index
    from tearline.store.store import Store

    at = datetime.now(UTC)
    stamp, actor = docs.stamp(at), "analyst:ana@mx.semar.uie"
    batch = docs.Batch(id=docs.new_id("db"), agency="us.dea", unit="us.dea.sod",
                       contact="SOD duty desk", since=stamp, expires=stamp, node="dea",
                       entries=tuple((docs.new_id("dr"), os.urandom(32).hex(), "phone")
                                     for _ in range(count)))
    out: dict[str, float] = {}

    def cpu(label: str, fn: Any) -> Any:
        start = time.process_time()
        result = fn()
        out[label] = (time.process_time() - start) / count * 1e6
        return result

    cpu("registered_entry_as_event_us",
        lambda: [e.to_canonical() for e in logged(batch, actor, at)])
    entries = logs.Entries()
    cpu("registered_entry_from_template_us", lambda: logs.registered(entries, batch, actor,
                                                                     stamp))
    commitment = "c" * 64
    cpu("query_entry_as_event_us", lambda: [DeconflictQuery(
        at=stamp, actor=actor, selector_kind="phone", selector_commitment=commitment,
        hit_count=1).to_canonical() for _ in range(count)])
    query = logs.query_template(stamp, actor)
    cpu("query_entry_from_template_us",
        lambda: [query.body(("phone", commitment, 1)) for _ in range(count)])
    root = Path(tempfile.mkdtemp(prefix="tearline-bench-steps-"))
    try:
        store = Store.open(f"sqlite:///{root / 'steps.sqlite'}")
        signed = {**batch.to_document(), "signature": "-"}

        def append() -> None:
            with store.transaction() as conn:
                entries.append_to(conn)

        def rows() -> None:
            with store.transaction() as conn:
                deconflict_index.store_documents(conn, [(batch, signed)], "dea", at)

        cpu("entry_appended_us", append)
        cpu("registration_row_stored_us", rows)
        with store.reading() as conn:
            assert audit_log.size(conn) >= count
        store.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    for label, least, numbers in (("parse_one_process_s", count + 1, first),
                                  ("parse_process_per_core_s", 1, second)):
        rows_in = [("phone", p, None, None, None) for p in numbers]
        start = time.perf_counter()
        deconflict_input.normalized(rows_in, least)
        out[label] = time.perf_counter() - start
    return out
