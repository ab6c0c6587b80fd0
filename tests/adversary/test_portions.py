"""A peer that is not a tearline node — a consumer that ignores granular markings — learns
nothing beyond object-level markings: with every ``granular_markings`` taken out of what
it receives, each portion value it holds sits under object markings at least as strict as
its own (issue #21). A tearline peer receives the same portion as a granular marking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from adversary.cast import base_records
from adversary.paths_taxii import ROOT, Peer
from adversary.transcript import Transcript
from adversary.worlds import STANDARD_PEERS, Backend, Place, opened
from portion_safety import blind, wider
from statement_keys import TEST_KEYER
from tearline.demo import scenario as sc

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(backend: Backend, base: Place, node_injected: None) -> Iterator[Place]:
    place = backend.copy(base)
    yield place
    backend.drop(place)


def received(place: Place, unit: str) -> list[dict[str, Any]]:
    """Every object of every collection the peer of ``unit`` pulls, page by page."""
    objects: list[dict[str, Any]] = []
    with opened(place) as store:
        peer = Peer(place, store, unit, Transcript())
        try:
            for coll in peer("GET", ROOT + "collections/").get("collections", []):
                url, query = f"{ROOT}collections/{coll['id']}/objects/", "?limit=5"
                while True:
                    page = peer("GET", url + query)
                    objects += page.get("objects", [])
                    if not page.get("next"):
                        break
                    query = f"?limit=5&next={page['next']}"
        finally:
            peer.close()
    return objects


def test_a_standard_peer_holds_no_value_under_a_wider_object_marking(world: Place) -> None:
    assert sc.FEMDO in STANDARD_PEERS
    objects = received(world, sc.FEMDO)
    assert not any("granular_markings" in o for o in objects)
    assert wider([blind(o) for o in objects], base_records(TEST_KEYER)) == []
    # the check bites: the courier's AMBER alias did reach the peer, in an object of its own
    portions = [o for o in objects if o["type"] == "identity"
                and o.get("description") == "alias: El Chapin Correo"]
    assert len(portions) == 1


def test_a_tearline_peer_receives_the_portion_as_a_granular_marking(world: Place) -> None:
    objects = received(world, sc.UIE)
    assert any("granular_markings" in o for o in objects)
    # what a granular-blind consumer would make of a tearline node's answer: the leak
    assert wider([blind(o) for o in objects], base_records(TEST_KEYER))
