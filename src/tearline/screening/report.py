"""What a newly imported list changes for the importer: its new designations, and the
existing records that now hit one of them (``tearline import-ofac --report``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tearline.files import write_private
from tearline.policy.subject import Subject
from tearline.screening.run import hit_row, new_designations, screen, visible
from tearline.store import Store

LISTED = re.compile(r"ofac-(\d+)")


@dataclass
class DesignationReport:
    #: list numbers (OFAC ent_num) new to the importer
    new: list[str] = field(default_factory=list)
    hits: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def designation_report(store: Store, subject: Subject, at: datetime, ids: Sequence[str],
                       out: Path | None = None) -> Iterator[DesignationReport]:
    """Around an import of a list whose entity ids are ``ids``: what the subject saw
    before, then (once the import is done) the report."""
    before = visible(store, subject, at)
    done = DesignationReport()
    yield done
    listed = [m.group(1) for i in ids if (m := LISTED.fullmatch(i))]
    done.new = new_designations(before.designations, listed)
    fresh = set(done.new)
    # Only the parties seen before can hit a new designation: with none (a first import
    # into a new workspace), there is nothing to screen, and the designations just
    # written are not read back. What decides it is what the subject may see.
    if before.parties and fresh:
        after = visible(store, subject, datetime.now(UTC))
        chosen = [d for d in after.designations if d.list_id in fresh]
        done.hits = [hit_row(h) for h in screen(before.parties, chosen)]
    if out is not None:
        write_private(out, json.dumps({"new_designations": done.new, "hits": done.hits},
                                      ensure_ascii=False, indent=2).encode() + b"\n")
