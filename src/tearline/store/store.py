"""The store facade: one object per database, handing out transactions and subjects."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine, func, select

from tearline.analysis.frame import SeizureFrame, seizure_frame
from tearline.errors import NotFound, ValidationError
from tearline.model.record import Record
from tearline.policy.subject import Subject, VettingFacts
from tearline.store import parties, reader
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
            return write_records(conn, records)

    # -- subjects ----------------------------------------------------------------------

    def subject(self, name: str) -> Subject:
        """Resolve a unit id or an analyst id (``name@unit``) to a policy subject."""
        with self.reading() as conn:
            return subject_for(conn, name)

    def visibility(self, subject: Subject, at: datetime) -> Visibility:
        return Visibility(subject, at)

    def vetting_facts(self) -> VettingFacts:
        with self.reading() as conn:
            return VettingFacts.of(parties.vettings(conn))

    # -- policy-filtered reads ---------------------------------------------------------

    def read(self, vis: Visibility, entity_id: str) -> Record | None:
        with self.reading() as conn:
            return reader.read_record(conn, vis, entity_id)

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
