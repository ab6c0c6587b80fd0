"""Standard STIX for consumers that ignore granular markings (``to_stix(granular=False)``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from stix_checks import assert_valid

from portion_safety import wider
from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.stix import from_stix, to_stix
from tearline.stix.extensions import RECORD_EXTENSION_ID
from tearline.stix.markings import marking_refs

AT = datetime(2024, 2, 1, 9, 30, tzinfo=UTC)
PROV = Provenance("us.dea", "us.dea.sod", AT)
GREEN = Marking.build("GREEN")
AMBER = Marking.build("AMBER", ["agency:mx.semar"], legal_basis="us-mx-2021")
RED = Marking.build("RED", ["unit:mx.semar.uie"], legal_basis="us-mx-2021")


def case() -> list[Record]:
    courier = build_record("p-courier", "Person", {
        "name": ["Marco Ruelas Ibarra"], "nationality": ["gt"],
        "alias": ["El Chapin Correo"], "birthDate": ["1987-06-14"]}, PROV, GREEN,
        portions={"alias": AMBER, "birthDate": RED}, keyer=TEST_KEYER)
    boss = build_record("p-boss", "Person", {"name": ["Aurelio Fonseca Tame"]}, PROV, GREEN,
                        portions={"name": AMBER}, keyer=TEST_KEYER)
    link = build_record("l-1", "Associate", {"person": ["p-courier"], "associate": ["p-boss"],
                                              "relationship": ["courier for"]}, PROV, GREEN,
                        portions={"associate": AMBER, "relationship": AMBER}, keyer=TEST_KEYER)
    phone = build_record("ph-1", "Phone", {"number": ["+52 667 123 4567"],
                                           "user": ["p-courier"]}, PROV, GREEN,
                         portions={"user": AMBER}, keyer=TEST_KEYER)
    return [courier, boss, link, phone]


def ext(obj: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = obj.get("extensions", {}).get(RECORD_EXTENSION_ID, {})
    return found


def _objects(granular: bool) -> list[dict[str, Any]]:
    bundle = to_stix(case(), granular=granular).bundle
    assert_valid(bundle)
    objects: list[dict[str, Any]] = bundle["objects"]
    return objects


def test_granular_markings_alone_leave_portions_under_wider_object_markings() -> None:
    # what tearline peers receive: safe for them, not for a consumer ignoring portions
    assert wider(_objects(granular=True), case())


def test_a_consumer_ignoring_granular_markings_holds_no_value_under_a_wider_marking() -> None:
    objects = _objects(granular=False)
    assert not any("granular_markings" in o for o in objects)
    assert wider(objects, case()) == []


def test_each_portion_travels_as_an_object_of_its_own_marked_with_both() -> None:
    objects = _objects(granular=False)
    portions = {o["description"]: o for o in objects if o["type"] == "identity"
                and ext(o).get("derived_from") == "p-courier"}
    assert set(portions) == {"alias: El Chapin Correo", "birthDate: 1987-06-14"}
    alias = portions["alias: El Chapin Correo"]
    assert set(marking_refs(AMBER)) | set(marking_refs(GREEN)) == set(
        alias["object_marking_refs"])
    assert alias["name"] == "Marco Ruelas Ibarra (alias)"
    assert alias["identity_class"] == "individual"
    person = next(o for o in objects if o["type"] == "identity"
                  and ext(o).get("entity_id") == "p-courier")
    props = {s["prop"] for s in ext(person)["statements"]}
    assert props == {"name", "nationality"}


def test_a_portioned_name_is_not_the_objects_name() -> None:
    objects = _objects(granular=False)
    boss = next(o for o in objects if o["type"] == "identity"
                and ext(o).get("derived_from") == "p-boss" and "description" not in o)
    # every statement of it is a portion: the object carries none (nor its name)
    assert boss["name"] == "p-boss" and set(ext(boss)) == {"extension_type", "derived_from"}


def test_a_relationship_end_with_its_own_marking_raises_the_relationships_marking() -> None:
    objects = _objects(granular=False)
    link = next(o for o in objects if o["type"] == "relationship"
                and ext(o).get("entity_id") == "l-1")
    assert set(marking_refs(AMBER)) <= set(link["object_marking_refs"])
    derived = [o for o in objects if o["type"] == "relationship"
               and ext(o).get("derived_from") == "ph-1"]
    assert len(derived) == 1 and set(marking_refs(AMBER)) <= set(
        derived[0]["object_marking_refs"])


def test_a_portion_of_a_relationship_is_not_sent() -> None:
    objects = _objects(granular=False)
    assert not any("courier for" in json.dumps(o) for o in objects
                   if o["type"] == "relationship")


def test_tearline_reads_back_what_the_objects_carry_and_ignores_the_portions() -> None:
    bundle = to_stix(case(), granular=False).bundle
    back = {r.id: r for r in from_stix(bundle, keyer=TEST_KEYER)}
    assert back["p-courier"].values("alias") == [] and back["p-courier"].values("name") == [
        "Marco Ruelas Ibarra"]
    assert back["l-1"].values("associate") == ["p-boss"]


def test_a_note_stricter_than_a_record_it_names_is_not_sent() -> None:
    # misp-stix shows a note's text as analyst data under the named object's tags
    sanction = build_record("sa-1", "Sanction", {"entity": ["p-courier"],
                                                 "program": ["SDNTK"]}, PROV, AMBER,
                            keyer=TEST_KEYER)
    export = to_stix([*case(), sanction], granular=False)
    assert not any(o["type"] == "note" for o in export.bundle["objects"])
    assert [p.column for p in export.skipped] == ["sa-1"]
    assert any(o["type"] == "note" for o in to_stix([*case(), sanction]).bundle["objects"])
