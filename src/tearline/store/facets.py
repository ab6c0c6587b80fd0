"""Facet counts of a search or a listing, over what the subject may see.

The web application's search page shows, beside its results, how many of the matching
records have each schema, drug, country, originating agency and marking. The counts
are taken over the tear-line views of the best :data:`WINDOW` matches (the same
policy-bound selection as the results, with the same filters), so a hidden record,
or a hidden portion holding a drug or a country, counts for nothing: the figures are
those of a world without it. Being figures rather than records, they are logged as
one ``aggregate.read`` entry (path ``web`` or ``api``), like ``stats``; the records on
the page itself are logged as reads by the search that shows them.

A search's page and its facets are read together (:func:`search_faceted`): on the first
page the results are the best of the window itself, so the ranked search runs once for
both.

The counts come from one statement of the columns they need (each record's head and
its shown drug and country statements, under the same policy predicates as a read),
not from the records built and decoded as a read would: a window is hundreds of
records, and building their views cost more than the rest of the page.

The window and its counts are read from one snapshot where the database gives one
cheaply (:func:`one_snapshot`: on SQLite a read transaction): the window's own
statement established that each of its records exists for the subject, so the counts
do not test it again, and the pages both statements touch are read once instead of
again after another connection's commit. Without a snapshot
(PostgreSQL's reads take one per statement) the counts keep the test, so that a record
retracted between the two statements counts for nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, Literal

from anyio import to_thread
from sqlalchemy import Connection, and_, select

from tearline.model.record import Record
from tearline.policy.subject import Subject
from tearline.store import audit_events
from tearline.store.audit_group import Pending
from tearline.store.engine import driver_cursor
from tearline.store.filters import NO_FILTERS, Filters, country_properties
from tearline.store.prepared import prepared
from tearline.store.read_query import _H, _S, _by_ids, _heads, _ids_in, _ids_value
from tearline.store.read_rows import markings_by_id
from tearline.store.reader import list_ids, read_records
from tearline.store.search import Position, search_ids
from tearline.store.store import Store
from tearline.store.visibility import Predicates, Visibility

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


def _facet_rows(vis: Predicates, heads: Any) -> Any:
    """(id, schema, originator, marking id, property, value) of the records that subquery
    ``heads`` selects: one row per shown drug or country statement, or one row with no
    property for a record without any (a record that exists has a shown statement, so
    every record of ``heads`` is counted once whatever its properties).

    The property is tested as an expression (``|| ''``), not as a column: as a column,
    SQLite probed the statements' index once per facet property and record (sixteen
    probes a record) instead of reading the record's few statements once."""
    s = _S
    facet_props = ("drug", *country_properties())
    shown = and_(s.c.entity_id == heads.c.id, (s.c.prop + "").in_(facet_props),
                 vis.shown_portion(s, heads))
    return (select(heads.c.id, heads.c.schema, heads.c.originator, heads.c.marking_id,
                   s.c.prop, s.c.value)
            .select_from(heads.outerjoin(s, shown)))


def _known_heads(dialect: str) -> Any:
    """The heads of the records bound as ``ids``, known to exist for the subject in this
    snapshot: read by id, no policy test."""
    h = _H
    return (select(h.c.id, h.c.schema, h.c.originator, h.c.marking_id)
            .where(_ids_in(dialect, h.c.id)).subquery("heads"))


@contextmanager
def one_snapshot(conn: Connection) -> Iterator[bool]:
    """Whether the reads inside see one snapshot: on SQLite they run in one deferred
    read transaction (its first read fixes the snapshot; ended on leaving), true there;
    PostgreSQL's reads at READ COMMITTED take a snapshot per statement: false."""
    if conn.dialect.name != "sqlite":
        yield False
        return
    with driver_cursor(conn) as cursor:
        cursor.execute("BEGIN")
        try:
            yield True
        finally:
            if cursor.connection.in_transaction:  # not if a failure already ended it
                cursor.execute("COMMIT")  # nothing was written: it only ends the snapshot


def count_rows(conn: Connection, rows: Sequence[Any], complete: bool) -> Facets:
    """The facets of the rows of :func:`_facet_rows`: a record counts once per value
    (two countries' properties naming the same country count it once there); a record
    with no statement shown is not one the subject sees, and has no row."""
    countries = set(country_properties())
    values: dict[str, dict[str, set[str]]] = {name: {} for name in NAMES}
    marking_of: dict[str, str] = {}
    for entity_id, schema, originator, marking_id, prop, value in rows:  # prop may be None
        if entity_id not in marking_of:
            marking_of[entity_id] = marking_id
            values["schema"].setdefault(schema, set()).add(entity_id)
            values["originator"].setdefault(originator, set()).add(entity_id)
        if prop == "drug":
            values["drug"].setdefault(value, set()).add(entity_id)
        elif prop in countries:
            values["country"].setdefault(value, set()).add(entity_id)
    tlp: Counter[str] = Counter()
    markings = markings_by_id(conn, set(marking_of.values()))
    for marking_id in marking_of.values():
        tlp[markings[marking_id].tlp.value] += 1
    counters = {name: Counter({v: len(ids) for v, ids in by_value.items()})
                for name, by_value in values.items()}
    counters["marking"] = tlp
    ordered = {name: sorted(counters[name].items(), key=lambda kv: (-kv[1], kv[0]))
               for name in NAMES}
    return Facets(ordered, len(marking_of), complete)


def count(conn: Connection, vis: Predicates, ids: Sequence[str], complete: bool,
          existing: bool = False) -> Facets:
    """The facets of the records ``ids`` as the subject sees them; ``existing``: every
    one of them is known to exist for the subject in the snapshot this reads (a window
    read in the same :func:`one_snapshot`), so existence is not tested again."""
    if not ids:
        return Facets({name: [] for name in NAMES}, 0, complete)
    dialect = conn.dialect.name
    if existing:
        statement = prepared(conn, (vis.shape, "facets", "known-ids"),
                             lambda d: _facet_rows(vis, _known_heads(d)))
    else:
        statement = prepared(conn, (vis.shape, "facets", "by-ids"), lambda d: _facet_rows(
            vis, _heads(d, lambda heads: _by_ids(vis, d, heads))))
    rows = statement.run(conn, {**vis.params, "ids": _ids_value(dialect, sorted(set(ids)))})
    return count_rows(conn, rows, complete)


def facets_later(store: Store, subject: Subject, at: datetime, text: str | None,
                 schema: str | None = None,
                 filtering: Filters = NO_FILTERS) -> Pending[Facets]:
    """The facet counts of a search for ``text`` (or, without text, of the listing),
    released once their ``aggregate.read`` entry is committed."""
    vis = Visibility(subject, at)
    with store.reading() as conn, one_snapshot(conn) as held:
        if text:
            ids = search_ids(conn, vis, text, schema, None, WINDOW + 1, filtering)
        else:
            ids = list_ids(conn, vis, schema, None, WINDOW + 1, filtering)
        found = count(conn, vis, ids[:WINDOW], len(ids) <= WINDOW, existing=held)
    return Pending(store._log([audit_events.aggregate_event(subject, "web", found.matched)]),
                   found)


def facets(store: Store, subject: Subject, at: datetime, text: str | None,
           schema: str | None = None, filtering: Filters = NO_FILTERS) -> Facets:
    """:func:`facets_later`, waiting for the commit."""
    return facets_later(store, subject, at, text, schema, filtering).result()


async def facets_async(store: Store, subject: Subject, at: datetime, text: str | None,
                       schema: str | None = None, filtering: Filters = NO_FILTERS) -> Facets:
    """:func:`facets` for an event loop: the counting runs in a worker thread and the
    wait for the audit commit holds neither it nor the loop."""
    return await (await to_thread.run_sync(
        partial(facets_later, store, subject, at, text, schema, filtering)))


#: Which surface showed the facets (the ``aggregate.read`` entry's path).
Surface = Literal["web", "api"]


@dataclass(frozen=True, slots=True)
class Faceted:
    """A page of search results and the facets of the whole search."""

    records: list[Record]
    facets: Facets


def search_faceted_later(store: Store, subject: Subject, at: datetime, text: str,
                         schema: str | None = None, after: Position | None = None,
                         limit: int = 100, filtering: Filters = NO_FILTERS,
                         surface: Surface = "web") -> Pending[Faceted]:
    """``Store.search``'s page and the facets of the search, released once their audit
    entries are committed: the search's (the query, one ``record.read`` per record
    shown) and then the facets' ``aggregate.read``, in that order, in one batch.

    The facets are those of the search from its top, whatever the page: they describe
    the search, not the page. On the first page the results are the window's best
    ``limit`` (the same ranking, the same ids: one ranked search instead of two)."""
    vis = Visibility(subject, at)
    with store.reading() as conn, one_snapshot(conn) as held:
        if after is None and limit <= WINDOW:
            window = search_ids(conn, vis, text, schema, None, WINDOW + 1, filtering)
            page = window[:limit]
        else:
            page = search_ids(conn, vis, text, schema, after, limit, filtering)
            window = search_ids(conn, vis, text, schema, None, WINDOW + 1, filtering)
        found = read_records(conn, vis, page)
        counted = count(conn, vis, window[:WINDOW], len(window) <= WINDOW, existing=held)
        query = audit_events.search_event(store._salt(conn), subject, text, len(found))
    events = [query, *audit_events.record_read_events(subject, found, "search"),
              audit_events.aggregate_event(subject, surface, counted.matched)]
    return Pending(store._log(events), Faceted(found, counted))


def search_faceted(store: Store, subject: Subject, at: datetime, text: str,
                   schema: str | None = None, after: Position | None = None,
                   limit: int = 100, filtering: Filters = NO_FILTERS,
                   surface: Surface = "web") -> Faceted:
    """:func:`search_faceted_later`, waiting for the commit."""
    return search_faceted_later(store, subject, at, text, schema, after, limit, filtering,
                                surface).result()


async def search_faceted_async(store: Store, subject: Subject, at: datetime, text: str,
                               schema: str | None = None, after: Position | None = None,
                               limit: int = 100, filtering: Filters = NO_FILTERS,
                               surface: Surface = "web") -> Faceted:
    """:func:`search_faceted` for an event loop (the reads in a worker thread; the wait
    for the audit commit holds neither it nor the loop)."""
    return await (await to_thread.run_sync(partial(
        search_faceted_later, store, subject, at, text, schema, after, limit, filtering,
        surface)))
