"""Which peers a check pulls from and asks (``federation/deconflict_partners.py``): only
those whose agency an agreement in force binds with ours; the agreements are read
again when one is recorded, and decided at each call's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tearline.deconflict import group, threshold
from tearline.deconflict.selectors import Selector
from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.errors import PeerError
from tearline.federation.deconflict_flow import Deconfliction
from tearline.federation.deconflict_partners import Partners
from tearline.federation.identity import init_node
from tearline.model.parties import Agreement
from tearline.store import Peer, Store, deconflict_keys, parties, peers

AT = datetime(2026, 12, 7, 22, tzinfo=UTC)
#: Nothing listens here: a peer that is asked fails to connect.
NOWHERE = "https://127.0.0.1:9/taxii2/"


@pytest.fixture
def semar(store: Store, tmp_path: Path) -> Path:
    """SEMAR's node (its keys folder) with DEA's and FGR's nodes as peers; the demo's
    agreements bind DEA with SEMAR and DEA with FGR, none SEMAR with FGR."""
    seed_parties(store, datetime(2024, 1, 1, tzinfo=UTC))
    keys = tmp_path / "semar"
    init_node(keys, scenario.MX_SEMAR, scenario.UIE)
    with store.transaction() as conn:
        for folder, agency, unit in (("dea", scenario.US_DEA, scenario.SOD),
                                     ("fgr", scenario.MX_FGR, scenario.FEMDO)):
            them = init_node(tmp_path / folder, agency, unit).identity
            peers.add_peer(conn, Peer(them.name, them.agency, them.unit, them.verifier_key,
                                      them.cert_sha256, them.tls_certificate, NOWHERE), AT)
    return keys


def _agencies(store: Store, partners: Partners, at: datetime) -> set[str]:
    with store.reading() as conn:
        return {peer.agency for peer in partners.peers(conn, scenario.MX_SEMAR, at)}


def test_a_peer_bound_by_no_agreement_is_not_pulled(store: Store, semar: Path) -> None:
    flow = Deconfliction(store, semar, clock=lambda: AT, timeout=5.0)
    try:
        failed = flow.sync()
    finally:
        flow.close()
    with store.reading() as conn:
        names = {p.agency: p.name for p in peers.peers(conn)}
    # DEA's node was tried (nothing listens); FGR's would refuse, so it is not asked
    assert set(failed) == {names[scenario.US_DEA]}


def test_a_peer_bound_by_no_agreement_is_not_asked_to_evaluate(store: Store, semar: Path
                                                               ) -> None:
    with store.transaction() as conn:
        deconflict_keys.install_share(conn, "ab" * 16, threshold.split(
            group.random_scalar(), 2, 3)[1], AT, "test")
    flow = Deconfliction(store, semar, clock=lambda: AT, timeout=5.0)
    try:
        with pytest.raises(PeerError) as refused:
            flow.check(store.subject(scenario.UIE), [Selector("phone", "+526671234567")])
    finally:
        flow.close()
    # DEA's node could not be reached; FGR's, which holds a share, was not asked either
    assert refused.value.message.startswith("1 of the 2 key-share holders needed answered: ")
    assert scenario.SOD in refused.value.message
    assert scenario.FEMDO not in refused.value.message


def test_the_agreements_are_read_again_when_one_is_recorded(store: Store, semar: Path
                                                            ) -> None:
    partners = Partners()
    with store.reading() as conn:
        first = partners.agreements(conn)
        assert partners.agreements(conn) is first  # nothing recorded since: not read again
    assert _agencies(store, partners, AT) == {scenario.US_DEA}
    starts = AT + timedelta(days=1)
    with store.transaction() as conn:
        parties.put_agreement(conn, Agreement(
            "mx-naval-prosecution", "SEMAR–FGR deconfliction", "memorandum",
            frozenset({scenario.MX_SEMAR, scenario.MX_FGR}), valid_from=starts), AT)
    assert _agencies(store, partners, AT) == {scenario.US_DEA}  # recorded, not yet in force
    assert _agencies(store, partners, starts) == {scenario.US_DEA, scenario.MX_FGR}
    with store.reading() as conn:
        assert partners.between(conn, scenario.MX_FGR, scenario.MX_SEMAR, starts) == (
            "mx-naval-prosecution")
        assert partners.between(conn, scenario.MX_SEMAR, scenario.MX_SEMAR, AT) == ""
