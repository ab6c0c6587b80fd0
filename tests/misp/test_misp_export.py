"""What a MISP instance receives of a hand-made case (``misp/export.py``)."""

from __future__ import annotations

from typing import Any

from misp_checks import event_files, loaded, objects_named, validate
from misp_records import AMBER, RED, case
from pymisp import MISPEvent

from tearline.misp.export import event_uuid, object_uuid, to_events
from tearline.misp.feed import feed_files
from tearline.misp.tags import COMMUNITY, ORGANISATION, marking_tags


def events() -> dict[str, MISPEvent]:
    files = feed_files(to_events(case()).events)
    out = {}
    for text in event_files(files).values():
        event = loaded(text)
        validate(event)
        main = next(o for o in event.objects if o.name != "tearline-statement")
        out[main.comment] = event
    return out


def tags(item: Any) -> list[str]:
    return [t.name for t in item.tags]


def test_each_record_is_an_event_of_its_marking() -> None:
    found = events()
    assert set(found) == {"p-courier", "o-1", "m-1", "ph-1", "s-1", "a-1"}
    courier = found["p-courier"]
    assert courier.uuid == event_uuid("p-courier")
    assert tags(courier) == ["tlp:green"] and int(courier.distribution) == COMMUNITY
    assert courier.info == "Person: Marco Ruelas Ibarra" and courier.Orgc.name == "us.dea"
    assert tags(found["m-1"]) == marking_tags(AMBER)
    assert int(found["m-1"].distribution) == ORGANISATION


def test_templates_per_schema() -> None:
    found = events()
    names = {k: [o.name for o in e.objects] for k, e in found.items()}
    assert names["p-courier"][0] == "ftm-Person" and names["o-1"] == ["ftm-Organization"]
    assert names["m-1"] == ["ftm-Membership"] and names["s-1"][0] == "tearline-seizure"
    assert names["ph-1"] == ["phone", "tearline-statement"]  # the carrier has no attribute
    assert names["a-1"][0] == "tearline-record"  # MISP has no Address template


def test_a_portion_is_an_object_of_its_own_with_its_own_tags_and_distribution() -> None:
    courier = events()["p-courier"]
    (person,) = objects_named(courier, "ftm-Person")
    assert {a.object_relation: a.value for a in person.attributes} == {
        "name": "Marco Ruelas Ibarra", "nationality": "gt"}
    (alias,) = objects_named(courier, "tearline-statement")
    assert int(alias.distribution) == ORGANISATION
    values = {a.object_relation: a for a in alias.attributes}
    assert values["value"].value == "El Chapin Correo"
    assert tags(values["value"]) == marking_tags(AMBER)
    assert int(values["value"].distribution) == ORGANISATION
    assert [r.referenced_uuid for r in alias.references] == [person.uuid]
    (seizure,) = objects_named(events()["s-1"], "tearline-seizure")
    assert "grossWeight" not in {a.object_relation for a in seizure.attributes}
    (weight,) = objects_named(events()["s-1"], "tearline-statement")
    assert tags(next(a for a in weight.attributes if a.object_relation == "value")
                ) == marking_tags(RED)


def test_references_name_the_record_they_point_to() -> None:
    (membership,) = objects_named(events()["m-1"], "ftm-Membership")
    refs = {(r.relationship_type, r.referenced_uuid, r.comment) for r in membership.references}
    assert refs == {("member", object_uuid("p-courier"), "p-courier"),
                    ("organization", object_uuid("o-1"), "o-1")}
    (phone,) = objects_named(events()["ph-1"], "phone")
    assert [(a.object_relation, a.value) for a in phone.attributes] == [
        ("msisdn", "+526671234567")]


def test_the_feed_is_the_same_on_every_export() -> None:
    assert feed_files(to_events(case()).events) == feed_files(to_events(case()).events)
