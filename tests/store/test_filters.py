"""Filters of the list and search reads (``store/filters.py``), on every backend.

The viewer is SEMAR's naval police (``mx.semar.pn``); the DEA's AMBER+STRICT portions
are hidden from it. Each filter is checked on values it sees and on values it may not
see — which must neither make a record match nor keep one out — against the answers
written from ``data/filters.json`` by hand; the DEA's own unit, which sees the hidden
values, shows the test can fail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import edits, marking_changes, parties
from tearline.store.filters import Filters
from tearline.store.store import Store

DATA = json.loads((Path(__file__).parent / "data" / "filters.json").read_text("utf-8"))
T = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
T2 = T + timedelta(days=3)
NOW = T2 + timedelta(days=1)
PN = Subject("mx.semar.pn", "mx.semar")
SOD = Subject("us.dea.sod", "us.dea")


@pytest.fixture
def world(store: Store) -> Iterator[Store]:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for unit in ("us.dea.sod", "mx.semar.pn"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
    records = []
    for r in DATA["records"]:
        portions = {p: Marking.from_dict(m) for p, m in r.get("portions", {}).items()}
        records.append(build_record(r["id"], r["schema"], r["properties"],
                                    Provenance(r["origin"], r["author"], T),
                                    Marking.from_dict(r["marking"]), portions,
                                    keyer=TEST_KEYER))
    store.write(records)
    for a in DATA["amendments"]:
        who = PN if a["author"] == PN.unit else SOD
        marking = Marking.from_dict(a["marking"]) if "marking" in a else None
        edits.amend(store, who, Provenance(a["origin"], a["author"], T2), a["id"],
                    a["properties"], marking)
    yield store


def listed(store: Store, who: Subject = PN, **given: object) -> list[str]:
    return [r.id for r in store.page(who, NOW, limit=100, filtering=Filters(**given))]  # type: ignore[arg-type]


def test_drug_matches_a_shown_value_only(world: Store) -> None:
    assert listed(world, drug="fentanyl") == ["s-fent"]
    # the heroin of s-hidden-drug is hidden from the viewer: as if it did not exist
    assert listed(world, drug="heroin") == ["s-heroin"]
    assert listed(world, SOD, drug="heroin") == ["s-heroin", "s-hidden-drug", "s-secret"]
    assert listed(world, drug="ketamine") == []


def test_country_matches_any_country_property_it_sees(world: Store) -> None:
    assert listed(world, country="mx") == ["p-mx", "s-fent"]
    assert listed(world, country="gt") == ["s-heroin"]
    # a hidden destination and a hidden nationality match nothing for the viewer
    assert listed(world, country="co") == []
    assert listed(world, SOD, country="co") == ["p-hidden-co", "s-fent"]


def test_date_range_over_the_temporal_extent(world: Store) -> None:
    june = {"date_from": date(2024, 6, 1), "date_to": date(2024, 6, 30)}
    assert listed(world, **june) == ["s-heroin"]  # s-hidden-date's date is hidden
    assert listed(world, SOD, **june) == ["s-heroin", "s-hidden-date", "s-secret"]
    # a partial date ("2025-11") is the whole month: it meets a range that meets it
    assert listed(world, date_from=date(2025, 11, 20)) == ["s-hidden-drug"]
    assert listed(world, date_from=date(2025, 11, 1), date_to=date(2025, 11, 3)) == [
        "s-fent", "s-hidden-drug"]
    assert listed(world, date_to=date(1952, 10, 24)) == ["p-mx"]  # a birth date
    assert listed(world, date_to=date(1952, 10, 23)) == []


def test_originator_and_marking_of_the_record(world: Store) -> None:
    assert listed(world, originator="mx.semar") == ["p-mx"]
    assert listed(world, tlp="AMBER") == ["s-heroin"]
    assert listed(world, tlp="AMBER+STRICT") == []
    assert listed(world, SOD, tlp="AMBER+STRICT") == ["s-secret"]
    assert listed(world, originator="us.dea", tlp="GREEN", drug="cocaine") == ["s-hidden-date"]


def test_modified_since_is_the_viewers_own_view(world: Store) -> None:
    # s-fent gained a hidden statement at T2: for the viewer it has not changed since T
    assert listed(world, modified_since=T2) == ["p-mx"]
    assert listed(world, SOD, modified_since=T2) == ["p-mx", "s-fent"]
    assert [r.id for r in world.page(PN, NOW, limit=100)] == listed(world, modified_since=T)
    # the record's own view agrees with the filter
    for record in world.page(PN, NOW, limit=100):
        assert (record.modified_at is not None and record.modified_at >= T2) == (
            record.id in listed(world, modified_since=T2))


def test_a_remarked_shown_statement_counts_as_a_change(world: Store) -> None:
    later = T2 + timedelta(hours=1)
    with world.transaction() as conn:
        marking_changes.set_marking(conn, PN, "p-mx", "birthDate", Marking.build("GREEN"),
                                    later)
    assert listed(world, modified_since=later) == ["p-mx"]


def test_filters_apply_to_search_and_keep_pages_whole(world: Store) -> None:
    found = world.search(PN, NOW, "rafael", filtering=Filters(country="mx"))
    assert [r.id for r in found] == ["p-mx"]
    assert world.search(PN, NOW, "dario", filtering=Filters(country="co")) == []
    assert [r.id for r in world.search(SOD, NOW, "dario", filtering=Filters(country="co"))] == [
        "p-hidden-co"]
    pages, after = [], None
    while True:
        page = world.page(PN, NOW, after=after, limit=1, filtering=Filters(tlp="GREEN"))
        if not page:
            break
        pages.append(page[0].id)
        after = page[0].id
    assert pages == listed(world, tlp="GREEN") == ["p-hidden-co", "p-mx", "s-fent",
                                                   "s-hidden-date", "s-hidden-drug"]
