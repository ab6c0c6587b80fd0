"""The store's async reads answer what its blocking reads answer, with the same audit
entries, on both backends; and the readiness check the API's /ready calls."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from statement_keys import TEST_KEYER
from tearline.errors import NotFound
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import Store, audit_log

T = datetime(2024, 5, 1, tzinfo=UTC)
NOW = T + timedelta(days=1)
VIEWER = Subject("mx.semar.pn", "mx.semar")
PUBLIC = Marking.build("GREEN")
RED = Marking.build("RED", ["unit:us.dea.sod"])


@pytest.fixture
def seeded(store: Store) -> Store:
    prov = Provenance("us.dea", "us.dea.sod", T)
    store.write([
        build_record("p1", "Person", {"name": ["Ana Lopez"]}, prov, PUBLIC, keyer=TEST_KEYER),
        build_record("p2", "Person", {"name": ["Ana Maria"]}, prov, PUBLIC, keyer=TEST_KEYER),
        build_record("p3", "Person", {"name": ["Ana Oculta"]}, prov, RED, keyer=TEST_KEYER),
    ])
    return store


def _reads(store: Store) -> list[tuple[str, str | None]]:
    with store.reading() as conn:
        return [(e.kind, e.entity_id) for e in audit_log.entries(conn)
                if e.kind in ("record.read", "search.query")]


def test_async_reads_answer_and_log_as_the_blocking_ones(seeded: Store) -> None:
    async def run() -> None:
        one = await seeded.read_async(VIEWER, NOW, "p1", "api")
        assert one == seeded.read(VIEWER, NOW, "p1", "api")
        page = await seeded.page_async(VIEWER, NOW, "Person", None, 10)
        assert [r.id for r in page] == ["p1", "p2"] == [
            r.id for r in seeded.page(VIEWER, NOW, "Person", None, 10)]
        found = await seeded.search_async(VIEWER, NOW, "ana", None, None, 10)
        assert found == seeded.search(VIEWER, NOW, "ana", None, None, 10)
        with pytest.raises(NotFound):
            await seeded.read_async(VIEWER, NOW, "p3")  # hidden equals missing

    asyncio.run(run())
    reads = _reads(seeded)
    page = [("record.read", "p1"), ("record.read", "p2")]
    assert reads == [("record.read", "p1")] * 2 + page * 2 + [("search.query", None), *page] * 2


def test_where_a_short_read_runs_and_readiness(seeded: Store) -> None:
    assert seeded.reads_on_loop is (seeded.dialect == "sqlite")
    seeded.check_ready()  # a current schema, a database that answers: no error
