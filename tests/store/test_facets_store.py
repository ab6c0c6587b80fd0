"""Facet counts (``store/facets.py``) counted in one narrow statement, on every backend.

The records are those of ``data/filters.json`` (the viewer ``mx.semar.pn`` does not
see the DEA's AMBER+STRICT portions nor its AMBER+STRICT record). The counts must be
those of the tear-line views the viewer reads — computed here from ``Store.page`` and
``Store.search`` the plain way, record by record — and a hidden drug or country must
count for nothing; the DEA's own unit, which sees them, shows the test can fail.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import edits, facets, parties
from tearline.store import tables as t
from tearline.store.filters import Filters, country_properties
from tearline.store.reader import list_ids
from tearline.store.store import Store
from tearline.store.visibility import Visibility

DATA = json.loads((Path(__file__).parent / "data" / "filters.json").read_text("utf-8"))
T = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
NOW = T + timedelta(days=4)
PN = Subject("mx.semar.pn", "mx.semar")
SOD = Subject("us.dea.sod", "us.dea")


@pytest.fixture
def world(store: Store) -> Store:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for unit in ("us.dea.sod", "mx.semar.pn"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
    store.write([build_record(r["id"], r["schema"], r["properties"],
                              Provenance(r["origin"], r["author"], T),
                              Marking.from_dict(r["marking"]),
                              {p: Marking.from_dict(m) for p, m in r.get("portions", {}).items()},
                              keyer=TEST_KEYER) for r in DATA["records"]])
    for a in DATA["amendments"]:
        edits.amend(store, PN if a["author"] == PN.unit else SOD,
                    Provenance(a["origin"], a["author"], T + timedelta(days=3)), a["id"],
                    a["properties"], Marking.from_dict(a["marking"]) if "marking" in a else None)
    return store


def from_views(records: list[Record]) -> dict[str, list[tuple[str, int]]]:
    """The facets counted over the records' tear-line views, one record at a time."""
    countries = set(country_properties())
    counters: dict[str, Counter[str]] = {name: Counter() for name in facets.NAMES}
    for r in records:
        counters["schema"][r.schema] += 1
        counters["originator"][r.originator] += 1
        counters["marking"][r.marking.tlp.value] += 1
        counters["drug"].update({s.value for s in r.statements if s.prop == "drug"})
        counters["country"].update({s.value for s in r.statements if s.prop in countries})
    return {name: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))
            for name, c in counters.items()}


@pytest.mark.parametrize("who", [PN, SOD], ids=["pn", "sod"])
def test_listing_facets_are_those_of_the_views(world: Store, who: Subject) -> None:
    counted = facets.facets(world, who, NOW, None)
    views = world.page(who, NOW, limit=100)
    assert counted.counts == from_views(views)
    assert (counted.matched, counted.complete) == (len(views), True)


def test_hidden_values_count_for_nothing(world: Store) -> None:
    seen = facets.facets(world, PN, NOW, None).counts
    full = facets.facets(world, SOD, NOW, None).counts
    # s-hidden-drug's heroin and s-fent's destination are hidden from the naval police
    assert dict(seen["drug"])["heroin"] == 1 and dict(full["drug"])["heroin"] == 3
    assert "co" not in dict(seen["country"]) and dict(full["country"])["co"] == 2
    assert "AMBER+STRICT" not in dict(seen["marking"])


def test_search_facets_async_with_filters(world: Store) -> None:
    narrow = Filters(country="mx")
    counted = asyncio.run(facets.facets_async(world, PN, NOW, "rafael", None, narrow))
    assert counted.counts == from_views(world.search(PN, NOW, "rafael", filtering=narrow))
    assert counted.matched >= 1
    empty = asyncio.run(facets.facets_async(world, PN, NOW, "dario", None,
                                            Filters(country="co")))
    assert (empty.matched, empty.counts) == (0, {name: [] for name in facets.NAMES})



def test_counts_in_one_snapshot(world: Store) -> None:
    """The window and its counts read one snapshot where the store gives one (SQLite: a
    commit made between them is not seen; PostgreSQL says it holds none), and counted
    over records known to exist there (no existence test, the facet properties only)
    the facets are those of the statement that tests existence."""
    def agencies(conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(t.agencies)).scalar_one())

    with world.reading() as conn, facets.one_snapshot(conn) as held:
        before = agencies(conn)
        with world.transaction() as other:
            parties.put_agency(other, Agency("gt.pnc", "gt.pnc", "gt"), T)
        during = agencies(conn)
    with world.reading() as conn:
        after = agencies(conn)
    assert held is (world.dialect == "sqlite")
    assert after == before + 1
    assert during == (before if held else after)

    vis = Visibility(PN, NOW)  # who may not see some drugs and countries
    with world.reading() as conn, facets.one_snapshot(conn):
        ids = list_ids(conn, vis, None, None, 100)
        known = facets.count(conn, vis, ids, True, existing=True)
        tested = facets.count(conn, vis, ids, True)
    assert known == tested
    assert known.counts == from_views(world.page(PN, NOW, limit=100))
    assert known.counts["drug"] and known.counts["country"]  # the narrowing keeps them
