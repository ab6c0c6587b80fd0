"""The log's side of witnessing through TAXII, on both backends: our checkpoint with a
consistency proof from any earlier size, and peers' cosignatures kept only when they
are genuine (every answer signed; every refusal typed and audited)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from taxiiworld import DEA, ROOT, Node, build_node, log

from statement_keys import TEST_KEYER
from tearline.audit.checkpoint import (
    Checkpoint,
    add_cosignature,
    parse_note,
    sign_note,
    verify_note,
)
from tearline.audit.note import parse_verifier_key
from tearline.audit.proof_check import verify_consistency
from tearline.keys import load_node_key
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.store import audit_log
from tearline.store import audit_tables as at
from tearline.store.store import Store

SEMAR = "mx.semar.uie"
FGR = "mx.fgr.aic"
CHECKPOINT = f"{ROOT}tearline/checkpoint/"
COSIGN = f"{ROOT}tearline/cosignatures/"


@pytest.fixture
def node(store: Store, tmp_path: Path) -> Iterator[Node]:
    built = build_node(store, tmp_path)
    yield built
    built.close()


def opened(node: Node, note: str) -> Checkpoint:
    name, key = parse_verifier_key(node.identity.verifier_key)
    return verify_note(note, name, key)


def grow(node: Node, n: int) -> None:
    to_semar = Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr-semar")
    node.store.write([build_record(f"p-grow-{n}-{i}", "Person", {"name": [f"Grow {n} {i}"]},
                                   DEA, to_semar, keyer=TEST_KEYER) for i in range(3)])


def cosignature(note: str) -> bytes:
    return json.dumps({"type": "tearline-cosignature", "version": 1, "note": note}).encode()


def test_the_checkpoint_is_signed_and_proves_consistency_from_any_earlier_size(
        node: Node) -> None:
    semar = node.as_peer(SEMAR)
    first = semar.get(CHECKPOINT + "?from=0")
    assert first.status == 200 and first.body["type"] == "tearline-checkpoint"
    old = opened(node, first.body["checkpoint"])
    with node.store.reading() as conn:
        assert old.size == first.body["size"] and old.size <= audit_log.size(conn)
        assert audit_log.root(conn, old.size)[1] == old.root
    assert first.body["consistency"] == [] and first.body["from"] == 0
    grow(node, 1)
    for from_size in (1, old.size // 2, old.size):
        answer = semar.get(f"{CHECKPOINT}?from={from_size}")
        new = opened(node, answer.body["checkpoint"])
        assert new.size > old.size and answer.body["from"] == from_size
        with node.store.reading() as conn:
            _, old_root = audit_log.root(conn, from_size)
        proof = [bytes.fromhex(h) for h in answer.body["consistency"]]
        verify_consistency(from_size, new.size, old_root, new.root, proof)
    # the same size is signed once: asking again without growth returns the same note
    again = semar.get(f"{CHECKPOINT}?from={new.size}")
    assert again.body["checkpoint"] == answer.body["checkpoint"]
    assert again.body["consistency"] == []


def test_a_size_beyond_the_log_gets_no_proof_and_bad_parameters_are_typed_errors(
        node: Node) -> None:
    semar = node.as_peer(SEMAR)
    beyond = semar.get(f"{CHECKPOINT}?from=99999999")
    assert beyond.status == 200 and beyond.body["consistency"] == []
    assert beyond.body["size"] < 99999999
    for query in ("?from=x", "?from=-1", "?from=1&from=2", "?from=1e3", "?size=3",
                  "?from=" + "9" * 40):
        bad = semar.get(CHECKPOINT + query)
        assert bad.status == 400, query
    anonymous = node.client(None).get(CHECKPOINT)
    assert anonymous.status == 401


def test_a_genuine_cosignature_is_kept_once_and_audited(node: Node) -> None:
    semar = node.as_peer(SEMAR)
    note = semar.get(CHECKPOINT).body["checkpoint"]
    key = load_node_key(node.peers[SEMAR][1])
    cosigned = add_cosignature(note, key.name, key.private_key)
    done = semar.request("POST", COSIGN, body=cosignature(cosigned))
    checkpoint = opened(node, note)
    assert done.status == 200 and done.body == {
        "type": "tearline-cosignature-recorded", "size": checkpoint.size,
        "root": checkpoint.root.hex(), "new": True}
    again = semar.request("POST", COSIGN, body=cosignature(cosigned))
    assert again.status == 200 and again.body["new"] is False
    with node.store.reading() as conn:
        kept = conn.execute(at.audit_cosignatures.select()).all()
    assert [(r.size, r.witness, r.note) for r in kept] == [(checkpoint.size, SEMAR, cosigned)]
    (entry,) = log(node.store, "checkpoint.cosigned")
    assert (entry["log"], entry["witness"], entry["size"], entry["root"]) == (
        f"node:{node.identity.name}", f"node:{SEMAR}", checkpoint.size, checkpoint.root.hex())
    assert log(node.store, "checkpoint.refused") == []


def test_forged_foreign_and_malformed_cosignatures_are_refused_and_audited(
        node: Node) -> None:
    semar = node.as_peer(SEMAR)
    note = semar.get(CHECKPOINT).body["checkpoint"]
    checkpoint = opened(node, note)
    semar_key = load_node_key(node.peers[SEMAR][1])
    fgr_key = load_node_key(node.peers[FGR][1])
    # fgr's cosignature, sent over semar's connection: not semar's
    by_fgr = add_cosignature(note, fgr_key.name, fgr_key.private_key)
    # semar's key under fgr's name: the key id does not match, the signature is ignored
    misnamed = add_cosignature(note, FGR, semar_key.private_key)
    # a checkpoint we never signed, signed with our own key (a fork of our log)
    fork = Checkpoint(checkpoint.origin, checkpoint.size, bytes(32))
    forked = add_cosignature(sign_note(fork, node.key.name, node.key.private_key),
                             semar_key.name, semar_key.private_key)
    # a checkpoint of our origin signed by someone else's key
    imposter = sign_note(checkpoint, semar_key.name, semar_key.private_key)
    # our note, with its signature line cut: only semar's cosignature is left
    unsigned_ours = add_cosignature(note, semar_key.name, semar_key.private_key).replace(
        parse_note(note).signatures[0].line(), "")
    assert len(parse_note(unsigned_ours).signatures) == 1
    cases: list[tuple[bytes, int, str]] = [
        (cosignature(by_fgr), 400, "bad-signature"),
        (cosignature(misnamed), 400, "bad-signature"),
        (cosignature(note), 400, "bad-signature"),  # not cosigned at all
        (cosignature(forked), 400, "unknown-checkpoint"),
        (cosignature(imposter), 400, "unknown-checkpoint"),
        (cosignature(unsigned_ours), 400, "unknown-checkpoint"),
        (b"not json", 400, "malformed"),
        (json.dumps({"type": "tearline-receipt", "version": 1, "note": note}).encode(), 400,
         "malformed"),
        (cosignature("origin\n12\nnot a root\n\n— x abc\n"), 400, "malformed"),
        (cosignature("x" * 20_000), 400, "malformed"),
    ]
    for body_bytes, status, reason in cases:
        answer = semar.request("POST", COSIGN, body=body_bytes)
        assert answer.status == status, (reason, answer.body)
        refused = log(node.store, "checkpoint.refused")[-1]
        assert (refused["reason"], refused["witness"]) == (reason, f"node:{SEMAR}")
    assert len(log(node.store, "checkpoint.refused")) == len(cases)
    assert log(node.store, "checkpoint.cosigned") == []
    with node.store.reading() as conn:
        assert conn.execute(at.audit_cosignatures.select()).all() == []
