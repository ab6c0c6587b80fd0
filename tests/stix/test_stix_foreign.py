"""Standard STIX 2.1 from other platforms maps as documented in tearline.stix.foreign."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from stix_checks import problems

from tearline.errors import ValidationError
from tearline.model.marking import Tlp
from tearline.stix import read_bundle
from tearline.stix.ids import agency_identity_id

FIXTURE = Path(__file__).parent / "data" / "foreign_bundle.json"


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    return data


def test_the_fixture_is_valid_stix() -> None:
    assert problems(load())[0] == []


def test_foreign_objects_map_where_they_fit() -> None:
    result = read_bundle(load())
    by_id = {r.id: r for r in result.records}
    cartel = by_id["threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"]
    assert cartel.schema == "Organization"
    assert cartel.values("alias") == ["CDN"] and cartel.values("topics") == ["crime"]
    assert cartel.marking.tlp is Tlp.GREEN  # TLP 1.0 GREEN id
    assert cartel.originator == "external" and cartel.modified_at is not None
    assert cartel.modified_at.microsecond == 123000
    person = by_id["identity--023d105b-752e-4e3c-941c-7d3f3cb15e9e"]
    assert person.schema == "Person" and person.marking.tlp is Tlp.AMBER
    portion = {s.prop: s.marking for s in person.statements}
    assert portion["description"] is not None and portion["description"].tlp is Tlp.RED
    assert portion["name"] is None
    place = by_id["location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"]
    assert place.schema == "Address" and place.values("country") == ["mx"]
    assert place.marking.tlp is Tlp.AMBER_STRICT  # unmarked: the safe default
    link = by_id["relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad"]
    assert link.schema == "UnknownLink" and link.values("role") == ["located-at"]
    assert link.values("subject") == [cartel.id] and link.marking.tlp is Tlp.RED
    report = by_id["report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3"]
    assert report.schema == "Note" and report.values("entity") == [cartel.id]
    producer = by_id["identity--f431f809-377b-45e0-aa1c-6a4751cae5ff"]
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
    records = read_bundle(bundle, agencies=["mx.fgr"]).records
    cartel = next(r for r in records if r.id.startswith("threat-actor--"))
    assert (cartel.originator, cartel.author) == ("mx.fgr", "mx.fgr")
    assert {s.origin for s in cartel.statements} == {"mx.fgr"}


def test_a_malformed_bundle_lists_every_problem() -> None:
    bundle = load()
    bundle["objects"][2]["id"] = "threat-actor--not-a-uuid"
    bundle["objects"][3]["type"] = "location"
    bundle["objects"].append("text")
    with pytest.raises(ValidationError) as caught:
        read_bundle(bundle)
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize("bundle", [None, [], {"type": "report"}, {"type": "bundle",
                                                                   "objects": {}}])
def test_not_a_bundle(bundle: object) -> None:
    with pytest.raises(ValidationError):
        read_bundle(bundle)
