"""Accepting a peer's deconfliction documents (``federation/deconflict_docs.py``): a
notice speaks for the peer's own agency only; a document whose id another node's
document holds is refused, not skipped as known.

A hostile partner node holds an agreement with DEA and pulls DEA's index, so it knows
the ids of DEA's registrations. It must not be able to tell a DEA unit that a unit of
*another* agency (one the DEA unit would then call) checked and met its target: a notice
whose checker is not of the sending node's agency is refused and logged, as a
registration naming another agency is.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tearline.audit.events import FederationRefused
from tearline.deconflict import documents as docs
from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.federation.deconflict_docs import accept_page, sign
from tearline.federation.identity import init_node
from tearline.keys import NodeKey, load_node_key
from tearline.store import Peer, Store, audit_log, deconflict_index, peers

AT = datetime(2026, 12, 7, 22, tzinfo=UTC)
STAMP = "2026-12-07T21:00:00.000000Z"


@pytest.fixture
def world(store: Store, tmp_path: Path) -> tuple[Peer, NodeKey, str]:
    """DEA's node (this store) holding one registration of SOD's, SEMAR's node as its
    peer; returns SEMAR's peer record, SEMAR's node key, and the registration's id."""
    seed_parties(store, datetime(2024, 1, 1, tzinfo=UTC))
    dea = init_node(tmp_path / "dea", scenario.US_DEA, scenario.SOD).identity
    semar = init_node(tmp_path / "semar", scenario.MX_SEMAR, scenario.UIE).identity
    peer = Peer(semar.name, semar.agency, semar.unit, semar.verifier_key, semar.cert_sha256,
                semar.tls_certificate, "https://127.0.0.1:9/taxii2/")
    registration = docs.Batch(docs.new_id("db"), scenario.US_DEA, scenario.SOD,
                              "duty officer of SOD", STAMP, "2030-01-01T00:00:00.000000Z",
                              dea.name, ((docs.new_id("dr"), "ab" * 32, "phone"),))
    dea_key = load_node_key(tmp_path / "dea")
    with store.transaction() as conn:
        peers.add_peer(conn, peer, AT)
        deconflict_index.store_documents(conn, [(registration, sign(dea_key, registration))],
                                         dea.name, AT)
    return peer, load_node_key(tmp_path / "semar"), registration.entries[0][0]


def _notice(peer: Peer, registration_id: str, agency: str, unit: str) -> docs.NoticeBatch:
    return docs.NoticeBatch(docs.new_id("dh"), scenario.US_DEA, agency, unit,
                            scenario.SECURITY_FRAMEWORK, STAMP, peer.name,
                            ((docs.new_id("dn"), registration_id),))


@pytest.mark.parametrize("agency, unit, reason", [
    # another agency's unit, in that agency's name
    (scenario.MX_FGR, scenario.FEMDO, "third-agency"),
    # the peer's agency, another agency's unit: not a document that parses
    (scenario.MX_SEMAR, scenario.FEMDO, "malformed"),
])
def test_a_notice_in_another_agencys_name_is_refused(
        store: Store, world: tuple[Peer, NodeKey, str], agency: str, unit: str,
        reason: str) -> None:
    peer, key, registration_id = world
    forged = _notice(peer, registration_id, agency, unit)
    honest = _notice(peer, registration_id, scenario.MX_SEMAR, scenario.UIE)
    with store.transaction() as conn:
        stored = accept_page(conn, peer, scenario.US_DEA,
                             [sign(key, forged), sign(key, honest)], AT)
    assert [d.id for d in stored] == [honest.id]
    with store.reading() as conn:
        told = deconflict_index.notices_for_unit(conn, scenario.SOD)
        refused = [e.event() for e in audit_log.entries(conn, limit=1_000_000)
                   if e.kind == "federation.refused"]
    assert {(n.checker_agency, n.checker_unit) for n in told} == {
        (scenario.MX_SEMAR, scenario.UIE)}
    assert [(e.object_id, e.reason) for e in refused if isinstance(e, FederationRefused)] == [
        (forged.id if reason == "third-agency" else None, reason)]


def test_an_id_taken_by_another_nodes_document_is_refused_and_logged(
        store: Store, world: tuple[Peer, NodeKey, str], tmp_path: Path) -> None:
    """FGR's node pulls SEMAR's feed too, and signs a batch of its own under the id of
    SEMAR's newest batch before this node pulls SEMAR: SEMAR's batch cannot be stored
    under that id, and its refusal is in the log (it used to be skipped as known)."""
    semar, semar_key, _ = world
    them = init_node(tmp_path / "fgr", scenario.MX_FGR, scenario.FEMDO).identity
    fgr = Peer(them.name, them.agency, them.unit, them.verifier_key, them.cert_sha256,
               them.tls_certificate, "https://127.0.0.1:9/taxii2/")
    honest = docs.Batch(docs.new_id("db"), scenario.MX_SEMAR, scenario.UIE, "UIE desk",
                        STAMP, "2030-01-01T00:00:00.000000Z", semar.name,
                        ((docs.new_id("dr"), "cd" * 32, "phone"),))
    squat = docs.Batch(honest.id, scenario.MX_FGR, scenario.FEMDO, "FEMDO desk", STAMP,
                       "2030-01-01T00:00:00.000000Z", fgr.name,
                       ((docs.new_id("dr"), "ef" * 32, "phone"),))
    with store.transaction() as conn:
        peers.add_peer(conn, fgr, AT)
        taken = accept_page(conn, fgr, scenario.US_DEA,
                            [sign(load_node_key(tmp_path / "fgr"), squat)], AT)
        again = accept_page(conn, fgr, scenario.US_DEA,
                            [sign(load_node_key(tmp_path / "fgr"), squat)], AT)
        refused = accept_page(conn, semar, scenario.US_DEA, [sign(semar_key, honest)], AT)
    assert [d.id for d in taken] == [honest.id] and again == [] and refused == []
    with store.reading() as conn:
        logged = [e.event() for e in audit_log.entries(conn, limit=1_000_000)
                  if e.kind == "federation.refused"]
    assert [(e.peer, e.object_id, e.reason) for e in logged
            if isinstance(e, FederationRefused)] == [(f"node:{semar.name}", honest.id,
                                                      "overwrite")]
