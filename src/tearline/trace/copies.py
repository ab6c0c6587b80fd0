"""A record as it goes into one recipient's copy: its values in the recipient's order.

Public records (TLP:CLEAR) are left as they are and never counted as marked: anyone
may hold a copy of them, so a copy of them says nothing about who leaked it, and
``tearline trace`` names no one from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tearline.model.marking import Tlp
from tearline.model.record import Record
from tearline.trace.fingerprint import Fingerprinter


def is_public(record: Record) -> bool:
    return record.marking.tlp is Tlp.CLEAR


def for_recipient(fp: Fingerprinter, recipient: str, record: Record) -> Record:
    """``record`` with its statements in ``recipient``'s keyed order (ids, values,
    markings and versions unchanged); a public record unchanged."""
    if is_public(record):
        return record
    ordered = fp.order(recipient, record.id, record.statements, key=lambda s: s.id)
    return replace(record, statements=tuple(ordered))


def marked_count(records: Iterable[Record]) -> int:
    """How many of ``records`` a copy marks (the non-public ones)."""
    return sum(1 for r in records if not is_public(r))
