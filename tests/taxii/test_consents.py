"""Consents travel with the records served: ours signed for the peer's agency only, and
those an originator gave our agency, as received."""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from taxiiworld import DEA, ROOT, Node, T, build_node

from statement_keys import TEST_KEYER
from tearline.federation.identity import init_node
from tearline.federation.signing import sign_document, verify_document
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.stix.export import object_id
from tearline.stix.extensions import RECORD_EXTENSION_ID
from tearline.store import consent_documents, releases
from tearline.store.store import Store
from tearline.taxii.collection import collection_id

SEMAR = "mx.semar.uie"
OBJECTS = f"{ROOT}collections/{collection_id('agr-semar')}/objects/"
SOD = Subject("us.dea.sod", "us.dea")


@pytest.fixture
def node(store: Store, tmp_path: Path) -> Iterator[Node]:
    built = build_node(store, tmp_path)
    store.write([build_record("p-orcon", "Person", {"name": ["Olga Ruiz"]}, DEA,
                              Marking.build("AMBER", ["unit:mx.semar.uie"], orcon=True,
                                            legal_basis="agr-semar"), keyer=TEST_KEYER)])
    yield built
    built.close()


def consents_of(node: Node, entity_id: str, schema: str = "Person") -> list[dict[str, Any]]:
    return consents_in(node.as_peer(SEMAR).get(OBJECTS).body["objects"], entity_id, schema)


def consents_in(objects: list[dict[str, Any]], entity_id: str,
                schema: str = "Person") -> list[dict[str, Any]]:
    obj = next(o for o in objects if o["id"] == object_id(entity_id, schema))
    for ext in obj.get("extensions", {}).values():
        if isinstance(ext, dict) and "statements" in ext:
            return list(ext.get("extra", {}).get("consents", []))
    raise AssertionError("no tearline record extension")


def test_our_consents_travel_to_the_agency_they_name_only(node: Node) -> None:
    assert consents_of(node, "p-orcon") == []
    at = datetime.now(UTC) - timedelta(minutes=1)
    with node.store.transaction() as conn:
        to_semar = releases.grant_consent(conn, SOD, "p-orcon", "mx.semar", at, "test")
        releases.grant_consent(conn, SOD, "p-orcon", "mx.fgr", at, "test")
    (doc,) = consents_of(node, "p-orcon")
    body = verify_document(node.identity.verifier_key, doc)
    assert body == {"type": "tearline-consent", "consent_id": to_semar.id,
                    "entity_id": "p-orcon", "by_agency": "us.dea", "to_agency": "mx.semar",
                    "at": body["at"]}
    with node.store.transaction() as conn:
        releases.withdraw_consent(conn, SOD, to_semar.id, datetime.now(UTC), "test")
    assert consents_of(node, "p-orcon") == []


def fgr_consents(tmp_path: Path, *given: tuple[str, str, str]) -> list[dict[str, Any]]:
    """Consents signed by mx.fgr's node key: (consent id, record id, agency it names)."""
    originator = init_node(tmp_path / "fgr-origin", "mx.fgr", "mx.fgr.aic").key
    return [sign_document(originator, {
        "type": "tearline-consent", "consent_id": cid, "entity_id": entity_id,
        "by_agency": "mx.fgr", "to_agency": to_agency, "at": "2026-01-01T00:00:00.000000Z"})
        for cid, entity_id, to_agency in given]


def test_consents_received_from_an_originator_travel_on(node: Node, tmp_path: Path) -> None:
    ours, other = fgr_consents(tmp_path, ("con-1", "p-shared", "us.dea"),
                               ("con-2", "p-shared", "mx.semar"))
    with node.store.transaction() as conn:
        assert consent_documents.keep(conn, [ours, other], "mx.fgr.aic", datetime.now(UTC)) == 2
        assert consent_documents.keep(conn, [ours], "mx.fgr.aic", datetime.now(UTC)) == 0
    assert consents_of(node, "p-shared") == [ours]  # as received, byte for byte


def served_ids(node: Node) -> set[str]:
    objects = node.as_peer(SEMAR).get(OBJECTS).body.get("objects", [])
    return {o["id"] for o in objects}


def test_a_third_agency_record_is_relayed_only_with_its_originators_consent(
        node: Node, tmp_path: Path) -> None:
    clear = Marking.build("CLEAR", [], legal_basis="agr-semar")
    node.store.write([
        build_record("p-of-fgr", "Person", {"name": ["Hugo Paz"]},
                     Provenance("mx.fgr", "mx.fgr.aic", T), clear, keyer=TEST_KEYER),
        build_record("p-of-semar", "Person", {"name": ["Ivan Mora"]},
                     Provenance("mx.semar", "mx.semar.uie", T), clear, keyer=TEST_KEYER),
    ])
    fgr_object, semar_object = object_id("p-of-fgr", "Person"), object_id("p-of-semar", "Person")
    served = served_ids(node)
    assert object_id("p-orcon", "Person") in served  # our own record goes out
    assert fgr_object not in served  # visible to the peer, but not ours to pass on
    assert semar_object not in served  # the peer's own record is not echoed back
    [to_us] = fgr_consents(tmp_path, ("con-relay", "p-of-fgr", "us.dea"))
    with node.store.transaction() as conn:
        consent_documents.keep(conn, [to_us], "mx.fgr.aic", datetime.now(UTC))
    assert fgr_object in served_ids(node)
    assert consents_of(node, "p-of-fgr") == [to_us]
    assert semar_object not in served_ids(node)


def test_a_pulled_bundle_with_a_relayed_orcon_record_and_its_consent_is_valid_stix(
        node: Node, tmp_path: Path) -> None:
    """What semar pulls: fgr's ORCON record relayed with fgr's signed consent, and our own
    ORCON record with the consent we signed for semar's agency. stix2-validator finds no
    error (nor a warning beyond those tearline's output is allowed), stix2 loads it, and
    — since neither looks inside an extension — each record extension carrying consents
    is valid against the schema its extension definition in the bundle publishes."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "stix"))
    from stix_checks import assert_valid, fast_validator

    node.store.write([build_record(
        "p-fgr-orcon", "Person", {"name": ["Lucia Paz"]}, Provenance("mx.fgr", "mx.fgr.aic", T),
        Marking.build("AMBER", ["unit:mx.semar.uie"], orcon=True, legal_basis="agr-other"),
            keyer=TEST_KEYER)])
    [relay] = fgr_consents(tmp_path, ("con-orcon", "p-fgr-orcon", "us.dea"))
    with node.store.transaction() as conn:
        consent_documents.keep(conn, [relay], "mx.fgr.aic", datetime.now(UTC))
        releases.grant_consent(conn, SOD, "p-orcon", "mx.semar",
                               datetime.now(UTC) - timedelta(minutes=1), "test")
    answer = node.as_peer(SEMAR).get(OBJECTS)
    assert answer.status == 200 and answer.body["more"] is False
    objects = answer.body["objects"]
    assert consents_in(objects, "p-fgr-orcon") == [relay]  # as fgr signed it
    (ours,) = consents_in(objects, "p-orcon")
    assert verify_document(node.identity.verifier_key, ours)["to_agency"] == "mx.semar"
    with fast_validator():
        assert_valid({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects})
    (definition,) = [o for o in objects if o["id"] == RECORD_EXTENSION_ID]
    schema = Draft202012Validator(json.loads(definition["schema"]))
    carrying = [o["extensions"][RECORD_EXTENSION_ID] for o in objects
                if o.get("extensions", {}).get(RECORD_EXTENSION_ID, {}).get("extra")]
    assert len(carrying) == 2
    assert [str(e) for payload in carrying for e in schema.iter_errors(payload)] == []


def test_a_third_agencys_orcon_statement_is_relayed_only_with_its_consent(
        node: Node, tmp_path: Path) -> None:
    """Our record, visible to fgr, carries a name semar added under its own ORCON marking
    for fgr: fgr may see it, but we may pass it on only with semar's consent for us."""
    from tearline.store import release_tables as rt
    from tearline.store import tables as t

    semar_name = "Semar Orcon Alias"
    orcon = Marking.build("AMBER", ["unit:mx.fgr.aic"], orcon=True, legal_basis="agr-other")
    to_fgr = Marking.build("AMBER", ["unit:mx.fgr.aic"], legal_basis="agr-fgr")
    node.store.write([
        build_record("p-mixed", "Person", {"name": ["Pablo Gil"]}, DEA, to_fgr, keyer=TEST_KEYER),
        build_record("p-mixed", "Person", {"name": [semar_name]},
                     Provenance("mx.semar", "mx.semar.uie", T), orcon, {"name": orcon},
                     keyer=TEST_KEYER),
    ])
    fgr_objects = f"{ROOT}collections/{collection_id('agr-fgr')}/objects/"

    def names() -> set[str]:
        answer = node.as_peer("mx.fgr.aic").get(fgr_objects)
        assert answer.status == 200
        obj = next(o for o in answer.body["objects"]
                   if o["id"] == object_id("p-mixed", "Person"))
        ext = obj["extensions"][RECORD_EXTENSION_ID]
        return {s["value"] for s in ext["statements"] if s["prop"] == "name"}

    assert names() == {"Pablo Gil"}
    with node.store.transaction() as conn:  # semar's consent, recorded on our node
        conn.execute(rt.consents.insert().values(
            id="con-semar", entity_id="p-mixed", by_agency="mx.semar", to_agency="us.dea",
            granted_at=t.ts(datetime.now(UTC) - timedelta(minutes=1)), recorded_by="test"))
    assert names() == {"Pablo Gil", semar_name}
    with node.store.transaction() as conn:
        conn.execute(rt.consent_withdrawals.insert().values(
            consent_id="con-semar", withdrawn_at=t.ts(datetime.now(UTC)), recorded_by="test"))
    assert names() == {"Pablo Gil"}


def test_a_reference_to_a_record_we_may_not_pass_on_is_still_served(node: Node) -> None:
    """Our link to semar's own ORCON record: the record is not ours to pass on (nor served
    back to semar), but semar may see it, so the link and its typed ends are served."""
    from tearline.stix.export import object_id as oid

    semar_own = Marking.build("AMBER", ["unit:us.dea.sod"], orcon=True,
                              legal_basis="agr-semar")
    to_semar = Marking.build("AMBER", ["unit:mx.semar.uie"], legal_basis="agr-semar")
    node.store.write([
        build_record("p-semar-orcon", "Person", {"name": ["Nora Diaz"]},
                     Provenance("mx.semar", "mx.semar.uie", T), semar_own, keyer=TEST_KEYER),
        build_record("l-to-semar", "UnknownLink", {"subject": ["p-shared"],
                                                   "object": ["p-semar-orcon"],
                                                   "role": ["source"]}, DEA, to_semar,
                                                   keyer=TEST_KEYER),
    ])
    objects = node.as_peer(SEMAR).get(OBJECTS).body["objects"]
    ids = {o["id"] for o in objects}
    assert oid("p-semar-orcon", "Person") not in ids
    (link,) = [o for o in objects if o["type"] == "relationship"
               and o.get("target_ref") == oid("p-semar-orcon", "Person")]
    assert link["source_ref"] == oid("p-shared", "Person")
