"""A TAXII answer carries its peer's fingerprint (``taxii/service.py``, ``docs/trace.md``):
for each of three peers, the objects it pulled, re-serialized as a leaker's tool would,
name that peer in ``tearline trace``; ids and versions are every peer's same; a public
record's object carries no mark."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from taxiiworld import DEA, ROOT, Node, T
from typer.testing import CliRunner

from tearline.cli import app
from tearline.cli.common import STATE
from tearline.federation.identity import init_node
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Unit
from tearline.model.record import build_record
from tearline.stix.extensions import RECORD_EXTENSION_ID
from tearline.store import parties
from tearline.store.peers import Peer, add_peer
from tearline.store.store import Store
from tearline.taxii.collection import collection_id

PEERS = (("mx.semar", "mx.semar.uie"), ("mx.fgr", "mx.fgr.aic"), ("mx.sspc", "mx.sspc.gn"))
OBJECTS = f"{ROOT}collections/{collection_id('agr-tri')}/objects/?limit=1000"


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    tmp = tmp_path_factory.mktemp("taxii-trace")
    store = Store.open(f"sqlite:///{tmp / 'dea.sqlite'}")
    made = init_node(tmp / "dea-keys", "us.dea", "us.dea.sod")
    with store.transaction() as conn:
        for agency in ("us.dea", *(a for a, _ in PEERS)):
            parties.put_agency(conn, Agency(agency, agency.upper(), agency[:2]), T)
        for unit in ("us.dea.sod", *(u for _, u in PEERS)):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
        parties.put_agreement(conn, Agreement("agr-tri", "Trilateral", "bilateral", frozenset(
            {"us.dea", *(a for a, _ in PEERS)})), T)
    shared = Marking.build("AMBER", [f"agency:{a}" for a, _ in PEERS], legal_basis="agr-tri")
    store.write([build_record(f"p-{n}", "Person", {
        "name": [f"Persona {n}"], "alias": [f"Uno {n}", f"Dos {n}", f"Tres {n}"],
        "birthDate": [f"19{70 + n}-01-02"]}, DEA, shared, keyer=store.keyer) for n in range(5)]
        + [build_record("p-public", "Person", {"name": ["Publico"], "alias": ["A", "B"]}, DEA,
                        Marking.build("CLEAR"), keyer=store.keyer)])
    peers = {}
    for agency, unit in PEERS:
        peer = Peer.from_identity(init_node(tmp / f"{unit}-keys", agency, unit).identity)
        with store.transaction() as conn:
            add_peer(conn, peer, T)
        peers[unit] = (peer, tmp / f"{unit}-keys")
    served = Node(store, made.identity, made.key, peers)
    yield served
    served.close()
    store.close()


def _pull(node: Node, unit: str) -> list[dict[str, object]]:
    answer = node.as_peer(unit).get(OBJECTS)
    assert answer.status == 200, answer.body
    return list(answer.body["objects"])


def _trace(node: Node, path: Path) -> list[str]:
    url = str(node.store.engine.url)
    try:
        result = CliRunner().invoke(app, ["--db-url", url, "trace", str(path), "--format",
                                          "json"])
    finally:
        STATE.close()
    assert result.exit_code == 0, result.output
    return [f["recipient"] for f in json.loads(result.stdout) if f["named"]]


@pytest.mark.parametrize("unit", [u for _, u in PEERS])
def test_a_pulled_bundle_names_its_peer_after_reserialization(
        node: Node, tmp_path: Path, unit: str) -> None:
    objects = _pull(node, unit)
    marks = {o["extensions"][RECORD_EXTENSION_ID].get("copy")  # type: ignore[index]
             for o in objects if RECORD_EXTENSION_ID in (o.get("extensions") or {})}
    assert len(marks - {None}) == 1 and None in marks  # the public record is not marked
    bundle: dict[str, Any] = {
        "type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000000",
        "objects": sorted(objects, key=lambda o: str(o["id"]))}
    leak = tmp_path / "bundle.json"
    leak.write_text(json.dumps(bundle, sort_keys=True, indent=2), "utf-8")
    assert _trace(node, leak) == [f"unit:{unit}"]
    # the copy marks cut out: the order of each record's statements still names the peer
    for obj in bundle["objects"]:
        payload = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
        if isinstance(payload, dict):
            payload.pop("copy", None)
    leak.write_text(json.dumps(bundle), "utf-8")
    assert _trace(node, leak) == [f"unit:{unit}"]


def test_every_peer_is_sent_the_same_ids_and_versions(node: Node) -> None:
    """Receipts and recalls name (id, version): the fingerprint changes neither."""
    seen = [sorted((str(o["id"]), str(o.get("modified"))) for o in _pull(node, u))
            for _, u in PEERS]
    assert seen[0] == seen[1] == seen[2]
