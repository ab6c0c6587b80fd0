"""What a sync run reports: per collection, and for the whole run.

The counts the command line and the demo print after ``tearline sync``; filled in by
the pull (:mod:`tearline.federation.sync`) and the judging of each page
(:mod:`tearline.federation.admission`), which is why they live apart from both.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class CollectionResult:
    id: str
    title: str
    pages: int = 0
    objects: int = 0
    records_stored: int = 0
    statements_new: int = 0
    already: int = 0
    echoed: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    #: why the skipped objects were skipped (:mod:`tearline.federation.skipped`), counted
    skipped_reasons: Counter[str] = field(default_factory=Counter)


@dataclass
class SyncResult:
    partner: str
    collections: list[CollectionResult] = field(default_factory=list)
    receipts_sent: int = 0
    receipts_pending: int = 0
    #: (recall id, entity id, statements purged) for each recall applied
    purged: list[tuple[str, str, int]] = field(default_factory=list)
    #: what the administrator should know about the run, e.g. why nothing was offered
    notes: list[str] = field(default_factory=list)

    @property
    def records_stored(self) -> int:
        return sum(c.records_stored for c in self.collections)

    @property
    def refused(self) -> list[tuple[str, str]]:
        return [r for c in self.collections for r in c.refused]

    @property
    def skipped_reasons(self) -> Counter[str]:
        return sum((c.skipped_reasons for c in self.collections), Counter())
