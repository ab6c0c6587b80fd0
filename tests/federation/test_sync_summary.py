"""What a sync tells its administrator: why objects were skipped (counted by reason) and
why nothing was pulled when the peer offers no collection (no agreement), on both
backends."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sync_world import seed_parties
from test_witnessing import SEMAR, client_of, partner, semar_key

from statement_keys import TEST_KEYER
from store_template import copy_to
from taxii.taxiiworld import Node, T, build_node
from tearline.federation import skipped
from tearline.federation.partners import Partner
from tearline.federation.results import CollectionResult
from tearline.federation.sync import Puller
from tearline.federation.taxii_resources import Page
from tearline.keys import create_node_key
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.stix.export import to_stix
from tearline.store import parties
from tearline.store.store import Store

ROOT = "https://127.0.0.1:9443/taxii2/api/"
FROM_SEMAR = Partner("mx.semar.uie", "mx.semar", "https://127.0.0.1:9443/taxii2/",
                     signed=True, verifier_key="unused")


def test_skipped_objects_are_counted_by_reason(store: Store, tmp_path: Path) -> None:
    seed_parties(store)
    key, _ = create_node_key(tmp_path / "keys", "us.dea.sod")
    puller = Puller(store, FROM_SEMAR, node_key=key, own_agency="us.dea",
                    node_name="us.dea.sod")
    marking = Marking.build("AMBER", ["agency:us.dea"],
                            legal_basis="us-mx/bicentennial-framework-2021")
    by = Provenance("mx.semar", "mx.semar.uie", T)
    boss = build_record("o-1", "Organization", {"name": ["Cartel X"], "topics": ["crime"]},
                        by, marking, keyer=TEST_KEYER)
    member = build_record("p-1", "Person", {"name": ["Persona Uno"]}, by, marking,
                          keyer=TEST_KEYER)
    link = build_record("m-1", "Membership", {"member": ["p-1"], "organization": ["o-1"]},
                        by, marking, keyer=TEST_KEYER)
    objects = to_stix([boss, member, link]).bundle["objects"]
    out = CollectionResult("c1", "semar")
    puller.store_page(ROOT, "c1", Page(tuple(objects), False, None, None,
                                       "2026-01-05T00:00:00.000001Z"), out)
    assert out.records_stored == 3 and out.refused == []
    assert sum(out.skipped_reasons.values()) == out.skipped > 0
    kinds = Counter(o["type"] for o in objects)
    assert out.skipped_reasons[skipped.MARKING] == kinds["marking-definition"]
    assert out.skipped_reasons[skipped.EXTENSION] == kinds["extension-definition"]
    assert out.skipped_reasons[skipped.DERIVED] >= 2  # threat actors of the two criminals
    assert set(out.skipped_reasons) <= {skipped.MARKING, skipped.EXTENSION, skipped.DERIVED,
                                        skipped.IDENTITY}
    assert skipped.describe(out.skipped_reasons)[0].split(" × ")[0] == (
        f"{max(out.skipped_reasons.values()):,}")


@pytest.fixture
def dea_alone(store: Store, tmp_path: Path) -> Node:
    """dea's node whose agreements no longer bind semar's agency."""
    node = build_node(store, tmp_path / "dea")
    with store.transaction() as conn:
        for aid, members in (("agr-semar", {"us.dea"}), ("agr-other", {"mx.fgr"})):
            parties.put_agreement(conn, Agreement(aid, f"Agreement {aid}", "bilateral",
                                                  frozenset(members)), T)
    return node


@pytest.mark.parametrize("ours", [False, True])
def test_a_peer_without_a_shared_agreement_is_explained(dea_alone: Node, tmp_path: Path,
                                                        store_template: Path,
                                                        ours: bool) -> None:
    semar = Store.open(copy_to(store_template, f"sqlite:///{tmp_path / 'semar.sqlite'}"))
    client = client_of(dea_alone)
    try:
        with semar.transaction() as conn:
            for agency in ("us.dea", "mx.semar"):
                parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        if ours:  # recorded on semar's node only: dea's node must record it too
            with semar.transaction() as conn:
                parties.put_agreement(conn, Agreement(
                    "us-mx/framework", "Framework", "bilateral",
                    frozenset({"us.dea", "mx.semar"})), T)
        result = Puller(semar, partner(dea_alone), node_key=semar_key(dea_alone),
                        own_agency="mx.semar", node_name=SEMAR).run(client)
    finally:
        client.close()
        semar.close()
        dea_alone.close()
    assert result.collections == []
    (note,) = result.notes
    assert "offers no collection" in note and "tearline party add-agreement" in note
    assert "--party us.dea --party mx.semar" in note
    assert ("This node records us-mx/framework" in note) is ours
    assert ("Record the agreement on both nodes" in note) is not ours
