"""What a puller tells its peer does not depend on what the peer may not see.

Two worlds of the pulling node differ only in a record the sender may not see whose id
the sender also uses: delivery receipts, purge receipts and what the puller asks after
them are byte for byte the same (Ed25519 signatures are deterministic, the clock is
injected). Before, the receipt left the refused record out ("overwrite": the id exists
here as another agency's), the purge receipt counted 0 statements for it, and a later
release of it was not acknowledged — each telling the sender that the id exists here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from sync_world import refusals, seed_parties, stored

from statement_keys import TEST_KEYER
from tearline.federation.client import TaxiiClient
from tearline.federation.partners import Partner
from tearline.federation.receipts import build_purge_receipt
from tearline.federation.results import CollectionResult
from tearline.federation.sync import Puller
from tearline.federation.taxii_resources import Page
from tearline.keys import NodeKey, create_node_key
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.stix.export import object_id, to_stix
from tearline.store.store import Store

AT = datetime(2026, 1, 5, tzinfo=UTC)
ROOT = "https://127.0.0.1:9443/taxii2/api/"
SEMAR = Partner("mx.semar.uie", "mx.semar", "https://127.0.0.1:9443/taxii2/", signed=True,
                verifier_key="unused")
BASIS = "us-mx/bicentennial-framework-2021"


def semar_person(i: int) -> Record:
    return build_record(f"p-{i}", "Person", {"name": [f"persona {i}"]},
                        Provenance("mx.semar", "mx.semar.uie", AT),
                        Marking.build("AMBER", ["agency:us.dea"], legal_basis=BASIS),
                        keyer=TEST_KEYER)


#: Records of the pulling node that the sender may not see, each holding an id the
#: sender uses: another agency's record marked for one of our units only, and ours.
HIDDEN = {
    "fgr-red": build_record("p-1", "Person", {"name": ["Hidden Person"]},
                            Provenance("mx.fgr", "mx.fgr.aic", AT),
                            Marking.build("RED", ["unit:us.dea.sod"], legal_basis=BASIS),
                            keyer=TEST_KEYER),
    "dea-amber-strict": build_record("p-1", "Person", {"name": ["Hidden Person"]},
                                     Provenance("us.dea", "us.dea.sod", AT),
                                     Marking.build("AMBER+STRICT", ["unit:us.dea.sod"]),
                                     keyer=TEST_KEYER),
}


@dataclass
class Wire:
    """A peer that records everything the puller sends it, and answers as told."""

    recalls: list[dict[str, Any]] = field(default_factory=list)
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    def get_json(self, url: str) -> dict[str, Any]:
        self.sent.append(("GET", url, ""))
        return {"recalls": self.recalls}

    def post(self, url: str, document: dict[str, Any]) -> dict[str, Any]:
        self.sent.append(("POST", url, json.dumps(document, sort_keys=True)))
        return {}


def page(records: list[Record], last: str) -> Page:
    return Page(tuple(to_stix(records).bundle["objects"]), False, None, None, last)


def exchange(store: Store, key: NodeKey) -> list[tuple[str, str, str]]:
    """Pull a page, acknowledge it, apply the sender's recall of both records, pull their
    release again: everything the puller sent, in order."""
    puller = Puller(store, SEMAR, node_key=key, own_agency="us.dea", node_name="us.dea.sod",
                    clock=lambda: AT)
    wire = Wire()
    client = cast(TaxiiClient, wire)
    records = [semar_person(1), semar_person(2)]
    puller.store_page(ROOT, "c1", page(records, "2026-01-05T00:00:00.000001Z"),
                      CollectionResult("c1", "semar"))
    puller.send_pending(client)
    wire.recalls = [{"recall_id": f"rc-{n}", "entity_id": r.id,
                     "object_id": object_id(r.id, r.schema), "version": 1}
                    for n, r in enumerate(records)]
    puller.apply_recalls(client, ROOT)
    puller.send_pending(client)
    wire.recalls = []
    puller.store_page(ROOT, "c1", page(records, "2026-01-05T00:00:00.000002Z"),
                      CollectionResult("c1", "semar"))
    puller.send_pending(client)
    return wire.sent


@pytest.mark.parametrize("hidden", sorted(HIDDEN))
def test_what_the_puller_sends_is_the_same_whether_a_hidden_id_exists_here(
        db_url: str, tmp_path: Path, hidden: str) -> None:
    key, _ = create_node_key(tmp_path / "keys", "us.dea.sod")
    sent = []
    for world, url in (("with", db_url), ("without", f"sqlite:///{tmp_path / 'twin.sqlite'}")):
        store = Store.open(url)
        try:
            seed_parties(store)
            if world == "with":
                store.write([HIDDEN[hidden]])
            sent.append(exchange(store, key))
            if world == "with":  # the refusal is kept here, for our administrator
                assert {e.reason for e in refusals(store)} == {"overwrite"}
                assert stored(store)["records"]["p-1"] == HIDDEN[hidden].originator
        finally:
            store.close()
    assert sent[0] == sent[1]
    posts = [json.loads(body) for method, _, body in sent[0] if method == "POST"]
    acknowledged = [sorted(o["id"] for o in p["objects"]) for p in posts
                    if p["type"] == "tearline-receipt"]
    mains = sorted(object_id(f"p-{i}", "Person") for i in (1, 2))
    # every object of each page, whatever became of it here
    assert len(acknowledged) == 2 and all(set(mains) <= set(ids) for ids in acknowledged)
    assert [p["recall_id"] for p in posts if p["type"] == "tearline-purge-receipt"] == [
        "rc-0", "rc-1"]


def test_a_purge_receipt_names_the_recall_and_nothing_held(tmp_path: Path) -> None:
    key, _ = create_node_key(tmp_path / "keys", "us.dea.sod")
    body = build_purge_receipt(key, "us.dea.sod", {"recall_id": "rc-1", "entity_id": "p-1"},
                               AT)
    assert set(body) == {"type", "version", "node", "recall_id", "entity_id", "at",
                         "signature"}
    assert body["version"] == 2


@pytest.mark.parametrize("planted", ["us.dea.sod..p-9", "p-semar-org"])
def test_a_record_the_store_refuses_is_refused_alone_and_acknowledged(
        db_url: str, tmp_path: Path, planted: str) -> None:
    """A peer's record under one of our units' namespaces, or under the id of one of its
    records we hold with another schema, is refused by itself: the page is stored and
    acknowledged whole, as when the id is free or held by a record the sender may not see."""
    key, _ = create_node_key(tmp_path / "keys", "us.dea.sod")
    store = Store.open(db_url)
    try:
        seed_parties(store)
        store.write([build_record("p-semar-org", "Organization", {"name": ["Theirs"]},
                                  Provenance("mx.semar", "mx.semar.uie", AT),
                                  Marking.build("AMBER", ["agency:us.dea"], legal_basis=BASIS),
                                  keyer=TEST_KEYER)])
        peer_records = [semar_person(1), build_record(
            planted, "Person", {"name": ["Planted"]}, Provenance("mx.semar", "mx.semar.uie", AT),
            Marking.build("AMBER", ["agency:us.dea"], legal_basis=BASIS), keyer=TEST_KEYER)]
        puller = Puller(store, SEMAR, node_key=key, own_agency="us.dea",
                        node_name="us.dea.sod", clock=lambda: AT)
        wire = Wire()
        puller.store_page(ROOT, "c1", page(peer_records, "2026-01-05T00:00:00.000001Z"),
                          CollectionResult("c1", "semar"))
        puller.send_pending(cast(TaxiiClient, wire))
        held = stored(store)["records"]
        assert held["p-1"] == "mx.semar" and "us.dea.sod..p-9" not in held
        assert held["p-semar-org"] == "mx.semar"
        assert {e.reason for e in refusals(store)} == {"malformed"}
        (receipt,) = [json.loads(body) for method, _, body in wire.sent if method == "POST"]
        assert object_id(planted, "Person") in {o["id"] for o in receipt["objects"]}
    finally:
        store.close()
