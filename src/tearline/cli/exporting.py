"""What ``tearline export`` writes besides FollowTheMoney JSON lines: standard STIX, MISP.

Every format is made of the same pages: what the acting unit may see and its agency
may pass on (``Store.page(..., handed_on_by=...)``, the relay predicates a TAXII
delivery runs, ``store/relay.py``), each read logged with path ``export``. Only the
serialization differs. A file leaves the node for consumers tearline does not know,
so the STIX is the standard kind: portions as objects of their own, never granular
markings (``stix/standard.py``); the MISP feed maps portions likewise (``misp/``).

Every copy carries the acting subject's fingerprint (``docs/trace.md``): each
non-public record's values in the subject's keyed order and its copy mark (a ``copy``
key, a ``copy`` column, ``copy`` in a STIX object's record extension), logged as
``trace.copy``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TextIO, cast

from tearline.audit.events import utc_timestamp
from tearline.errors import InputError, tr
from tearline.files import private_dir, private_text, write_private
from tearline.model.record import Record
from tearline.policy.subject import Subject
from tearline.reports.spreadsheet import write_csv
from tearline.store import Store, trace_store
from tearline.trace.copies import for_recipient, is_public, marked_count
from tearline.trace.fingerprint import Channel, Fingerprinter

PAGE = 500


class ExportFormat(StrEnum):
    ftm = "ftm"
    csv = "csv"
    stix = "stix"
    misp = "misp"


#: The columns of the CSV export: one row per value, with its provenance.
CSV_COLUMNS = ("record_id", "schema", "prop", "value", "origin", "author", "grade",
               "first_seen", "last_seen", "marking", "statement_id", "copy")


class Copy:
    """One copy for one recipient: its fingerprinter, recipient and copy mark."""

    def __init__(self, store: Store, subject: Subject, channel: Channel) -> None:
        with store.reading() as conn:
            self.fp: Fingerprinter = trace_store.fingerprinter(conn)
        self.store, self.channel, self.recipient = store, channel, str(subject)
        self.mark = self.fp.mark(self.recipient, channel)

    def record(self, rec: Record) -> Record:
        return for_recipient(self.fp, self.recipient, rec)

    def mark_of(self, rec: Record) -> str | None:
        return None if is_public(rec) else self.mark

    def log(self, marked: int) -> None:
        """Index the mark and log the copy (nothing when every record was public)."""
        if marked:
            with self.store.transaction() as conn:
                trace_store.record_copy(conn, self.recipient, self.channel, self.mark,
                                        marked, self.recipient, datetime.now(UTC))


def pages(store: Store, subject: Subject, at: datetime, schema: str | None
          ) -> Iterator[list[Record]]:
    """The export's pages, in id order."""
    after = None
    while True:
        page = store.page(subject, at, schema, after, PAGE, path="export",
                          handed_on_by=subject.agency)
        yield page
        if len(page) < PAGE:
            return
        after = page[-1].id


def write_stix(records: list[Record], out: Path, copy: Copy | None = None) -> int:
    """One standard STIX 2.1 bundle; the number of objects written."""
    from tearline.stix import to_stix
    from tearline.stix.export import object_id
    from tearline.stix.extensions import RECORD_EXTENSION_ID

    if copy is not None:
        records = [copy.record(r) for r in records]
    bundle = to_stix(records, granular=False).bundle
    if copy is not None:
        marks = {object_id(r.id, r.schema): copy.mark_of(r) for r in records}
        for obj in bundle["objects"]:
            payload = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
            if marks.get(obj["id"]) and isinstance(payload, dict) and "statements" in payload:
                payload["copy"] = marks[obj["id"]]
    with private_text(out) as fh:
        json.dump(bundle, fh, ensure_ascii=False, indent=1)
    return len(bundle["objects"])


def write_other(fmt: ExportFormat, store: Store, subject: Subject, at: datetime,
                schema: str | None, out: Path) -> str:
    """Write ``fmt`` to ``out``; what to tell the user."""
    records = [r for page in pages(store, subject, at, schema) for r in page]
    if fmt is ExportFormat.stix:
        copy = Copy(store, subject, "stix")
        n = write_stix(records, out, copy)
        copy.log(marked_count(records))
        return f"{len(records):,} records exported to {out} ({n:,} STIX objects)"
    if fmt is ExportFormat.csv:
        copy = Copy(store, subject, "csv")
        with private_text(out) as fh:
            rows = (row for r in records for row in csv_rows(copy, r))
            write_csv(cast(TextIO, fh), CSV_COLUMNS, rows)
        copy.log(marked_count(records))
        return f"{len(records):,} records exported to {out} (CSV, one row per value)"
    n = write_misp(records, out)
    return f"{len(records):,} records exported to the MISP feed {out} ({n:,} events)"


def write_misp(records: list[Record], out: Path) -> int:
    """A MISP feed in folder ``out`` (created private); the number of events written."""
    from tearline.misp.export import to_events
    from tearline.misp.feed import feed_files

    events = to_events(records).events
    files = feed_files(events)
    stale = _previous_feed(out) - set(files)
    private_dir(out)
    for name, text in files.items():
        write_private(out / name, text.encode("utf-8"))
    for name in stale:  # a record no longer exported: its event leaves the feed
        (out / name).unlink(missing_ok=True)
    return len(events)


def _previous_feed(out: Path) -> set[str]:
    """The event files of the feed ``out`` already holds; :class:`InputError` if ``out``
    holds anything else (a feed is written into an empty folder or over a feed)."""
    if not out.exists():
        return set()
    if not out.is_dir():
        raise InputError(tr("{out}: a MISP feed is a folder", out=out))
    manifest = out / "manifest.json"
    if not manifest.is_file():
        if any(out.iterdir()):
            raise InputError(tr("{out}: not empty and not a MISP feed; choose another folder",
                                out=out))
        return set()
    try:
        known = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(tr("{manifest}: not a readable MISP manifest ({why})",
                            manifest=manifest, why=exc)) from None
    return {f"{name}.json" for name in known} if isinstance(known, dict) else set()


def csv_rows(copy: Copy, rec: Record) -> Iterator[list[str]]:
    """The rows of one record in the CSV export, in the recipient's order."""
    shown, mark = copy.record(rec), copy.mark_of(rec) or ""
    for st in shown.statements:
        marking = st.marking if st.marking is not None else rec.marking
        yield [rec.id, rec.schema, st.prop, st.value, st.origin, st.author,
               f"{st.reliability.value}{st.credibility.value}", utc_timestamp(st.first_seen),
               utc_timestamp(st.last_seen), str(marking), st.id, mark]
