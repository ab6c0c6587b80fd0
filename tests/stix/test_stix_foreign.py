"""Standard STIX 2.1 from other platforms maps as documented in tearline.stix.foreign."""

from __future__ import annotations

from typing import Any

import pytest
from stix_checks import problems

from foreign_stix import CARTEL, LINK, PERSON, PLACE, PRODUCER, REPORT, foreign_bundle
from statement_keys import TEST_KEYER
from tearline.errors import ValidationError
from tearline.model.marking import Tlp
from tearline.stix import read_bundle
from tearline.stix.ids import agency_identity_id


def load() -> dict[str, Any]:
    return foreign_bundle()


def test_the_fixture_is_valid_stix() -> None:
    assert problems(load())[0] == []


def test_foreign_objects_map_where_they_fit() -> None:
    result = read_bundle(load(), keyer=TEST_KEYER)
    by_id = {r.id: r for r in result.records}
    cartel = by_id[CARTEL]
    assert cartel.schema == "Organization"
    assert cartel.values("alias") == ["CDN"] and cartel.values("topics") == ["crime"]
    assert cartel.marking.tlp is Tlp.GREEN  # TLP 1.0 GREEN id
    assert cartel.originator == "external" and cartel.modified_at is not None
    assert cartel.modified_at.microsecond == 123000
    person = by_id[PERSON]
    assert person.schema == "Person" and person.marking.tlp is Tlp.AMBER
    portion = {s.prop: s.marking for s in person.statements}
    assert portion["description"] is not None and portion["description"].tlp is Tlp.RED
    assert portion["name"] is None
    place = by_id[PLACE]
    assert place.schema == "Address" and place.values("country") == ["mx"]
    assert place.marking.tlp is Tlp.AMBER_STRICT  # unmarked: the safe default
    link = by_id[LINK]
    assert link.schema == "UnknownLink" and link.values("role") == ["located-at"]
    assert link.values("subject") == [cartel.id] and link.marking.tlp is Tlp.RED
    report = by_id[REPORT]
    assert report.schema == "Note" and report.values("entity") == [cartel.id]
    producer = by_id[PRODUCER]
    assert producer.schema == "Organization"
    skipped = {p.column: p.message for p in result.skipped}
    assert set(skipped) == {
        "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
        "relationship--0c2a5e1f-2b8f-4a3e-9a44-2e0f3f3d1c11",
    }
    assert "no tearline mapping" in skipped["malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b"]


def test_a_known_agency_identity_becomes_the_originator() -> None:
    bundle = load()
    for obj in bundle["objects"]:
        if obj.get("created_by_ref"):
            obj["created_by_ref"] = agency_identity_id("mx.fgr")
    records = read_bundle(bundle, agencies=["mx.fgr"], keyer=TEST_KEYER).records
    cartel = next(r for r in records if r.id.startswith("threat-actor--"))
    assert (cartel.originator, cartel.author) == ("mx.fgr", "mx.fgr")
    assert {s.origin for s in cartel.statements} == {"mx.fgr"}


def test_a_malformed_bundle_lists_every_problem() -> None:
    bundle = load()
    bundle["objects"][2]["id"] = "threat-actor--not-a-uuid"
    bundle["objects"][3]["type"] = "location"
    bundle["objects"].append("text")
    with pytest.raises(ValidationError) as caught:
        read_bundle(bundle, keyer=TEST_KEYER)
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(("prop", "value", "message"), [
    ("granular_markings", "description", "granular_markings must be a list of objects"),
    ("granular_markings", [{"selectors": "description"}],
     "granular_markings must be a list of objects"),
    ("object_marking_refs", CARTEL, "object_marking_refs must be a list of strings"),
    ("threat_actor_types", 5, "threat_actor_types must be a list of strings"),
    ("aliases", [{"name": "CDN"}], "aliases must be a list of strings"),
    ("extensions", ["x"], "extensions must be an object"),
    ("created_by_ref", [PRODUCER], "created_by_ref must be an identifier"),
])
def test_a_property_of_the_wrong_json_type_is_a_problem_not_a_crash(
        prop: str, value: object, message: str) -> None:
    bundle = load()
    (cartel,) = [o for o in bundle["objects"] if o["id"] == CARTEL]
    cartel[prop] = value
    with pytest.raises(ValidationError) as caught:
        read_bundle(bundle, keyer=TEST_KEYER)
    (problem,) = caught.value.problems
    assert problem.column == CARTEL and problem.message.startswith(message)


def test_relationship_ends_must_be_identifiers() -> None:
    bundle = load()
    (link,) = [o for o in bundle["objects"] if o["id"] == LINK]
    link["target_ref"] = [PLACE]
    with pytest.raises(ValidationError) as caught:
        read_bundle(bundle, keyer=TEST_KEYER)
    assert [(p.column, p.message) for p in caught.value.problems] == [
        (LINK, "target_ref must be an identifier")]


@pytest.mark.parametrize("bundle", [None, [], {"type": "report"}, {"type": "bundle",
                                                                   "objects": {}}])
def test_not_a_bundle(bundle: object) -> None:
    with pytest.raises(ValidationError):
        read_bundle(bundle, keyer=TEST_KEYER)
