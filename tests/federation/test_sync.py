"""One page, one transaction: what the puller stores, refuses and acknowledges, on both
backends (the page is handed to the puller directly; transport is tested elsewhere)."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sync_world import refusals, seed_parties, stored

from statement_keys import TEST_KEYER
from tearline.federation.partners import Partner
from tearline.federation.reading import just_before
from tearline.federation.results import CollectionResult
from tearline.federation.signing import verify_document
from tearline.federation.sync import Puller
from tearline.federation.taxii_resources import Page
from tearline.keys import create_node_key
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.stix.export import to_stix
from tearline.stix.extensions import RECORD_EXTENSION_ID
from tearline.store import audit_log
from tearline.store import sync_state as ss
from tearline.store.store import Store

AT = datetime(2026, 1, 5, tzinfo=UTC)
ROOT = "https://127.0.0.1:9443/taxii2/api/"
SEMAR = Partner("mx.semar.uie", "mx.semar", "https://127.0.0.1:9443/taxii2/", signed=True,
                verifier_key="unused")


def person(i: int, origin: str = "mx.semar", tlp: str = "AMBER") -> Record:
    basis = "us-mx/bicentennial-framework-2021"
    marking = (Marking.build(tlp, ["agency:us.dea"], legal_basis=basis)
               if tlp == "AMBER" else Marking.build(tlp))
    return build_record(f"p-{i}", "Person", {"name": [f"persona {i}"], "nationality": ["mx"]},
                        Provenance(origin, f"{origin}.uie" if origin == "mx.semar"
                                   else f"{origin}.sod", AT), marking, keyer=TEST_KEYER)


def page(objects: list[dict[str, Any]], last: str = "2026-01-05T00:00:00.000001Z") -> Page:
    return Page(tuple(objects), False, None, None, last)


@pytest.fixture
def puller(store: Store, tmp_path: Path) -> Puller:
    seed_parties(store)
    key, _ = create_node_key(tmp_path / "keys", "us.dea.sod")
    return Puller(store, SEMAR, node_key=key, own_agency="us.dea", node_name="us.dea.sod")


def run(puller: Puller, p: Page) -> CollectionResult:
    out = CollectionResult("c1", "semar")
    puller.store_page(ROOT, "c1", p, out)
    return out


def test_a_page_is_stored_with_cursor_received_versions_and_a_signed_receipt(
        puller: Puller, store: Store) -> None:
    objects = to_stix([person(1), person(2)]).bundle["objects"]
    out = run(puller, page(objects))
    assert out.records_stored == 2 and out.refused == []
    assert set(stored(store)["records"]) == {"p-1", "p-2"}
    with store.reading() as conn:
        assert ss.cursor(conn, SEMAR.name, "c1") == "2026-01-05T00:00:00.000001Z"
        ((_, url, body),) = ss.pending_receipts(conn, SEMAR.name)
    assert url == ROOT + "tearline/receipts/"
    assert puller.node_key is not None
    receipt = verify_document(puller.node_key.verifier_key(), body)
    assert receipt["node"] == "us.dea.sod" and receipt["collection"] == "c1"
    # every object of the page received, not only the records stored (see test_sync_receipts)
    assert {o["id"] for o in receipt["objects"]} == {o["id"] for o in objects}
    # the same page again: nothing new, no second receipt
    again = run(puller, page(objects))
    assert again.already == len(objects) and again.records_stored == 0
    with store.reading() as conn:
        assert len(ss.pending_receipts(conn, SEMAR.name)) == 1


def test_definitions_sent_on_an_earlier_page_serve_later_pages(puller: Puller,
                                                               store: Store) -> None:
    first = to_stix([person(1)]).bundle["objects"]
    second = [o for o in to_stix([person(2)]).bundle["objects"]
              if o["type"] not in ("marking-definition", "extension-definition")]
    run(puller, page(first))
    out = run(puller, page(second, "2026-01-05T00:00:00.000002Z"))
    assert out.records_stored == 1 and out.refused == []
    with store.reading() as conn:
        assert ss.cursor(conn, SEMAR.name, "c1") == "2026-01-05T00:00:00.000002Z"


def test_statements_are_stored_under_the_receivers_own_ids_once(
        puller: Puller, store: Store) -> None:
    """The ids on the wire are the sender's (keyed with its secret): the receiver derives
    its own from the content, so a sender cannot choose the id a statement is stored
    under (a lying id shadows nothing), and the same statement received again is the
    same row."""
    objects = to_stix([person(1), person(2)]).bundle["objects"]
    lying = copy.deepcopy(objects)
    for obj in lying:
        ext = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID) or {}
        if ext.get("entity_id") == "p-1":
            ext["statements"][0]["value"] = "somebody else"  # the sender's id kept: a lie
            ext["statements"][1]["id"] = "st-" + "0" * 40
    out = run(puller, page(lying))
    assert out.refused == [] and set(stored(store)["records"]) == {"p-1", "p-2"}
    with store.reading() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, entity_id, prop, value, origin, author FROM statements").all()
    wire = {s["id"] for o in objects for s in (
        (o.get("extensions") or {}).get(RECORD_EXTENSION_ID) or {}).get("statements", [])}
    assert {r.id for r in rows} == {store.keyer(*r[1:]) for r in rows}
    assert not {r.id for r in rows} & (wire | {"st-" + "0" * 40})
    assert ("p-1", "name", "somebody else") in {r[1:4] for r in rows}
    # a later version of p-1: its nationality again, a true name and an alias
    later = build_record("p-1", "Person", {"name": ["persona 1"], "nationality": ["mx"],
                                           "alias": ["el uno"]},
                         Provenance("mx.semar", "mx.semar.uie", AT + timedelta(days=1)),
                         person(1).marking, keyer=TEST_KEYER)
    run(puller, page(to_stix([later]).bundle["objects"], "2026-01-06T00:00:00.000000Z"))
    with store.reading() as conn:
        again = conn.exec_driver_sql(
            "SELECT prop, value FROM statements WHERE entity_id = 'p-1'").all()
    assert len(again) == len(set(again)) == 4  # two names, the alias, ONE nationality


def test_a_peer_cannot_take_over_or_echo_records(puller: Puller, store: Store) -> None:
    store.write([person(1, origin="mx.fgr", tlp="GREEN")])  # p-1 is mx.fgr's here
    ours = person(3, origin="us.dea", tlp="GREEN")
    objects = to_stix([person(1), person(2), ours]).bundle["objects"]
    out = run(puller, page(objects))
    records = stored(store)["records"]
    assert records == {"p-1": "mx.fgr", "p-2": "mx.semar"}
    assert out.echoed == 1
    assert [(e.reason, e.originator) for e in refusals(store)] == [("overwrite", "mx.semar")]
    with store.reading() as conn:
        outcomes = {r.entity_id: r.outcome for r in ss.received(conn, SEMAR.name)
                    if r.entity_id in {"p-1", "p-2", "p-3"}}
    assert outcomes == {"p-1": "refused", "p-2": "stored", "p-3": "echo"}


def test_a_third_agencys_statement_inside_the_peers_record_refuses_the_record(
        puller: Puller, store: Store) -> None:
    mine, theirs = person(1), person(1, origin="mx.fgr")
    smuggled = replace(mine, statements=mine.statements + tuple(
        replace(s, prop="alias", id=TEST_KEYER(s.entity_id, "alias", s.value, s.origin,
                                                s.author))
        for s in theirs.statements if s.prop == "name"))
    out = run(puller, page(to_stix([smuggled]).bundle["objects"]))
    assert stored(store)["records"] == {} and len(out.refused) == 1
    assert [(e.reason, e.originator) for e in refusals(store)] == [("third-agency", "mx.semar")]


def test_just_before_steps_back_one_microsecond() -> None:
    assert just_before("2026-01-05T00:00:00.000000Z") == "2026-01-04T23:59:59.999999Z"
    assert just_before("2026-01-05T00:00:00Z") == "2026-01-04T23:59:59.999999Z"
    assert just_before("not a time") == "not a time"


def test_consents_the_originator_gave_us_are_kept_to_travel_on(store: Store,
                                                                tmp_path: Path) -> None:
    from sqlalchemy import select

    from tearline.federation.entitlement import CONSENT_TYPE
    from tearline.federation.signing import sign_document
    from tearline.store import consent_documents as cd
    from tearline.store import release_tables as rt

    seed_parties(store)
    ours, _ = create_node_key(tmp_path / "dea", "us.dea.sod")
    semar, _ = create_node_key(tmp_path / "semar", "mx.semar.uie")
    other, _ = create_node_key(tmp_path / "other", "mx.semar.pn")
    partner = replace(SEMAR, verifier_key=semar.verifier_key())
    puller = Puller(store, partner, node_key=ours, own_agency="us.dea", node_name="us.dea.sod")

    def consent(key: Any, cid: str, entity: str = "p-1", to: str = "us.dea") -> Any:
        return sign_document(key, {"type": CONSENT_TYPE, "consent_id": cid, "entity_id": entity,
                                   "by_agency": "mx.semar", "to_agency": to,
                                   "at": "2026-01-05T00:00:00.000000Z"})

    docs = [consent(semar, "con-good"), consent(other, "con-forged"),
            consent(semar, "con-other-entity", entity="p-2"),
            consent(semar, "con-to-fgr", to="mx.fgr")]
    record = replace(person(1), extra={"consents": docs})
    out = run(puller, page(to_stix([record]).bundle["objects"]))
    assert out.records_stored == 1
    with store.reading() as conn:
        kept = conn.execute(select(cd.consent_documents.c.consent_id)).scalars().all()
        rows = conn.execute(select(rt.consents.c.id, rt.consents.c.by_agency,
                                   rt.consents.c.to_agency)).all()
    assert kept == ["con-good"]
    assert [tuple(r) for r in rows] == [("con-good", "mx.semar", "us.dea")]


def test_a_consent_given_after_the_record_arrived_is_kept_and_logged(store: Store,
                                                                     tmp_path: Path) -> None:
    """The same object version comes again, now carrying its originator's consent: the
    record is not stored twice, the consent is kept, and logged once."""
    from tearline.federation.entitlement import CONSENT_TYPE
    from tearline.federation.signing import sign_document

    seed_parties(store)
    ours, _ = create_node_key(tmp_path / "dea", "us.dea.sod")
    semar, _ = create_node_key(tmp_path / "semar", "mx.semar.uie")
    puller = Puller(store, replace(SEMAR, verifier_key=semar.verifier_key()), node_key=ours,
                    own_agency="us.dea", node_name="us.dea.sod")
    record = person(1)
    assert run(puller, page(to_stix([record]).bundle["objects"])).records_stored == 1
    doc = sign_document(semar, {"type": CONSENT_TYPE, "consent_id": "con-late",
                                "entity_id": "p-1", "by_agency": "mx.semar",
                                "to_agency": "us.dea", "at": "2026-01-06T00:00:00.000000Z"})
    carrying = to_stix([replace(record, extra={"consents": [doc]})]).bundle["objects"]
    for _ in range(2):  # and once more: nothing twice
        out = run(puller, page(carrying))
        assert out.records_stored == 0 and out.already == len(carrying)
    with store.reading() as conn:
        events = [e.event() for e in audit_log.entries(conn, limit=100_000)]
    logged = [(e.consent_id, e.originator, e.to_agency) for e in events
              if e.kind == "consent.recorded"]
    assert logged == [("con-late", "mx.semar", "us.dea")]
    assert [e.entity_id for e in events if e.kind == "record.created"] == ["p-1"]
    # Stored by this node for its peer: the write is the peer node's, not the record's
    # authoring unit's (which wrote nothing here).
    assert {e.actor for e in events if e.kind == "record.created"} == {"node:mx.semar.uie"}
