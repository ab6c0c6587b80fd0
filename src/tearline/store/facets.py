"""Facet counts of a search or a listing, over what the subject may see.

The web application's search page shows, beside its results, how many of the matching
records have each schema, drug, country, originating agency and marking. The counts
are taken over the tear-line views of the best :data:`WINDOW` matches (the same
policy-bound selection as the results, with the same filters), so a hidden record,
or a hidden portion holding a drug or a country, counts for nothing: the figures are
those of a world without it. Being figures rather than records, they are logged as
one ``aggregate.read`` entry (path ``web``), like ``stats``; the records on the page
itself are logged as reads by the search that shows them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from tearline.model.record import Record
from tearline.policy.subject import Subject
from tearline.store import audit_events
from tearline.store.filters import NO_FILTERS, Filters, country_properties
from tearline.store.reader import list_ids, read_records
from tearline.store.search import search_ids
from tearline.store.store import Store
from tearline.store.visibility import Visibility

#: How many of the best matches the facets are counted over.
WINDOW = 250
#: The facets, in the order a page lists them.
NAMES = ("schema", "drug", "country", "originator", "marking")


@dataclass(frozen=True, slots=True)
class Facets:
    """Counts per facet value; ``complete`` is false when more than :data:`WINDOW`
    records matched (the counts are then those of the best :data:`WINDOW`)."""

    counts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    matched: int = 0
    complete: bool = True


def _values(record: Record) -> dict[str, set[str]]:
    countries = set(country_properties())
    out: dict[str, set[str]] = {
        "schema": {record.schema},
        "originator": {record.originator},
        "marking": {record.marking.tlp.value},
        "drug": {s.value for s in record.statements if s.prop == "drug"},
        "country": {s.value for s in record.statements if s.prop in countries},
    }
    return out


def count(records: list[Record], complete: bool) -> Facets:
    counters: dict[str, Counter[str]] = {name: Counter() for name in NAMES}
    for record in records:
        for name, values in _values(record).items():
            counters[name].update(values)
    ordered = {name: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
               for name, c in counters.items()}
    return Facets(ordered, len(records), complete)


def facets(store: Store, subject: Subject, at: datetime, text: str | None,
           schema: str | None = None, filtering: Filters = NO_FILTERS) -> Facets:
    """The facet counts of a search for ``text`` (or, without text, of the listing)."""
    vis = Visibility(subject, at)
    with store.reading() as conn:
        if text:
            ids = search_ids(conn, vis, text, schema, None, WINDOW + 1, filtering)
        else:
            ids = list_ids(conn, vis, schema, None, WINDOW + 1, filtering)
        found = read_records(conn, vis, ids[:WINDOW])
    store._log([audit_events.aggregate_event(subject, "web", len(found))]).result()
    return count(found, len(ids) <= WINDOW)
