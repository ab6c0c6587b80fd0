"""A record's version and times are those of what the reader sees (``policy.evaluator.viewed``).

A portion the reader cannot see — added later, present from the start, seen again, or
re-marked — changes neither the version nor ``created_at``/``modified_at`` it reads; a
statement added where it can see it moves them forward. Both backends.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import marking_changes
from tearline.store.store import Store

T = datetime(2024, 5, 1, tzinfo=UTC)
NOW = T + timedelta(days=30)
VIEWER = Subject("mx.semar.pn", "mx.semar")
SOD = Subject("us.dea.sod", "us.dea")
PUBLIC = Marking.build("GREEN")
RED = Marking.build("RED", ["unit:us.dea.sod"])


def _prov(days: int) -> Provenance:
    return Provenance("us.dea", "us.dea.sod", T + timedelta(days=days))


def _name(days: int, name: str, hidden: bool = False) -> Record:
    """A visible name, or a hidden name and alias (RED portions for ``us.dea.sod`` only)."""
    if not hidden:
        return build_record("p1", "Person", {"name": [name]}, _prov(days), PUBLIC, keyer=TEST_KEYER)
    return build_record("p1", "Person", {"name": [name], "alias": [name.upper()]}, _prov(days),
                        PUBLIC, {"name": RED, "alias": RED}, keyer=TEST_KEYER)


def _seen(store: Store, who: Subject = VIEWER) -> tuple[int, datetime | None, datetime | None]:
    rec = store.read(who, NOW, "p1")
    return rec.version, rec.created_at, rec.modified_at


@pytest.fixture
def twin(tmp_path: Path) -> Store:
    return Store.open(f"sqlite:///{tmp_path / 'twin.sqlite'}")


def test_a_hidden_portion_added_later_changes_nothing_the_reader_sees(store: Store) -> None:
    store.write([_name(0, "Ana Lopez")])
    before = _seen(store)
    assert before == (1, T, T)
    store.write([_name(2, "La Jefa", hidden=True)])  # a RED portion for us.dea.sod only
    assert _seen(store) == before
    assert _seen(store, SOD) == (2, T, T + timedelta(days=2))  # who sees it, sees it
    store.write([_name(3, "Ana L.")])  # visible: the view grows, and moves forward
    assert _seen(store) == (2, T, T + timedelta(days=3))


def test_a_hidden_portion_from_the_start_is_not_in_created(store: Store, twin: Store) -> None:
    store.write([_name(0, "La Jefa", hidden=True)])
    store.write([_name(4, "Ana Lopez")])
    twin.write([_name(4, "Ana Lopez")])
    try:
        assert _seen(store) == _seen(twin) == (1, T + timedelta(days=4), T + timedelta(days=4))
    finally:
        twin.close()


def test_re_marking_a_hidden_portion_changes_nothing_the_reader_sees(store: Store) -> None:
    store.write([_name(0, "Ana Lopez"), _name(1, "La Jefa", hidden=True)])
    before = _seen(store)
    with store.transaction() as conn:
        marking_changes.set_marking(conn, SOD, "p1", "alias", Marking.build(
            "RED", ["unit:us.dea.sod", "unit:us.dea.other"]), NOW - timedelta(days=1))
    assert _seen(store) == before


def test_re_marking_the_record_moves_modified(store: Store) -> None:
    store.write([_name(0, "Ana Lopez")])
    with store.transaction() as conn:
        marking_changes.set_marking(conn, SOD, "p1", None, Marking.build("CLEAR"),
                                    NOW - timedelta(days=1))
    assert _seen(store) == (1, T, NOW - timedelta(days=1))


def test_the_report_logs_the_version_the_reader_sees(store: Store) -> None:
    """A report's reads are logged with the version of the reader's view, as a read is."""
    from tearline.store.seizures import read_seizure_table
    from tearline.store.visibility import Visibility

    props = {"drug": ["fentanyl"], "grossWeight": ["10"], "date": ["2024-04-01"]}
    store.write([build_record("sz-1", "Seizure", props, _prov(0), PUBLIC, keyer=TEST_KEYER)])
    store.write([build_record("sz-1", "Seizure", {"drug": ["cocaine"]}, _prov(2),
                              PUBLIC, {"drug": RED}, keyer=TEST_KEYER)])
    with store.reading() as conn:
        (read,) = read_seizure_table(conn, Visibility(VIEWER, NOW)).reads
    assert read.version == store.read(VIEWER, NOW, "sz-1").version == 1
