"""The federation feed (``store/feed.py``) on both backends: every record a peer may have,
once, by (date added, id) however the pages and the walk's chunks fall, dated by the
peer's own view of it — a portion or a release the peer may not see moves nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking, Selector
from tearline.model.parties import Agency, Agreement, Unit
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import feed as feed_module
from tearline.store import parties, releases
from tearline.store.feed import START, FeedItem, feed
from tearline.store.store import Store
from tearline.store.visibility import Visibility

T = datetime(2026, 2, 1, tzinfo=UTC)
LATER = datetime(2999, 1, 1, tzinfo=UTC)  # after every change the tests make
PEER = Subject("mx.semar.uie", "mx.semar")
SOD = Subject("us.dea.sod", "us.dea")
SHARED = Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr")
DEA_ONLY = Marking.build("AMBER+STRICT")
DEA = Provenance("us.dea", "us.dea.sod", T)


@pytest.fixture
def world(store: Store) -> Store:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency.upper(), agency[:2]), T)
        for unit in ("us.dea.sod", "us.dea.hofd", "mx.semar.uie"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
        parties.put_agreement(conn, Agreement("agr", "agr", "bilateral",
                                              frozenset({"us.dea", "mx.semar"})), T)
    return store


def person(entity_id: str, name: str, marking: Marking = SHARED,
           portions: dict[str, Marking] | None = None,
           extra: dict[str, list[str]] | None = None) -> Record:
    return build_record(entity_id, "Person", {"name": [name], **(extra or {})}, DEA, marking,
                        portions or {}, keyer=TEST_KEYER)


def pages(store: Store, limit: int) -> list[FeedItem]:
    """The whole feed for the peer, ``limit`` records a page."""
    vis = Visibility(PEER, LATER)
    out: list[FeedItem] = []
    position = START
    with store.reading() as conn:
        while True:
            page = feed(conn, vis, "agr", position, limit=limit + 1)
            out.extend(page[:limit])
            if len(page) <= limit:
                return out
            position = page[limit - 1].position


def direct(store: Store, ids: list[str]) -> list[FeedItem]:
    with store.reading() as conn:
        return feed(conn, Visibility(PEER, LATER), "agr", entity_ids=ids, limit=1000)


def test_pages_hold_every_record_once_by_date_and_id_however_they_fall(
        world: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed_module, "WALK_CHUNK", 3)
    monkeypatch.setattr(feed_module, "SETTLE_CHUNK", 2)
    ids = [f"p-{n:02d}" for n in range(14)]
    # two writes of several records each (one date apiece), and records one by one
    world.write([person(i, f"Nombre {i}") for i in ids[:5]])
    world.write([person(i, f"Nombre {i}") for i in ids[5:9]])
    for i in ids[9:]:
        world.write([person(i, f"Nombre {i}")])
    world.write([person("p-hidden", "Oculto", DEA_ONLY)])
    expected = direct(world, [*ids, "p-hidden"])
    assert {i.entity_id for i in expected} == set(ids)
    assert [i.position for i in expected] == sorted(i.position for i in expected)
    for limit in (1, 2, 3, 5, 14, 20):
        assert pages(world, limit) == expected


def test_a_change_the_peer_cannot_see_moves_nothing_and_one_it_sees_moves_the_record(
        world: Store) -> None:
    world.write([person("p-a", "Ana"), person("p-b", "Beto")])
    before = pages(world, 10)
    # a portion hidden from the peer, on a record it sees, and a release to someone else
    world.write([person("p-a", "Ana", extra={"birthDate": ["1970-01-02"]},
                        portions={"birthDate": DEA_ONLY})])
    with world.transaction() as conn:
        releases.release(conn, SOD, "p-b", Selector.parse("unit:us.dea.hofd"), None,
                         datetime.now(UTC), "test")
    assert pages(world, 10) == before
    # a value the peer is shown: the record comes after every other, at a later date
    world.write([person("p-a", "Ana", extra={"nationality": ["mx"]})])
    after = pages(world, 10)
    assert [i.entity_id for i in after] == ["p-b", "p-a"]
    assert after[1].added_at > max(i.added_at for i in before)


def test_a_record_released_to_the_peer_after_its_cursor_comes_next(world: Store) -> None:
    world.write([person("p-a", "Ana"), person("p-secret", "Secreto", DEA_ONLY)])
    (first,) = pages(world, 10)
    with world.transaction() as conn:
        releases.release(conn, SOD, "p-secret", Selector.parse("unit:mx.semar.uie"), "agr",
                         datetime.now(UTC), "test")
    with world.reading() as conn:
        following = feed(conn, Visibility(PEER, LATER), "agr", first.position, limit=10)
    assert [i.entity_id for i in following] == ["p-secret"]
