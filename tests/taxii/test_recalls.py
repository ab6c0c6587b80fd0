"""Recalls through TAXII, on both backends: a record served to a peer and then recalled is
listed for that peer until it returns a signed purge receipt; forged receipts are refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from taxiiworld import DEA, ROOT, Node, build_node, log

from statement_keys import TEST_KEYER
from tearline.federation.receipts import build_purge_receipt
from tearline.keys import load_node_key
from tearline.model.marking import Marking, Selector
from tearline.model.record import build_record
from tearline.policy.subject import Subject
from tearline.stix.export import object_id
from tearline.store import releases
from tearline.store.store import Store
from tearline.taxii.collection import collection_id

SEMAR = "mx.semar.uie"
FGR = "mx.fgr.aic"
OBJECTS = f"{ROOT}collections/{collection_id('agr-semar')}/objects/"
RECALLS = f"{ROOT}tearline/recalls/"
PURGES = f"{ROOT}tearline/purge-receipts/"
SOD = Subject("us.dea.sod", "us.dea")


@pytest.fixture
def node(store: Store, tmp_path: Path) -> Iterator[Node]:
    built = build_node(store, tmp_path)
    store.write([build_record("p-released", "Person", {"name": ["Rita Mora"]}, DEA,
                              Marking.build("AMBER", ["unit:us.dea.sod"],
                                            legal_basis="agr-semar"), keyer=TEST_KEYER)])
    with store.transaction() as conn:
        releases.release(conn, SOD, "p-released", Selector.parse("unit:mx.semar.uie"),
                         "agr-semar", datetime.now(UTC) - timedelta(minutes=1), "test")
    yield built
    built.close()


def test_a_recalled_release_is_pending_until_purged(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    sid = object_id("p-released", "Person")
    assert sid in {o["id"] for o in semar.get(OBJECTS).body["objects"]}
    assert semar.get(RECALLS).body == {"recalls": []}
    with node.store.transaction() as conn:
        releases.recall(conn, SOD, "p-released", datetime.now(UTC), "test")
    assert sid not in {o["id"] for o in semar.get(OBJECTS).body.get("objects", [])}
    (recall,) = semar.get(RECALLS).body["recalls"]
    assert (recall["entity_id"], recall["object_id"], recall["version"]) == (
        "p-released", sid, 1)
    assert semar.get(RECALLS).body["recalls"] == [recall]  # stable id
    assert node.as_peer(FGR).get(RECALLS).body == {"recalls": []}  # fgr never had it

    key = load_node_key(node.peers[SEMAR][1])
    receipt = build_purge_receipt(key, SEMAR, recall, datetime.now(UTC))
    done = semar.request("POST", PURGES, body=json.dumps(receipt).encode())
    assert done.status == 200 and done.body["recall_id"] == recall["recall_id"]
    assert semar.get(RECALLS).body == {"recalls": []}
    (ack,) = log(node.store, "recall.acknowledged")
    assert (ack["recall_id"], ack["entity_id"], ack["recipient"]) == (
        recall["recall_id"], "p-released", f"node:{SEMAR}")
    again = semar.request("POST", PURGES, body=json.dumps(receipt).encode())
    assert again.status == 404  # nothing pending any more


def test_forged_and_unknown_purge_receipts(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    semar.get(OBJECTS)
    with node.store.transaction() as conn:
        releases.recall(conn, SOD, "p-released", datetime.now(UTC), "test")
    (recall,) = semar.get(RECALLS).body["recalls"]
    fgr_key = load_node_key(node.peers[FGR][1])
    semar_key = load_node_key(node.peers[SEMAR][1])
    forged = build_purge_receipt(fgr_key, SEMAR, recall, datetime.now(UTC))
    assert semar.request("POST", PURGES, body=json.dumps(forged).encode()).status == 400
    wrong_node = build_purge_receipt(semar_key, FGR, recall, datetime.now(UTC))
    assert semar.request("POST", PURGES, body=json.dumps(wrong_node).encode()).status == 400
    unknown = build_purge_receipt(semar_key, SEMAR, {**recall, "recall_id": "rc-0"},
                                  datetime.now(UTC))
    assert semar.request("POST", PURGES, body=json.dumps(unknown).encode()).status == 404
    # fgr cannot acknowledge semar's recall, even with a receipt fgr signed itself
    fgr = node.as_peer(FGR)
    own = build_purge_receipt(fgr_key, FGR, recall, datetime.now(UTC))
    assert fgr.request("POST", PURGES, body=json.dumps(own).encode()).status == 404
    assert [e["reason"] for e in log(node.store, "receipt.refused")] == [
        "bad-signature", "wrong-node"]
    assert log(node.store, "recall.acknowledged") == []
    assert semar.get(RECALLS).body["recalls"] == [recall]


def test_a_version_1_purge_receipt_of_a_node_not_yet_upgraded_is_accepted(node: Node) -> None:
    """Version 1 carried the number of statements purged; it is accepted, never sent."""
    from tearline.federation.signing import sign_document

    semar = node.as_peer(SEMAR)
    semar.get(OBJECTS)
    with node.store.transaction() as conn:
        releases.recall(conn, SOD, "p-released", datetime.now(UTC), "test")
    (recall,) = semar.get(RECALLS).body["recalls"]
    key = load_node_key(node.peers[SEMAR][1])
    fields = {"type": "tearline-purge-receipt", "version": 1, "node": SEMAR,
              "recall_id": recall["recall_id"], "entity_id": "p-released",
              "at": "2026-02-01T00:00:00.000000Z"}
    no_count = sign_document(key, fields)
    assert semar.request("POST", PURGES, body=json.dumps(no_count).encode()).status == 400
    old = sign_document(key, {**fields, "statements_purged": 1})
    assert semar.request("POST", PURGES, body=json.dumps(old).encode()).status == 200
    assert semar.get(RECALLS).body == {"recalls": []}


def test_a_recall_id_does_not_move_with_a_change_the_peer_may_not_see(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    semar.get(OBJECTS)
    with node.store.transaction() as conn:
        releases.recall(conn, SOD, "p-released", datetime.now(UTC), "test")
    (before,) = semar.get(RECALLS).body["recalls"]
    # the DEA adds a portion for itself alone to the recalled record
    node.store.write([build_record(
        "p-released", "Person", {"name": ["Rita Mora"], "birthDate": ["1961-09-27"]}, DEA,
        Marking.build("AMBER", ["unit:us.dea.sod"], legal_basis="agr-semar"),
        {"birthDate": Marking.build("AMBER+STRICT")}, keyer=TEST_KEYER)])
    assert semar.get(RECALLS).body["recalls"] == [before]
