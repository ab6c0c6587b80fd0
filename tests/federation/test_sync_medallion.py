"""Our pull client against medallion (the TAXII 2.1 reference server) on loopback:
standard STIX from a third-party server, stored once, attributed, refused where the
source speaks for another agency; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
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
from sync_world import refusals, seed_parties, stored

from tearline.errors import IntegrityError
from tearline.federation.client import Page
from tearline.federation.sync import Partner, Puller
from tearline.keys import create_node_key
from tearline.stix.ids import agency_identity_id
from tearline.store import sync_state as ss
from tearline.store.store import Store

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
    own, third = set(), set()
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
