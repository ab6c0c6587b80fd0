"""A workspace holding the demo's parties and a month of its synthetic records, driven
through the command line in process (Typer's ``CliRunner``), on every backend.

The records are those of ``tearline demo --seed 7`` for December 2020 (generated once
per session): real markings of the demo's profiles, portions included. Tests pick
the records they need by schema, originator and marking, never by a hard-coded id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from typer.testing import CliRunner, Result

from statement_keys import TEST_KEYER
from tearline.cli import app
from tearline.cli.common import STATE, console
from tearline.demo.load import demo_records, seed_parties
from tearline.model.marking import Marking, Tlp
from tearline.model.record import Record
from tearline.store import audit_log
from tearline.store.store import Store

#: When the demo's parties are recorded (its vetting of mx.semar.uie runs 2018–2036).
T0 = datetime(2020, 1, 1, tzinfo=UTC)
#: An id no record ever had, to compare a hidden record's answer with.
NEVER = "demo7-person-999999"


@cache
def demo_month(data_dir: Path) -> tuple[Record, ...]:
    return tuple(demo_records(7, data_dir, 0.01, start=date(2020, 12, 1), end=date(2020, 12, 31),
                              keyer=TEST_KEYER))


def said(result: Result) -> str:
    """The output (stdout and stderr) with the terminal's line wrapping undone."""
    return " ".join(result.output.split())


class DemoWorkspace:
    def __init__(self, store: Store, db_url: str, root: Path, records: tuple[Record, ...]):
        self.store = store
        self.db_url = db_url
        self.root = root
        self.records = records

    def invoke(self, *args: str) -> Result:
        # Tables unwrapped: the CLI's console took its width when it was first imported.
        width, console.width = console.width, 250
        try:
            return CliRunner().invoke(app, ["--db-url", self.db_url, "-w", str(self.root), *args])
        finally:
            console.width = width
            STATE.close()

    def ok(self, *args: str) -> str:
        """Run a command that must succeed and say something; its output, unwrapped."""
        result = self.invoke(*args)
        assert result.exit_code == 0, result.output
        assert result.output.strip(), f"`tearline {' '.join(args)}` printed nothing"
        return said(result)

    def fails(self, code: int, *args: str) -> str:
        result = self.invoke(*args)
        assert result.exit_code == code, result.output
        return said(result)

    def pick(self, schema: str, originator: str, marking: Marking,
             where: Callable[[Record], bool] = lambda r: True) -> Record:
        """The first record of the month with this schema, originator and marking."""
        for rec in self.records:
            if (rec.schema, rec.originator, rec.marking) == (schema, originator, marking) and (
                where(rec)
            ):
                return rec
        raise AssertionError(f"no {schema} of {originator} marked {marking} in the demo month")

    def audit_size(self) -> int:
        with self.store.reading() as conn:
            return audit_log.size(conn)


def has_red_portion(rec: Record) -> bool:
    return any(s.marking is not None and s.marking.tlp is Tlp.RED for s in rec.statements)


def no_portion(rec: Record) -> bool:
    return all(s.marking is None for s in rec.statements)


def load(store: Store, db_url: str, root: Path, data_dir: Path) -> DemoWorkspace:
    """The demo's parties (recorded at :data:`T0`) and the month's records, written."""
    records = demo_month(data_dir)
    seed_parties(store, T0)
    store.write(list(records))
    return DemoWorkspace(store, db_url, root, records)

