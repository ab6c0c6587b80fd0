"""What ``tearline export`` writes besides FollowTheMoney JSON lines: standard STIX, MISP.

Every format is made of the same pages: what the acting unit may see and its agency
may pass on (``Store.page(..., handed_on_by=...)``, the relay predicates a TAXII
delivery runs, ``store/relay.py``), each read logged with path ``export``. Only the
serialization differs. A file leaves the node for consumers tearline does not know,
so the STIX is the standard kind: portions as objects of their own, never granular
markings (``stix/standard.py``); the MISP feed maps portions likewise (``misp/``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from tearline.errors import InputError, tr
from tearline.files import private_dir, private_text, write_private
from tearline.model.record import Record
from tearline.policy.subject import Subject
from tearline.store import Store

PAGE = 500


class ExportFormat(StrEnum):
    ftm = "ftm"
    stix = "stix"
    misp = "misp"


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


def write_stix(records: list[Record], out: Path) -> int:
    """One standard STIX 2.1 bundle; the number of objects written."""
    from tearline.stix import to_stix

    bundle = to_stix(records, granular=False).bundle
    with private_text(out) as fh:
        json.dump(bundle, fh, ensure_ascii=False, indent=1)
    return len(bundle["objects"])


def write_other(fmt: ExportFormat, store: Store, subject: Subject, at: datetime,
                schema: str | None, out: Path) -> str:
    """Write ``fmt`` to ``out``; what to tell the user."""
    records = [r for page in pages(store, subject, at, schema) for r in page]
    if fmt is ExportFormat.stix:
        n = write_stix(records, out)
        return f"{len(records):,} records exported to {out} ({n:,} STIX objects)"
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
