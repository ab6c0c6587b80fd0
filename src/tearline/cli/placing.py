"""Writing a party's file where its ids belong, and telling the person where that is.

``tearline ingest`` and ``tearline import-ofac`` place a file's ids for the acting unit
(:mod:`tearline.model.namespace`): a new record is stored as ``<unit>..<id in the
file>``, an id that names a record existing for the unit adds statements to it. The
ids are printed (the first few; ``--ids FILE`` writes each) so that the person who
ingested a file can find its records.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from tearline.cli.common import console
from tearline.cli.language import _
from tearline.errors import IngestError, Problem, tr
from tearline.files import private_text
from tearline.model.namespace import Placement
from tearline.model.record import Record
from tearline.model.statement import StatementKeyer
from tearline.policy.subject import Subject
from tearline.store import Store, WriteSummary

#: Ids printed after a write; the rest are counted (``--ids FILE`` writes them all).
SHOWN = 10


class Source(Protocol):
    """A parsed file whose records are built once the placement is known."""

    def ids(self) -> set[str]: ...

    def entity_ids(self) -> list[str]: ...

    def records(
        self, keyer: StatementKeyer, placement: Placement | None = None,
        subject: Subject | None = None,
    ) -> list[Record]: ...


def write_all(store: Store, records: Sequence[Record], label: str,
              by: str | None = None) -> WriteSummary:
    """Write ``records`` as they are and print the summary; ``by`` names the writer in
    the audit log (``str(subject)``; none for the node's own loads)."""
    summary = store.write(records, by=by)
    console.print(_(
        "{label}: {new:,} new records, {changed:,} changed, {statements:,} new statements "
        "({seen:,} read)").format(label=label, new=summary.records_new,
                                 changed=summary.records_changed,
                                 statements=summary.statements_new,
                                 seen=summary.statements_seen))
    return summary


def write_placed(store: Store, subject: Subject, at: datetime, source: Source, label: str,
                 ids: Path | None = None, shown: int = SHOWN) -> WriteSummary:
    """Store a party's file where its ids belong for ``subject``, and say where.

    ``at`` is the instant its statements are made (the placement asks what exists for
    the subject then)."""
    placement = store.placement(subject, at, source.ids())
    records = source.records(store.keyer, placement, subject)
    problems = remarked(store, subject, at, placement, records, label)
    if problems:
        raise IngestError(tr(
            "{label} rejected; nothing was stored: ingest does not change the marking of "
            "values already stored — change it with `tearline mark ID [--property P] "
            "--tlp …` (the originating agency's units; every change is kept and audited), "
            "or ingest with the marking they have", label=label), problems)
    summary = write_all(store, records, label, str(subject))
    report_ids(placement, source.entity_ids(), ids, shown)
    return summary


def remarked(store: Store, subject: Subject, at: datetime, placement: Placement,
             records: Sequence[Record], label: str) -> list[Problem]:
    """The values of ``records`` already stored under another marking than the file gives
    them.

    A value's statement id does not depend on its marking, so writing it again would
    keep the stored marking and report nothing changed: a re-marking lost without a
    word. Only records the file amends can hold such values, and only values given a
    marking of their own (the originator's units, giving the record's own marking, give
    none), so only those are read, through the policy, as the writer sees them."""
    amended = [r for r in records if r.id in placement.existing
               and any(s.marking is not None for s in r.statements)]
    if not amended:
        return []
    stored = {r.id: r for r in store.read_many(subject, at, [r.id for r in amended],
                                               path="cli")}
    problems = []
    for rec in amended:
        old = stored.get(rec.id)
        if old is None:
            continue
        held = {s.id: s for s in old.statements}
        for st in rec.statements:
            was = held.get(st.id)
            if was is not None and was.marking != st.marking:
                problems.append(Problem(
                    tr(
                        "{id}: {prop} {value!r} is stored marked {value2}; the file marks it "
                        "{marking}",
                        id=rec.id, prop=st.prop, value=st.value, value2=was.marking or old.marking,
                        marking=st.marking),
                    label))
    return problems


def id_rows(placement: Placement, file_ids: Sequence[str]) -> list[dict[str, str]]:
    return [{"file_id": i, "id": placement.id_for(i),
             "record": "new" if placement.target(i) is None else "existing"}
            for i in file_ids]


def report_ids(placement: Placement, file_ids: Sequence[str], out: Path | None,
               shown: int = SHOWN) -> None:
    rows = id_rows(placement, file_ids)
    if out is not None:
        with private_text(out) as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    if not rows:
        return
    console.print(_("ids (in the file → stored):"), highlight=False)
    for row in rows[:shown]:
        console.print(f"  {row['file_id']} → {row['id']} ({row['record']})", markup=False,
                      highlight=False, soft_wrap=True)
    rest = len(rows) - shown
    if rest > 0:
        where = (_("all in {out}").format(out=out) if out is not None
                 else _("--ids FILE lists them all"))
        console.print(_("  … and {n:,} more ({where})").format(n=rest, where=where),
                      markup=False, highlight=False)
