"""Asking peers (``federation/deconflict_remote.py``): one open client per peer, kept
while its record stands; a peer the index pull could not reach is not asked to evaluate."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

import pytest

from tearline.deconflict import group, threshold
from tearline.errors import PeerError, PeerRefused
from tearline.federation.deconflict_remote import PeerClients, ask_peers, told
from tearline.federation.identity import init_node
from tearline.store import Peer


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Peer]:
    """This node's keys folder, and a peer as the store holds it (its certificate pinned;
    nothing listens at its address)."""
    keys = tmp_path_factory.mktemp("remote") / "keys"
    them = init_node(keys.parent / "theirs", "us.dea", "us.dea.sod").identity
    init_node(keys, "mx.semar", "mx.semar.uie")
    return keys, Peer(them.name, them.agency, them.unit, them.verifier_key,
                      them.cert_sha256, them.tls_certificate, "https://127.0.0.1:9/taxii2/")


def test_a_peer_keeps_one_client_until_its_record_changes(made: tuple[Path, Peer]) -> None:
    keys, peer = made
    clients = PeerClients(keys, timeout=5.0)
    first = clients.get(peer)
    assert clients.get(peer) is first  # no SSL context, certificate or handshake again
    moved = replace(peer, url="https://127.0.0.1:10/taxii2/")
    second = clients.get(moved)
    assert second is not first and clients.get(moved) is second
    with pytest.raises(PeerError, match="closed"):  # the old address's client is closed
        first.get_json("/taxii2/")
    clients.close()
    with pytest.raises(PeerError, match="closed"):
        second.get_json("/taxii2/")


def test_a_peer_the_pull_could_not_reach_is_not_asked(made: tuple[Path, Peer]) -> None:
    keys, peer = made
    share = threshold.split(group.random_scalar(), 2, 3)[0]
    pulled: Future[dict[str, str]] = Future()
    pulled.set_result({peer.name: "the pull was refused"})
    unavailable: dict[str, str] = {}
    clients = PeerClients(keys, timeout=5.0)
    with pytest.raises(PeerError) as caught:
        ask_peers(clients, [peer], "ab" * 16, share, [b"\x00" * 32], unavailable, pulled)
    # asked, it would have failed to connect, with another reason
    assert unavailable == {peer.name: "the pull was refused"}
    assert caught.value.message.endswith(f"{peer.name}: the pull was refused")
    clients.close()


@pytest.mark.parametrize("status", [429, 403, 502])
def test_a_unit_is_told_of_a_refusal_in_this_nodes_words(made: tuple[Path, Peer],
                                                          status: int) -> None:
    """A peer's refusal text never reaches the checking unit: the peer writes it (a
    hostile one could write anything), and a quota refusal's count is every unit of this
    node at that peer."""
    _, peer = made
    theirs = ("POST /taxii2/api/tearline/deconflict/evaluate/: the peer answered "
              f"{status}: unit mx.semar.uie would exceed its daily quota of 100 "
              "evaluations on this node (97 used today); call +52 55 1234 5678")
    said = told(peer, PeerRefused(theirs, status))
    assert "97" not in said and "+52" not in said and "mx.semar.uie" not in said
    assert ("quota" in said) == (status == 429)
    assert str(status) in said or status == 429


def test_a_peer_not_reached_is_told_as_this_node_found_it(made: tuple[Path, Peer]) -> None:
    _, peer = made
    assert told(peer, PeerError("the peer did not answer in time")) == (
        "the peer did not answer in time")
