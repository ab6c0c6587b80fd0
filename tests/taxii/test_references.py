"""A peer receives no reference to a record that does not exist for it, at any depth
(``tests/data/reference_chain.json``), and the world without what it may not see gives
it the same objects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from taxiiworld import DEA, ROOT, build_node, untraced

from reference_chain import EXISTING, MISSING, chain
from tearline.model.marking import Marking
from tearline.stix.export import object_id
from tearline.store.store import Store
from tearline.taxii.collection import collection_id

TO_SEMAR = Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr-semar")
SECRET = Marking.build("RED", ["unit:us.dea.sod"])
OBJECTS = f"{ROOT}collections/{collection_id('agr-semar')}/objects/?limit=1000"
SCHEMAS = {"p": "Person", "a": "Associate", "l": "UnknownLink", "n": "Note"}


def _pull(db_url: str, folder: Path, hidden: bool) -> list[dict[str, Any]]:
    store = Store.open(db_url)
    node = build_node(store, folder, hidden=False)
    store.write(chain(DEA, TO_SEMAR, SECRET, hidden=hidden))
    try:
        answer = node.as_peer("mx.semar.uie").get(OBJECTS)
        assert answer.status == 200, answer.body
        return sorted((untraced(o) for o in answer.body["objects"]), key=lambda o: o["id"])
    finally:
        node.close()
        store.close()


def test_a_peer_receives_no_reference_to_what_does_not_exist_for_it(db_url: str,
                                                                    tmp_path: Path) -> None:
    whole = _pull(db_url, tmp_path / "whole", hidden=True)
    without = _pull(f"sqlite:///{tmp_path / 'twin.sqlite'}", tmp_path / "twin", hidden=False)
    assert json.dumps(whole, sort_keys=True) == json.dumps(without, sort_keys=True)
    text = json.dumps(whole)
    for gone in MISSING:
        sid = object_id(gone, SCHEMAS[gone[0]])
        assert sid not in text and f'"{gone}"' not in text, gone
    served = {o["id"] for o in whole}
    assert {object_id(i, SCHEMAS[i[0]]) for i in EXISTING} <= served
