"""A peer's STIX ``created``/``modified`` and tearline ``version`` are those of what the
peer may see: a portion the originator adds where the peer cannot see it leaves the
object the peer receives byte for byte as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from taxiiworld import ROOT, Node, T, build_node

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.stix.export import object_id
from tearline.store.store import Store
from tearline.taxii.collection import collection_id

OBJECT = (f"{ROOT}collections/{collection_id('agr-semar')}/objects/"
          f"{object_id('p-shared', 'Person')}/")
LATER = Provenance("us.dea", "us.dea.sod", T + timedelta(days=5))
TO_SEMAR = Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr-semar")


@pytest.fixture
def node(store: Store, tmp_path: Path) -> Iterator[Node]:
    built = build_node(store, tmp_path)
    yield built
    built.close()


def _object(node: Node) -> dict[str, Any]:
    answer = node.as_peer("mx.semar.uie").get(OBJECT)
    assert answer.status == 200, answer.body
    (found,) = answer.body["objects"]
    return dict(found)


def test_a_hidden_portion_leaves_the_peers_object_unchanged(node: Node) -> None:
    before = _object(node)
    node.store.write([build_record(
        "p-shared", "Person", {"name": ["Ana L."], "alias": ["La Jefa"]}, LATER, TO_SEMAR,
        {"name": Marking.build("RED", ["unit:us.dea.sod"]),
         "alias": Marking.build("RED", ["unit:us.dea.sod"])}, keyer=TEST_KEYER)])
    after = _object(node)
    assert json.dumps(after, sort_keys=True) == json.dumps(before, sort_keys=True)
    node.store.write([build_record("p-shared", "Person", {"name": ["Ana Lopez V."]}, LATER,
                                   TO_SEMAR, keyer=TEST_KEYER)])
    grown = _object(node)
    assert grown["modified"] > before["modified"] and grown["created"] == before["created"]
