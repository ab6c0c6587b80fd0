"""What partners received of a release: the receipts naming its record's object while it
was in force, and the recalls they acknowledged since; on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from statement_keys import TEST_KEYER
from tearline.audit.events import RecallAcknowledged
from tearline.demo import scenario as sc
from tearline.demo.load import seed_parties
from tearline.model.marking import Marking, Selector
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.stix.export import object_id
from tearline.store import audit_log, delivery_receipts, releases
from tearline.store.peers import Peer
from tearline.store.store import Store

AT = datetime(2026, 1, 5, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)


def peer(name: str, agency: str, unit: str) -> Peer:
    return Peer(name, agency, unit, "key", "0" * 64, "", "https://peer.example/taxii2/")


SEMAR_NODE = peer("semar.node", sc.MX_SEMAR, sc.UIE)
FGR_NODE = peer("fgr.node", sc.MX_FGR, sc.FEMDO)


def test_a_release_shows_what_the_peer_it_reaches_acknowledged(store: Store) -> None:
    seed_parties(store, AT - timedelta(days=30))
    store.write([build_record("dea-v-1", "Vessel", {"name": ["Lancha"]},
                              Provenance(sc.US_DEA, sc.SOD, AT - HOUR),
                              Marking.build("AMBER", [f"agency:{sc.US_DEA}"]),
                              keyer=TEST_KEYER)])
    sid = object_id("dea-v-1", "Vessel")
    sod = store.subject(f"rivera@{sc.SOD}")
    with store.transaction() as conn:
        delivery_receipts.keep(conn, SEMAR_NODE.party, "a" * 64, [(sid, "v0")], AT - HOUR)
        made = releases.release(conn, sod, "dea-v-1", Selector.parse(f"agency:{sc.MX_SEMAR}"),
                                sc.SECURITY_FRAMEWORK, AT, "test").release
        delivery_receipts.keep(conn, SEMAR_NODE.party, "b" * 64,
                               [(sid, "v1"), ("note--x", "v1")], AT + HOUR)
        delivery_receipts.keep(conn, FGR_NODE.party, "c" * 64, [(sid, "v1")], AT + HOUR)
        audit_log.append(conn, [RecallAcknowledged(
            at=(AT + 2 * HOUR).isoformat().replace("+00:00", "Z"),
            actor=SEMAR_NODE.party, recall_id="rc-1", entity_id="dea-v-1",
            recipient=SEMAR_NODE.party, receipt_digest="d" * 64)])
    with store.reading() as conn:
        (found,) = releases.releases(conn, ["dea-v-1"])
        shown = delivery_receipts.deliveries(conn, [found], [SEMAR_NODE, FGR_NODE])
    # before the release, and the peer the release does not reach: not this release's
    assert shown == {made.id: [delivery_receipts.Delivery(
        "semar.node", sid, (AT + HOUR,), (("rc-1", AT + 2 * HOUR),))]}
