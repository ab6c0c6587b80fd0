"""Our pull client against medallion (the TAXII 2.1 reference server) on loopback:
standard STIX from a third-party server, stored once, attributed, refused where the
source speaks for another agency; hand-written STIX as another tool emits it stored
with the source's provenance and its own markings, malformed objects refused one by
one; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from medallion_server import (
    COLLECTION,
    Medallion,
    ofac_records,
    standard_objects,
    start_medallion,
)
from sqlalchemy import select
from sync_world import refusals, seed_parties, stored

from foreign_stix import CARTEL, LINK, PERSON, PLACE, PRODUCER, REPORT, foreign_objects
from foreign_stix import MAPPED as FOREIGN_MAPPED
from tearline.errors import IntegrityError
from tearline.federation.partners import Partner
from tearline.federation.results import CollectionResult
from tearline.federation.sync import Puller
from tearline.federation.taxii_resources import Page
from tearline.keys import create_node_key
from tearline.stix.extensions import MARKING_EXTENSION_ID
from tearline.stix.ids import agency_identity_id
from tearline.store import sync_state as ss
from tearline.store import tables as t
from tearline.store.store import Store
from waiting import HANG

ENDS = {"identity", "threat-actor", "location"}
MAPPED = {"identity", "threat-actor", "location", "relationship", "note", "report"}
TREASURY_ID = agency_identity_id("us.treasury")
FGR_ID = agency_identity_id("mx.fgr")


@pytest.fixture(scope="module")
def medallion(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Medallion]:
    records = ofac_records(data_dir, 45)
    treasury = standard_objects(records[:40])
    for index, obj in enumerate(treasury):  # a third without a creator: the source's own
        if index % 3 == 0 and obj.get("created_by_ref") == TREASURY_ID:
            del obj["created_by_ref"]
    fgr = standard_objects(ofac_records(data_dir, 45, origin="mx.fgr")[40:])
    objects = treasury + [o for o in fgr if o["id"] not in {x["id"] for x in treasury}]
    server = start_medallion(tmp_path_factory.mktemp("medallion"), objects, page_size=20)
    yield server
    server.stop()


def source(server: Medallion) -> Partner:
    return Partner("ofac.feed", "us.treasury", server.url, signed=False, auth=server.auth)


def expected(server: Medallion) -> tuple[set[str], set[str]]:
    """(ids the source may speak for, ids it speaks for mx.fgr) among the mapped objects."""
    agencies = {TREASURY_ID, FGR_ID}
    own: set[str] = set()
    third: set[str] = set()
    for obj in server.objects:
        if obj["type"] not in MAPPED or obj["id"] in agencies:
            continue
        if obj["type"] == "identity" and obj.get("identity_class") not in (
                "individual", "organization"):
            continue
        if obj["type"] == "relationship" and not all(  # STIX 2.1 §5: ends we can hold
                obj[end].split("--")[0] in ENDS for end in ("source_ref", "target_ref")):
            continue
        (third if obj.get("created_by_ref") == FGR_ID else own).add(obj["id"])
    return own, third


def test_standard_stix_is_stored_once_with_the_sources_provenance(
        store: Store, medallion: Medallion) -> None:
    seed_parties(store)
    pages: list[int] = []
    result = Puller(store, source(medallion), node_key=None, own_agency="us.dea",
                    page_size=20, progress=lambda _t, n, _p: pages.append(n)).run()
    own, third = expected(medallion)
    after = stored(store)
    assert set(after["records"]) == own
    assert set(after["records"].values()) == {"us.treasury"}
    assert set(after["origins"]) == {"us.treasury"}
    assert after["created"] == len(own)
    assert len(pages) == -(-len(medallion.objects) // 20) and pages[-1] == len(medallion.objects)
    (collection,) = result.collections
    assert {o for o, _ in collection.refused} == third and third
    with store.reading() as conn:
        assert ss.cursor(conn, "ofac.feed", COLLECTION) is not None
        outcomes = [r.outcome for r in ss.received(conn, "ofac.feed")]
    assert len(outcomes) == len(medallion.objects)
    assert outcomes.count("stored") == len(own) and outcomes.count("refused") == len(third)

    again = Puller(store, source(medallion), node_key=None, own_agency="us.dea",
                   page_size=20).run()
    assert again.records_stored == 0 and again.refused == []
    assert stored(store) == after


def test_a_source_speaking_for_a_third_agency_is_refused_and_audited(
        store: Store, medallion: Medallion) -> None:
    seed_parties(store)
    Puller(store, source(medallion), node_key=None, own_agency="us.dea", page_size=20).run()
    _own, third = expected(medallion)
    logged = refusals(store)
    assert {e.object_id for e in logged} == third
    assert {(e.peer, e.originator, e.reason) for e in logged} == {
        ("node:ofac.feed", "mx.fgr", "third-agency")}
    assert not set(stored(store)["records"]) & third


def test_an_interrupted_pull_resumes_and_stores_everything_exactly_once(
        store: Store, medallion: Medallion) -> None:
    seed_parties(store)

    class Crash(Exception):
        pass

    def crash_after_two_pages(_title: str, count: int, _page: Page) -> None:
        if count >= 40:
            raise Crash

    with pytest.raises(Crash):
        Puller(store, source(medallion), node_key=None, own_agency="us.dea", page_size=20,
               progress=crash_after_two_pages).run()
    partial = stored(store)
    assert 0 < len(partial["records"]) < len(expected(medallion)[0])
    Puller(store, source(medallion), node_key=None, own_agency="us.dea", page_size=20).run()
    after = stored(store)
    assert set(after["records"]) == expected(medallion)[0]
    assert after["created"] == len(after["records"])  # each record created once


def test_an_unsigned_answer_from_a_partner_that_must_sign_is_refused(
        store: Store, medallion: Medallion, tmp_path: Path) -> None:
    seed_parties(store)
    key, _ = create_node_key(tmp_path / "keys", "us.dea.sod")
    other, _ = create_node_key(tmp_path / "other", "mx.semar.uie")
    pretender: Any = Partner("mx.semar.uie", "mx.semar", medallion.url, signed=True,
                             verifier_key=other.verifier_key(), auth=medallion.auth)
    with pytest.raises(IntegrityError):
        Puller(store, pretender, node_key=key, own_agency="us.dea").run()
    assert [e.reason for e in refusals(store)] == ["unverified"]
    assert stored(store)["records"] == {}


# -- hand-written STIX 2.1, as another platform emits it (tests/foreign_stix.py) -------------

FUSION = "fusion.feed"
DAY_1, DAY_2 = datetime(2026, 1, 10, tzinfo=UTC), datetime(2026, 1, 11, tzinfo=UTC)
BAD_ID = "threat-actor--not-a-uuid"
BAD_DEFINITION = "marking-definition--0b7c6a1e-6f0e-4f7a-9d55-2a8e3c1f4b01"
STALE_DEFINITION = "marking-definition--0b7c6a1e-6f0e-4f7a-9d55-2a8e3c1f4b02"
BAD_GRANULAR = "identity--0b7c6a1e-6f0e-4f7a-9d55-2a8e3c1f4b03"
ALIAS = "Los del Norte"
PLACE_NOTE = "Second warehouse, behind the market"


def unreadable_definition(definition_id: str) -> dict[str, Any]:
    """A marking definition with tearline's marking extension and a TLP level that is none."""
    return {"type": "marking-definition", "spec_version": "2.1", "id": definition_id,
            "created": "2023-03-05T00:00:00.000Z", "name": "bogus",
            "extensions": {MARKING_EXTENSION_ID: {"extension_type": "property-extension",
                                                  "tlp": "bogus", "orcon": False}}}


def later_objects() -> list[dict[str, Any]]:
    """What the source adds on day 2, in this order (two per page): new versions of two
    objects it served on day 1, each on a page with a malformed object."""
    day_1 = {o["id"]: o for o in foreign_objects()}
    later = "2023-04-01T08:00:00.000Z"
    return [
        {**day_1[CARTEL], "id": BAD_ID},  # an id that is no STIX id
        {**day_1[CARTEL], "modified": later, "aliases": ["CDN", ALIAS]},
        unreadable_definition(BAD_DEFINITION),
        {**day_1[PERSON], "id": BAD_GRANULAR, "granular_markings": "description"},
        {**day_1[PLACE], "modified": later, "description": PLACE_NOTE},
    ]


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Medallion]:
    server = start_medallion(tmp_path_factory.mktemp("foreign"), foreign_objects(),
                             added=DAY_1)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def foreign_later(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Medallion]:
    """The same source's collection as it is on day 2 (only what was added since)."""
    server = start_medallion(tmp_path_factory.mktemp("foreign-later"), later_objects(),
                             added=DAY_2)
    yield server
    server.stop()


def fusion(server: Medallion) -> Partner:
    return Partner(FUSION, "us.treasury", server.url, signed=False, auth=server.auth)


def pull(store: Store, server: Medallion, page_size: int = 100) -> Any:
    return Puller(store, fusion(server), node_key=None, own_agency="us.dea",
                  page_size=page_size).run()


def records_held(store: Store) -> dict[str, tuple[str, str, str, str]]:
    """Record id → (schema, originator, author, TLP of the record's marking)."""
    r, m = t.records, t.markings
    with store.reading() as conn:
        rows = conn.execute(select(r.c.id, r.c.schema, r.c.originator, r.c.author, m.c.tlp)
                            .join(m, m.c.id == r.c.marking_id)).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def statements_held(store: Store) -> dict[tuple[str, str, str], tuple[str, str, str | None]]:
    """(entity, property, value) → (origin, author, TLP of its portion marking) of the
    statements in force."""
    s, m = t.statements, t.markings
    with store.reading() as conn:
        rows = conn.execute(select(s.c.entity_id, s.c.prop, s.c.value, s.c.origin, s.c.author,
                                   m.c.tlp)
                            .outerjoin(m, m.c.id == s.c.marking_id)
                            .where(s.c.retracted_at.is_(None))).all()
    return {(e, p, v): (origin, author, tlp) for e, p, v, origin, author, tlp in rows}


def test_hand_written_stix_is_stored_once_with_the_sources_provenance_and_its_markings(
        store: Store, foreign: Medallion) -> None:
    seed_parties(store)
    result = pull(store, foreign)
    treasury = ("us.treasury", "us.treasury")
    assert records_held(store) == {
        PRODUCER: ("Organization", *treasury, "AMBER+STRICT"),  # unmarked: the safe default
        CARTEL: ("Organization", *treasury, "GREEN"),  # TLP 1.0 GREEN
        PERSON: ("Person", *treasury, "AMBER"),  # TLP 1.0 AMBER
        PLACE: ("Address", *treasury, "AMBER+STRICT"),
        LINK: ("UnknownLink", *treasury, "RED"),  # TLP 2.0 RED, its definition in the feed
        REPORT: ("Note", *treasury, "AMBER+STRICT"),
    }
    held = statements_held(store)
    assert {(o, a) for o, a, _ in held.values()} == {treasury}
    assert held[(PERSON, "description", "Logistics coordinator")][2] == "RED"  # TLP 2.0 portion
    assert held[(PERSON, "name", "Ramon Quintero")][2] is None
    assert {(e, p, v) for e, p, v in held if e == CARTEL} == {
        (CARTEL, "name", "Cartel del Norte"), (CARTEL, "alias", "CDN"),
        (CARTEL, "topics", "crime")}  # crime-syndicate
    assert {v for e, p, v in held if e == LINK and p in ("subject", "object", "role")} == {
        CARTEL, PLACE, "located-at"}
    (collection,) = result.collections
    assert collection.records_stored == len(FOREIGN_MAPPED) and collection.refused == []
    assert stored(store)["created"] == len(FOREIGN_MAPPED)  # one record.created each
    with store.reading() as conn:
        outcomes = {r.object_id: r.outcome for r in ss.received(conn, FUSION)}
    assert outcomes == {o["id"]: "stored" if o["id"] in FOREIGN_MAPPED else "skipped"
                        for o in foreign.objects}
    assert refusals(store) == []

    records = records_held(store)
    again = pull(store, foreign)  # re-read from just before the cursor: all seen already
    assert again.records_stored == 0 and again.collections[0].already == len(foreign.objects)
    assert records_held(store) == records and statements_held(store) == held
    assert stored(store)["created"] == len(FOREIGN_MAPPED)


def test_malformed_objects_are_refused_one_by_one_and_nothing_stored_is_lost(
        store: Store, foreign: Medallion, foreign_later: Medallion) -> None:
    seed_parties(store)
    pull(store, foreign)
    records, statements = records_held(store), statements_held(store)
    with store.transaction() as conn:  # kept by an earlier version, which kept unread ones
        ss.keep_definitions(conn, FUSION, [unreadable_definition(STALE_DEFINITION)])

    result = pull(store, foreign_later, page_size=2)
    (collection,) = result.collections
    assert collection.pages == 3
    refused = dict(collection.refused)
    assert set(refused) == {BAD_ID, BAD_DEFINITION, BAD_GRANULAR}
    assert refused[BAD_ID] == f"missing or invalid type/id ({BAD_ID!r})"
    assert refused[BAD_DEFINITION].startswith("unknown TLP level 'bogus'")
    assert refused[BAD_GRANULAR].startswith("granular_markings must be a list of objects")
    assert {(e.object_id, e.peer, e.reason) for e in refusals(store)} == {
        (i, f"node:{FUSION}", "malformed") for i in refused}
    # the good objects on the same pages are stored; nothing held before is lost
    assert collection.records_stored == 2
    assert records_held(store) == records
    now = statements_held(store)
    assert {k: v for k, v in now.items() if k in statements} == statements
    treasury = ("us.treasury", "us.treasury")
    assert {k: v[:2] for k, v in now.items() if k not in statements} == {
        (CARTEL, "alias", ALIAS): treasury, (PLACE, "description", PLACE_NOTE): treasury}
    with store.reading() as conn:
        outcomes = {r.object_id: r.outcome for r in ss.received(conn, FUSION)
                    if r.object_id in refused or r.version.startswith("2023-04")}
    assert outcomes == {BAD_ID: "refused", BAD_DEFINITION: "refused",
                        BAD_GRANULAR: "refused", CARTEL: "stored", PLACE: "stored"}


def test_the_next_page_is_fetched_while_one_is_stored(
        store: Store, medallion: Medallion) -> None:
    """The pull is a pipeline: page 2 is asked for (and verified) before page 1's
    transaction ends, and the pages are still stored in order, each once."""
    seed_parties(store)
    client = source(medallion).client()
    asked = client.objects
    fetched: list[int] = []
    second = threading.Event()

    def objects(*args: Any, **kwargs: Any) -> Page:
        page = asked(*args, **kwargs)
        fetched.append(len(page.objects))
        if len(fetched) == 2:
            second.set()
        return page

    client.objects = objects  # type: ignore[method-assign]
    order: list[int] = []

    class Watching(Puller):
        def store_page(self, root: str, collection_id: str, page: Page,
                       out: CollectionResult) -> None:
            if not order:  # the first page: the second is fetched meanwhile
                assert second.wait(HANG), "page 2 was not fetched while page 1 was stored"
            order.append(len(page.objects))
            super().store_page(root, collection_id, page, out)

    try:
        Watching(store, source(medallion), node_key=None, own_agency="us.dea",
                 page_size=20).run(client)
    finally:
        client.close()
    assert order == fetched and sum(order) == len(medallion.objects)
    assert set(stored(store)["records"]) == expected(medallion)[0]
