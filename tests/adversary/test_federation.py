"""What our node sends a peer it pulls from (signed receipts, purge receipts): nothing
depends on which ids exist here under another originator, hidden from that peer
(paths: ``paths_federation.py``)."""

from __future__ import annotations

import pytest

from adversary.lab import Lab, noninterference
from adversary.paths_federation import receipts, run_federation
from adversary.secrecy import UIE
from adversary.worlds import Backend, Place


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_federation)


test_receiver_id = noninterference("federation", "receiver_id", (UIE,))
test_other_activity = noninterference("federation", "other_activity", (UIE,))


def test_the_peer_receives_receipts_and_purge_receipts(lab: Lab) -> None:
    """Not vacuous: without any secret, the peer gets a receipt per new page and a purge
    receipt per recall, naming what it sent."""
    sent = receipts(lab.without_secret(UIE))
    kinds = [doc["type"] for doc in sent]
    assert kinds.count("tearline-receipt") == 2 and kinds.count("tearline-purge-receipt") == 3
    first = sent[0]
    assert len(first["objects"]) >= 3 and first["node"] == "us.dea.sod"
