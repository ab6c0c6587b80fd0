"""TLP 2.0 marking definitions with their published ids; tearline markings round-trip."""

from __future__ import annotations

import json

from hypothesis import given, settings
from stix_checks import assert_valid
from test_stix_roundtrip import markings

from tearline.model.marking import Marking, Tlp
from tearline.stix.extensions import fixed_objects
from tearline.stix.markings import (
    TLP2_IDS,
    marking_from_extension,
    marking_objects,
    marking_refs,
    read_marking,
    tearline_definition,
    tlp_definition,
)

#: As published by the OASIS CTI TC (cti-stix-common-objects, tlp-2.0).
PUBLISHED = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


def test_tlp2_ids_are_the_published_ones() -> None:
    assert {t.value: i for t, i in TLP2_IDS.items()} == PUBLISHED
    for tlp in Tlp:
        obj = tlp_definition(tlp)
        assert obj["name"] == f"TLP:{tlp.value}"
        assert obj["created"] == "2022-10-01T00:00:00.000Z"
        ext = obj["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]
        assert ext == {"extension_type": "property-extension", "tlp_2_0": tlp.value.lower()}


def test_definitions_validate() -> None:
    extra = Marking.build("AMBER", ["vetted-by:us.dea"], orcon=True, legal_basis="x-1",
                          caveats=["LES"])
    objects = fixed_objects() + [tlp_definition(t) for t in Tlp] + [tearline_definition(extra)]
    assert_valid({"type": "bundle", "id": "bundle--0b7a8f5e-6f43-4e57-9b1c-3d7c1f1f2a10",
                  "objects": objects})


def test_a_plain_tlp_marking_is_only_the_standard_ref() -> None:
    assert marking_refs(Marking.build("GREEN")) == [PUBLISHED["GREEN"]]
    rich = Marking.build("RED", ["unit:mx.semar.uie"])
    assert marking_refs(rich)[0] == PUBLISHED["RED"] and len(marking_refs(rich)) == 2


def test_the_strictest_tlp_wins_without_a_tearline_marking() -> None:
    assert read_marking([PUBLISHED["GREEN"], PUBLISHED["RED"]], {}) == Marking.build("RED")
    assert read_marking(["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"], {}) == (
        Marking.build("CLEAR"))  # TLP 1.0 WHITE
    assert read_marking(["marking-definition--00000000-0000-4000-8000-000000000000"], {}) is None


@settings(max_examples=100, deadline=None)
@given(marking=markings())
def test_tearline_markings_round_trip(marking: Marking) -> None:
    objects = json.loads(json.dumps(marking_objects(marking)))
    known = {o["id"]: marking_from_extension(ext) for o in objects
             for key, ext in o["extensions"].items() if key != TLP2_EXT}
    assert read_marking(marking_refs(marking), known) == marking
    assert tearline_definition(marking)["id"] == tearline_definition(
        Marking.from_dict(marking.to_dict()))["id"]


TLP2_EXT = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
