"""The store facade: one object per database, handing out transactions and subjects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from pathlib import Path

from anyio import to_thread
from sqlalchemy import Connection, Engine, func, select, text

from tearline.analysis.frame import SeizureFrame, seizure_frame
from tearline.audit.envelope import Event
from tearline.errors import NotFound, ValidationError, tr
from tearline.model.namespace import Placement
from tearline.model.record import Record
from tearline.model.statement import StatementKeyer
from tearline.network.graph import Facts
from tearline.policy.subject import Subject
from tearline.store import (
    audit_events,
    audit_log,
    parties,
    placement,
    reader,
    search,
    statement_key,
)
from tearline.store import tables as t
from tearline.store.audit_group import GroupAppender, Pending
from tearline.store.engine import make_engine, require_current, translated, upgrade
from tearline.store.filters import NO_FILTERS, Filters
from tearline.store.kept import KeptConnection
from tearline.store.network import read_network
from tearline.store.relay import Relay
from tearline.store.search import Position
from tearline.store.seizures import read_seizure_table
from tearline.store.visibility import Visibility
from tearline.store.write_queue import WriteQueue
from tearline.store.writer import WriteSummary, write_records


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._group = GroupAppender(self._append)  # its writer thread starts on first use
        self._salt_value: bytes | None = None
        self._keyer: StatementKeyer | None = None
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        self._writers = WriteQueue(Path(database) if database and database != ":memory:"
                                   else None)
        self._kept = KeptConnection(engine) if engine.dialect.name == "sqlite" else None

    @classmethod
    def open(cls, url: str, migrate: bool = True) -> Store:
        store = cls(make_engine(url))
        if migrate:
            upgrade(store.engine)
        return store

    @property
    def dialect(self) -> str:
        return str(self.engine.dialect.name)

    @property
    def reads_on_loop(self) -> bool:
        """Whether a short read is cheaper where an async caller already is than in a worker
        thread: on SQLite (a local file) it is; PostgreSQL's network round trip goes to a
        thread, so that the event loop never waits on it."""
        return self.dialect == "sqlite"

    def check_ready(self) -> None:
        """The database answers and its schema is current (:class:`StoreError` if not)."""
        with self.reading() as conn:
            conn.execute(text("SELECT 1"))
        with translated():
            require_current(self.engine)

    def close(self) -> None:
        self._group.close()  # what is queued is written first
        self._group = GroupAppender(self._append)  # a closed store opens again on use
        if self._kept is not None:
            self._kept.close()
        self.engine.dispose()
        self._writers.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic unit of work: committed whole on success, rolled back on any error."""
        with translated(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads: the kept one when it is free (SQLite), else a pooled one."""
        lent = self._kept.lend() if self._kept is not None else None
        with translated(), (self.engine.connect() if lent is None else lent) as conn:
            yield conn

    # -- writes ------------------------------------------------------------------------

    @property
    def keyer(self) -> StatementKeyer:
        """The node's statement keyer: records meant for this store are built with it
        (``build_record(..., keyer=store.keyer)``), so that their ids are this node's."""
        if self._keyer is None:
            with self.reading() as conn:
                self._keyer = statement_key.keyer(conn)
        return self._keyer

    def write(self, records: Sequence[Record], by: str | None = None) -> WriteSummary:
        """Store records; their entries name ``by`` (an audit subject, e.g. ``str(subject)``)
        as the writer, or each record's authoring unit when no one is named."""
        with self.transaction() as conn:
            summary = write_records(conn, records)
            audit_events.writes(conn, records, summary.changes, summary.records_new, by)
            return summary

    def placement(self, subject: Subject, at: datetime, ids: Iterable[str],
                  path: audit_events.ReadPath = "cli") -> Placement:
        """Where ``subject``'s file ids go (``store/placement.py``): decided only from its
        own records and the records that exist for it at ``at``.

        The writer learns which of its ids name existing records, no statement: each
        that exists for it is logged as a read, with no statements, of the version it
        would see (a version counts only changes the reader can see).
        """
        with self.reading() as conn:
            found = placement.placement(conn, subject, at, ids)
            seen = reader.read_records(conn, Visibility(subject, at), sorted(found.existing))
        versions = ((r.id, r.version, ()) for r in seen)
        self._log(audit_events.read_events(subject, versions, path)).result()
        return found

    # -- subjects ----------------------------------------------------------------------

    def subject(self, name: str) -> Subject:
        """Resolve a unit id or an analyst id (``name@unit``) to a policy subject."""
        with self.reading() as conn:
            return subject_for(conn, name)

    # -- policy-filtered reads: every one leaves an audit entry -------------------------
    #
    # A read runs on a reading connection; its entries are then committed with those of
    # concurrent reads (store/audit_group.py) before the read returns. No data leaves
    # the store without its entry committed, and concurrent readers share a disk sync.
    # The ``*_later`` forms return a Pending answer, to be awaited on an event loop.

    def read(self, subject: Subject, at: datetime, entity_id: str, path: str = "show") -> Record:
        """The tear-line view of one record; :class:`NotFound` if it does not exist for them."""
        return self.read_later(subject, at, entity_id, path).result()

    def read_later(self, subject: Subject, at: datetime, entity_id: str,
                   path: str = "show") -> Pending[Record]:
        with self.reading() as conn:
            found = reader.read_records(conn, Visibility(subject, at), [entity_id])
        committed = self._log(audit_events.record_read_events(subject, found, path))
        if not found:
            return Pending(committed, None, NotFound(tr("no record {id!r}", id=entity_id)))
        return Pending(committed, found[0])

    async def read_async(self, subject: Subject, at: datetime, entity_id: str,
                         path: str = "show") -> Record:
        """:meth:`read` for an event loop: one record's query runs on the loop when that is
        cheaper (:attr:`reads_on_loop`), else in a worker thread; the wait for the audit
        commit holds no thread."""
        args = (subject, at, entity_id, path)
        pending = (self.read_later(*args) if self.reads_on_loop
                   else await to_thread.run_sync(self.read_later, *args))
        return await pending

    def read_many(self, subject: Subject, at: datetime, ids: Sequence[str],
                  path: str = "export") -> list[Record]:
        with self.reading() as conn:
            found = reader.read_records(conn, Visibility(subject, at), ids)
        self._log(audit_events.record_read_events(subject, found, path)).result()
        return found

    def page(self, subject: Subject, at: datetime, schema: str | None = None,
             after: str | None = None, limit: int = 100, path: str = "list",
             handed_on_by: str | None = None, filtering: Filters = NO_FILTERS) -> list[Record]:
        """A page of tear-line views; ``handed_on_by``: only what that agency may pass on
        (an export to a file, ``store/relay.py``); ``filtering``: ``store/filters.py``."""
        return self.page_later(subject, at, schema, after, limit, path, handed_on_by,
                               filtering).result()

    def page_later(self, subject: Subject, at: datetime, schema: str | None = None,
                   after: str | None = None, limit: int = 100, path: str = "list",
                   handed_on_by: str | None = None,
                   filtering: Filters = NO_FILTERS) -> Pending[list[Record]]:
        vis = (Visibility(subject, at) if handed_on_by is None
               else Relay(subject, at, handed_on_by))
        with self.reading() as conn:
            found = reader.page_records(conn, vis, schema, after, limit, filtering)
        return Pending(self._log(audit_events.record_read_events(subject, found, path)), found)

    async def page_async(self, subject: Subject, at: datetime, schema: str | None = None,
                         after: str | None = None, limit: int = 100, path: str = "list",
                         filtering: Filters = NO_FILTERS) -> list[Record]:
        """:meth:`page` for an event loop: a page's queries run in a worker thread."""
        return await (await to_thread.run_sync(
            partial(self.page_later, subject, at, schema, after, limit, path, None,
                    filtering)))

    def search(self, subject: Subject, at: datetime, text: str, schema: str | None = None,
               after: Position | None = None, limit: int = 100,
               filtering: Filters = NO_FILTERS) -> list[Record]:
        """Records matching every word of ``text``, best first (``store/ranking.py``);
        ``after``: the rank and id of the previous page's last record."""
        return self.search_later(subject, at, text, schema, after, limit, filtering).result()

    def search_later(self, subject: Subject, at: datetime, text: str,
                     schema: str | None = None, after: Position | None = None,
                     limit: int = 100,
                     filtering: Filters = NO_FILTERS) -> Pending[list[Record]]:
        with self.reading() as conn:
            found = search.search_records(conn, Visibility(subject, at), text, schema, after,
                                          limit, filtering)
            query = audit_events.search_event(self._salt(conn), subject, text, len(found))
        events = [query, *audit_events.record_read_events(subject, found, "search")]
        return Pending(self._log(events), found)

    async def search_async(self, subject: Subject, at: datetime, text: str,
                           schema: str | None = None, after: Position | None = None,
                           limit: int = 100, filtering: Filters = NO_FILTERS) -> list[Record]:
        """:meth:`search` for an event loop: the search runs in a worker thread."""
        return await (await to_thread.run_sync(
            partial(self.search_later, subject, at, text, schema, after, limit, filtering)))

    def stats(self, subject: Subject, at: datetime) -> dict[str, int]:
        with self.reading() as conn:
            counts = reader.count_by_schema(conn, Visibility(subject, at))
        self._log([audit_events.aggregate_event(subject, "stats",
                                                sum(counts.values()))]).result()
        return counts

    def seizure_frame(self, subject: Subject, at: datetime) -> SeizureFrame:
        """The subject's visible Seizure records as the analytics frame (see store/seizures).

        Logged as reads by path ``report``: each record's id, version and the statement
        ids the figures used.
        """
        with self.reading() as conn:
            read = read_seizure_table(conn, Visibility(subject, at))
        self._log(audit_events.read_events(
            subject, ((r.entity_id, r.version, r.statement_ids) for r in read.reads), "report"
        )).result()
        return seizure_frame(read.table)

    def network(self, subject: Subject, at: datetime) -> Facts:
        """The subject's link-graph facts (``store/network.py``), logged as figures."""
        with self.reading() as conn:
            found = read_network(conn, Visibility(subject, at))
        self._log([audit_events.aggregate_event(subject, "network", found.records)]).result()
        return found.facts

    def _log(self, events: Sequence[Event]) -> Future[None]:
        """Hand a read's entries to the group writer; settled once they are committed."""
        return self._group.submit(events)

    def _append(self, events: Sequence[Event]) -> None:
        with self._writers.turn(), self.transaction() as conn:
            audit_log.append(conn, events)

    def _salt(self, conn: Connection) -> bytes:
        """The node's commitment salt: fixed when the log was created, so read once."""
        if self._salt_value is None:
            self._salt_value = audit_log.salt(conn)
        return self._salt_value

    def counts(self) -> dict[str, int]:
        """Row counts per table (administrators only: this ignores the policy)."""
        out = {}
        with self.reading() as conn:
            for table in (t.records, t.statements, t.markings, t.tokens):
                out[table.name] = int(
                    conn.execute(select(func.count()).select_from(table)).scalar_one()
                )
        return out


def subject_for(conn: Connection, name: str) -> Subject:
    if "@" in name:
        analyst = {a.id: a for a in parties.analysts(conn)}.get(name)
        if analyst is None:
            raise NotFound(tr("no analyst {name!r}", name=name))
        unit_id = analyst.unit
    else:
        unit_id = name
    unit = {u.id: u for u in parties.units(conn)}.get(unit_id)
    if unit is None:
        raise ValidationError(f"no unit {unit_id!r}; see `tearline party list`")
    return Subject(unit=unit.id, agency=unit.agency, analyst=name if "@" in name else None)
