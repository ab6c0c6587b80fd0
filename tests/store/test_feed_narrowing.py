"""The feed when a peer's view narrows, or changes where the peer cannot see: a record the
peer still may have is never left behind its cursor (its date never goes back), and a
release to another party moves it between none of the peer's collections."""

from __future__ import annotations

from datetime import UTC, datetime

from test_feed import DEA_ONLY, LATER, PEER, SOD, T, direct, person, world

from tearline.model.marking import Marking, Selector
from tearline.model.parties import Agency, Agreement, Unit
from tearline.store import Store, Visibility, marking_changes, parties, releases
from tearline.store.feed import START, FeedItem, feed

__all__ = ["world"]  # the fixture, shared with test_feed


def page(store: Store, after: tuple[str, str], limit: int, basis: str = "agr") -> list[FeedItem]:
    with store.reading() as conn:
        return feed(conn, Visibility(PEER, LATER), basis, after, limit=limit)


def test_a_narrowed_view_does_not_drop_a_record_behind_the_cursor(world: Store) -> None:
    # B, then A, then a value added to B that the peer is shown: B's date moves after A's
    world.write([person("p-b", "Beto")])
    world.write([person("p-a", "Ana")])
    world.write([person("p-b", "Beto", extra={"nationality": ["mx"]})])
    first = page(world, START, 1)
    assert [i.entity_id for i in first] == ["p-a"]  # B is next, at its new date
    # between two pages the value is re-marked away from the peer: its view of B narrows
    with world.transaction() as conn:
        marking_changes.set_marking(conn, SOD, "p-b", "nationality", DEA_ONLY,
                                    datetime.now(UTC))
    assert [i.entity_id for i in direct(world, ["p-b"])] == ["p-b"]  # B exists for the peer
    # ...but its date does not go back behind the cursor: the peer still receives B
    assert [i.entity_id for i in page(world, first[0].position, 10)] == ["p-b"]


def test_a_recalled_release_does_not_drop_a_record_behind_the_cursor(world: Store) -> None:
    world.write([person("p-b", "Beto")])
    world.write([person("p-a", "Ana")])
    with world.transaction() as conn:  # a release reaching the peer: B moves after A
        releases.release(conn, SOD, "p-b", Selector.parse("unit:mx.semar.uie"), "agr",
                         datetime.now(UTC), "test")
    first = page(world, START, 1)
    assert [i.entity_id for i in first] == ["p-a"]
    with world.transaction() as conn:  # recalled: B still exists for the peer (its marking)
        releases.recall(conn, SOD, "p-b", datetime.now(UTC), "test")
    assert [i.entity_id for i in direct(world, ["p-b"])] == ["p-b"]
    assert [i.entity_id for i in page(world, first[0].position, 10)] == ["p-b"]


def test_a_release_to_another_party_does_not_move_a_record_between_collections(
        store: Store) -> None:
    # a trilateral agreement the peer is party to, and a third agency
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar", "co.dijin"):
            parties.put_agency(conn, Agency(agency, agency.upper(), agency[:2]), T)
        for unit in ("us.dea.sod", "mx.semar.uie", "co.dijin.ant"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
        parties.put_agreement(conn, Agreement("agr", "agr", "bilateral",
                                              frozenset({"us.dea", "mx.semar"})), T)
        parties.put_agreement(conn, Agreement("tri", "tri", "treaty",
                                              frozenset({"us.dea", "mx.semar", "co.dijin"})), T)
    store.write([person("p-a", "Ana", Marking.build("AMBER", ["unit:mx.semar.uie"],
                                                    legal_basis="agr"))])
    assert page(store, START, 10, "tri") == []
    # a release to Colombia under the trilateral agreement: not addressed to the peer,
    # which sees neither it nor its legal basis
    with store.transaction() as conn:
        releases.release(conn, SOD, "p-a", Selector.parse("agency:co.dijin"), "tri",
                         datetime.now(UTC), "test")
    assert page(store, START, 10, "tri") == []
