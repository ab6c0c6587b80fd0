"""What our node (the puller) sends a peer it pulls from: signed receipts and purge receipts.

The peer here is SEMAR's node, the viewer: it sends pages of its records — some with ids
that a secret may have given to records of ours it may not see — and recalls, one of a
record it delivered and one of an id it never sent. Our node judges and stores each page
(``Puller.store_page``), applies the recalls, and posts its receipts; every request the
peer receives is the transcript. A receipt may not tell the peer which ids exist here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from adversary import public
from adversary.cast import SEMAR_TO_DEA, T_RUN, prov
from adversary.transcript import Transcript
from adversary.worlds import Place
from statement_keys import TEST_KEYER
from tearline.demo import scenario as sc
from tearline.federation.identity import load_identity
from tearline.federation.partners import Partner
from tearline.federation.results import CollectionResult
from tearline.federation.sync import Puller
from tearline.federation.taxii_resources import Page
from tearline.keys import load_node_key
from tearline.model.record import Record, build_record
from tearline.stix.export import to_stix
from tearline.store.store import Store

ROOT = "https://semar.test/taxii2/api/"
COLLECTION = "c0ffee00-0000-5000-8000-000000000001"


class PeerEnd:
    """The peer as our client reaches it: recalls to hand out, every request kept."""

    def __init__(self, out: Transcript, recalls: list[dict[str, str]]) -> None:
        self.out, self.recalls = out, recalls

    def post(self, url: str, document: Mapping[str, Any]) -> dict[str, Any]:
        self.out.add(f"POST {url.removeprefix(ROOT)}", public.dump(document))
        return {"type": "recorded"}

    def get_json(self, url: str) -> dict[str, Any]:
        self.out.add(f"GET {url.removeprefix(ROOT)}", "")
        return {"recalls": self.recalls}


def sent(version: int) -> list[Record]:
    """SEMAR's records as its node serves them; ``version`` 2 adds an alias to the first."""
    uie = sc.UIE
    names = {"mx-in-1": "Iván Archivaldo Guzmán", "mx-in-2": "Jesús Alfredo Guzmán",
             "mx-in-3": "Aureliano Guzmán Loera"}
    out = [build_record(i, "Person", {"name": [n]}, prov(uie, T_RUN), SEMAR_TO_DEA,
                        keyer=TEST_KEYER)
           for i, n in names.items()]
    if version == 2:
        later = prov(uie, T_RUN + timedelta(days=1))
        out[0] = build_record("mx-in-1", "Person", {"name": [names["mx-in-1"]],
                                                    "alias": ["Chapito"]},
                              later, SEMAR_TO_DEA, keyer=TEST_KEYER)
    return out


def run_federation(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    store = Store.open(place.url)
    try:
        key, me = load_node_key(place.keys), load_identity(place.keys)
        semar = load_identity(place.peer_keys(viewer))
        partner = Partner(semar.name, semar.agency, "https://semar.test/taxii2/", True,
                          semar.verifier_key)
        puller = Puller(store, partner, node_key=key, own_agency=me.agency,
                        node_name=me.name, clock=lambda: out.start)
        recalls = [{"recall_id": "rcl-1", "entity_id": "mx-in-1"},
                   {"recall_id": "rcl-2", "entity_id": "x-person"},
                   {"recall_id": "rcl-3", "entity_id": "mx-in-2"}]
        end = PeerEnd(out, recalls)
        for n, version in enumerate((1, 1, 2)):
            objects = to_stix(sent(version)).bundle["objects"]
            out.begin()
            result = CollectionResult(COLLECTION, "semar")
            puller.store_page(ROOT, COLLECTION, Page(tuple(objects), False, None, None,
                                                     f"2026-01-08T08:00:0{n}.000000Z"), result)
            out.add(f"page {n}", "")  # what the puller keeps for itself is not sent
            puller.send_pending(end)  # type: ignore[arg-type]
        puller.apply_recalls(end, ROOT)  # type: ignore[arg-type]
        puller.send_pending(end)  # type: ignore[arg-type]
    finally:
        store.close()
    return out


def receipts(transcript: Transcript) -> list[Any]:
    """The documents the peer received (for the test that the run is not vacuous)."""
    return [json.loads(t) for label, t in transcript.steps if label.startswith("POST")]
