"""The store facade: one object per database, handing out transactions and subjects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine, func, select

from tearline.analysis.frame import SeizureFrame, seizure_frame
from tearline.errors import NotFound, ValidationError
from tearline.model.record import Record
from tearline.policy.subject import Subject
from tearline.store import audit_events, parties, reader
from tearline.store import tables as t
from tearline.store.engine import make_engine, translated, upgrade
from tearline.store.seizures import SeizureRead, read_seizure_table
from tearline.store.visibility import Visibility
from tearline.store.writer import WriteSummary, write_records


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, migrate: bool = True) -> Store:
        store = cls(make_engine(url))
        if migrate:
            upgrade(store.engine)
        return store

    @property
    def dialect(self) -> str:
        return str(self.engine.dialect.name)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One atomic unit of work: committed whole on success, rolled back on any error."""
        with translated(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with translated(), self.engine.connect() as conn:
            yield conn

    # -- writes ------------------------------------------------------------------------

    def write(self, records: Sequence[Record]) -> WriteSummary:
        with self.transaction() as conn:
            summary = write_records(conn, records)
            audit_events.writes(conn, records, summary.changes, summary.records_new)
            return summary

    # -- subjects ----------------------------------------------------------------------

    def subject(self, name: str) -> Subject:
        """Resolve a unit id or an analyst id (``name@unit``) to a policy subject."""
        with self.reading() as conn:
            return subject_for(conn, name)

    # -- policy-filtered reads: every one leaves an audit entry -------------------------

    def read(self, subject: Subject, at: datetime, entity_id: str, path: str = "show") -> Record:
        """The tear-line view of one record; :class:`NotFound` if it does not exist for them."""
        with self.transaction() as conn:
            found = reader.read_records(conn, Visibility(subject, at), [entity_id])
            self._log_reads(conn, subject, at, found, path)
        if not found:
            raise NotFound(f"no record {entity_id!r}")
        return found[0]

    def read_many(self, subject: Subject, at: datetime, ids: Sequence[str],
                  path: str = "export") -> list[Record]:
        with self.transaction() as conn:
            found = reader.read_records(conn, Visibility(subject, at), ids)
            self._log_reads(conn, subject, at, found, path)
        return found

    def page(self, subject: Subject, at: datetime, schema: str | None = None,
             after: str | None = None, limit: int = 100, path: str = "list") -> list[Record]:
        with self.transaction() as conn:
            found = reader.page_records(conn, Visibility(subject, at), schema, after, limit)
            self._log_reads(conn, subject, at, found, path)
        return found

    def search(self, subject: Subject, at: datetime, text: str, schema: str | None = None,
               after: str | None = None, limit: int = 100) -> list[Record]:
        with self.transaction() as conn:
            found = reader.search_records(conn, Visibility(subject, at), text, schema, after,
                                          limit)
            self._log_search(conn, subject, at, text, len(found))
            self._log_reads(conn, subject, at, found, "search")
        return found

    def stats(self, subject: Subject, at: datetime) -> dict[str, int]:
        with self.transaction() as conn:
            counts = reader.count_by_schema(conn, Visibility(subject, at))
            self._log_stats(conn, subject, at, sum(counts.values()))
        return counts

    def seizure_frame(self, subject: Subject, at: datetime) -> SeizureFrame:
        """The subject's visible Seizure records as the analytics frame (see store/seizures)."""
        with self.transaction() as conn:
            read = read_seizure_table(conn, Visibility(subject, at))
            self._log_report(conn, subject, at, read.reads)
        return seizure_frame(read.table)

    def _log_report(self, conn: Connection, subject: Subject, at: datetime,
                    reads: Sequence[SeizureRead]) -> None:
        """Record that ``subject`` received figures over these record versions and statements.

        An audit hook like ``_log_reads`` (path ``report``): ``reads`` holds each record's id,
        version and the statement ids the figures used, not ``Record`` objects.
        """
        audit_events.reads(conn, subject, ((r.entity_id, r.version, r.statement_ids)
                                           for r in reads), "report")

    # -- audit hooks (written in the same transaction as the action) ---------------------

    def _log_reads(self, conn: Connection, subject: Subject, at: datetime,
                   records: Sequence[Record], path: str) -> None:
        """Record that ``subject`` read these record versions and statements."""
        audit_events.record_reads(conn, subject, records, path)

    def _log_search(self, conn: Connection, subject: Subject, at: datetime, text: str,
                    results: int) -> None:
        """Record a search as a salted commitment of its text, never the text."""
        audit_events.search(conn, subject, text, results)

    def _log_stats(self, conn: Connection, subject: Subject, at: datetime, records: int) -> None:
        """Record that ``subject`` read aggregate counts (over ``records`` records)."""
        audit_events.aggregate(conn, subject, "stats", records)

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
            raise NotFound(f"no analyst {name!r}")
        unit_id = analyst.unit
    else:
        unit_id = name
    unit = {u.id: u for u in parties.units(conn)}.get(unit_id)
    if unit is None:
        raise ValidationError(f"no unit {unit_id!r}; see `tearline party list`")
    return Subject(unit=unit.id, agency=unit.agency, analyst=name if "@" in name else None)
