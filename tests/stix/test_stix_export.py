"""What a STIX consumer sees of a small, hand-made case."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from stix_checks import assert_valid

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.stix import from_stix, to_stix
from tearline.stix.extensions import RECORD_EXTENSION_ID
from tearline.stix.ids import agency_identity_id

AT = datetime(2024, 2, 1, 9, 30, tzinfo=UTC)
PROV = Provenance("us.dea", "us.dea.sod", AT)
AMBER = Marking.build("AMBER", ["vetted-by:us.dea"], legal_basis="us-mx-2021")
RED = Marking.build("RED", ["unit:mx.semar.uie"], legal_basis="us-mx-2021")


def case() -> list[Record]:
    org = build_record("org-1", "Organization", {"name": ["CARTEL X"],
                                                 "topics": ["crime.traffick.drug"]}, PROV, AMBER,
                                                     keyer=TEST_KEYER)
    person = build_record("p-1", "Person", {"name": ["Ana Ruiz"], "birthDate": ["1980-02-03"]},
                          PROV, AMBER, portions={"name": RED}, keyer=TEST_KEYER)
    member = build_record("m-1", "Membership", {"member": ["p-1"], "organization": ["org-1"],
                                                "role": ["head"]}, PROV, RED, keyer=TEST_KEYER)
    phone = build_record("ph-1", "Phone", {"number": ["+52 667 123 4567"], "user": ["p-1"]},
                         PROV, Marking.build("GREEN"), keyer=TEST_KEYER)
    seizure = build_record("s-1", "Seizure", {"drug": ["fentanyl"], "suspect": ["p-9"]}, PROV,
                           AMBER, keyer=TEST_KEYER)
    return [org, person, member, phone, seizure]


def objects(records: list[Record], refs: dict[str, str] | None = None) -> dict[str, Any]:
    bundle = to_stix(records, refs).bundle
    assert_valid(bundle)
    return {o["id"]: o for o in bundle["objects"]}


def find(objs: dict[str, Any], kind: str, entity: str) -> dict[str, Any]:
    for obj in objs.values():
        ext = obj.get("extensions", {}).get(RECORD_EXTENSION_ID, {})
        if obj["type"] == kind and entity in (ext.get("entity_id"), ext.get("derived_from")):
            found: dict[str, Any] = obj
            return found
    raise AssertionError(f"no {kind} for {entity}")


def test_types_and_provenance() -> None:
    objs = objects(case())
    person = find(objs, "identity", "p-1")
    assert person["identity_class"] == "individual"
    assert person["created_by_ref"] == agency_identity_id("us.dea") in objs
    assert person["created"] == "2024-02-01T09:30:00.000Z"
    assert find(objs, "incident", "s-1")["name"] == "fentanyl"
    assert find(objs, "infrastructure", "ph-1")["name"] == "+526671234567"
    link = find(objs, "relationship", "m-1")
    assert link["relationship_type"] == "member-of"
    assert link["source_ref"] == person["id"]


def test_criminal_threat_actors_are_derived() -> None:
    objs = objects(case())
    org_actor = find(objs, "threat-actor", "org-1")
    assert org_actor["threat_actor_types"] == ["crime-syndicate"]
    person_actor = find(objs, "threat-actor", "p-1")
    assert person_actor["threat_actor_types"] == ["criminal"]
    # the person is criminal because of the RED membership: both markings apply
    red_refs = set(find(objs, "relationship", "m-1")["object_marking_refs"])
    assert red_refs <= set(person_actor["object_marking_refs"])


def test_portion_markings_travel_as_granular_markings() -> None:
    objs = objects(case())
    person = find(objs, "identity", "p-1")
    statements = person["extensions"][RECORD_EXTENSION_ID]["statements"]
    index = next(i for i, s in enumerate(statements) if s["prop"] == "name")
    selectors = {s for g in person["granular_markings"] for s in g["selectors"]}
    assert f"extensions.{RECORD_EXTENSION_ID}.statements.[{index}]" in selectors
    assert "name" in selectors  # the standard property built from the portion
    assert len(selectors) == 2


def test_an_unknown_relationship_end_is_skipped_not_guessed() -> None:
    records = case()
    alone = [r for r in records if r.id == "m-1"]
    export = to_stix(alone)
    assert [p.column for p in export.skipped] == ["m-1"]
    with_refs = objects(alone, {"p-1": "Person", "org-1": "Organization"})
    assert find(with_refs, "relationship", "m-1")["target_ref"].startswith("identity--")


def test_only_what_is_given_is_emitted() -> None:
    """The caller tear-lines; the mapping neither drops nor adds a statement."""
    records = case()
    hidden = records[1]
    teared = [r for r in records if r is not hidden]
    export = to_stix(teared)
    text = json.dumps(export.bundle)
    assert "Ana Ruiz" not in text and "1980-02-03" not in text
    # the membership names a person the recipient cannot see: reported, not guessed
    assert [p.column for p in export.skipped] == ["m-1"]
    back = {r.id: r for r in from_stix(json.loads(text), keyer=TEST_KEYER)}
    assert back == {r.id: r for r in teared if r.id != "m-1"}
