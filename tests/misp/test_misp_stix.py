"""The standard STIX a non-tearline peer receives, imported by MISP's own converter
(``misp-stix``'s ``ExternalSTIX2toMISPParser``, which ignores granular markings): every
record MISP can represent arrives, and no value arrives under a wider marking than its own.

A value "arrives under" the TLP tags of the MISP attribute holding it (its event's when
it has none; misp-stix tags an event with every marking of the bundle), and analyst data
under its object's attributes' tags. Relationships arrive
as object references, which carry no tags in MISP (docs/misp.md says so).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from misp_records import AMBER, GREEN, PROV, RED
from misp_stix_converter import ExternalSTIX2toMISPParser
from misp_stix_converter.misp_stix_converter import load_stix2_file

from statement_keys import TEST_KEYER
from tearline.model.marking import Tlp
from tearline.model.record import Record, build_record
from tearline.stix import to_stix

#: The STIX types of ours misp-stix turns into MISP objects (it makes none of incident,
#: infrastructure or course-of-action; a note becomes analyst data without its tags).
REPRESENTABLE = ("identity", "location", "threat-actor")


def records() -> list[Record]:
    def rec(rid: str, schema: str, props: dict[str, list[str]], marking: Any,
            portions: Any = None) -> Record:
        return build_record(rid, schema, props, PROV, marking, portions, keyer=TEST_KEYER)

    return [
        # the finding of issue #21: an AMBER nationality inside a GREEN identity
        rec("p-courier", "Person", {"name": ["Marco Ruelas Ibarra"], "nationality": ["gt"],
                                    "birthDate": ["1987-06-14"]}, GREEN,
            {"nationality": AMBER, "birthDate": RED}),
        rec("o-golfo", "Organization", {"name": ["Cartel del Golfo Sur"],
                                        "topics": ["crime.traffick.drug"]}, GREEN),
        rec("p-jefe", "Person", {"name": ["Aurelio Fonseca Tame"]}, AMBER, {"name": RED}),
        rec("a-1", "Address", {"full": ["Calle 5 de Mayo 12, Culiacan"], "country": ["mx"],
                               "city": ["Culiacan Rosales"]}, GREEN, {"city": AMBER}),
        rec("m-1", "Membership", {"member": ["p-courier"], "organization": ["o-golfo"],
                                  "role": ["halcon de plaza"]}, AMBER),
        rec("p-solo", "Person", {"name": ["Lucio Arreola Paz"]}, GREEN),
        rec("s-1", "Seizure", {"drug": ["fentanyl"], "grossWeight": ["12.5"],
                               "suspect": ["p-courier"]}, GREEN),
    ]


def imported(granular: bool, tmp: Path, single: bool) -> list[dict[str, Any]]:
    path = tmp / f"bundle-{granular}-{single}.json"
    path.write_text(json.dumps(to_stix(records(), granular=granular).bundle), "utf-8")
    parser = ExternalSTIX2toMISPParser()
    parser.load_stix_bundle(load_stix2_file(path))
    parser.parse_stix_bundle(single_event=single)
    found = parser.misp_event if single else parser.misp_events
    events = found if isinstance(found, list) else [found]
    return [json.loads(e.to_json()) for e in events]


#: What a cluster MISP keeps to the receiving organisation counts as: the narrowest level.
ORGANISATION_ONLY = Tlp.RED.rank


def _levels(tags: list[dict[str, Any]]) -> list[int]:
    out = []
    for tag in tags:
        name = tag["name"].lower()
        if name.startswith("tlp:") and "//" not in name:
            out.append(Tlp.parse(name.removeprefix("tlp:")).rank)
    return out


def carried(event: dict[str, Any]) -> Iterator[tuple[str, int, str]]:
    """(text, the strictest TLP rank it is tagged with, where) for every text MISP holds."""
    around = _levels(event.get("Tag", []))

    def rank(tags: list[int]) -> int:  # an attribute's own TLP tag is the one it shows
        return max(tags or around, default=-1)

    for attr in event.get("Attribute", []):
        yield str(attr["value"]), rank(_levels(attr.get("Tag", []))), "attr"
    for obj in event.get("Object", []):
        ranks = [r for a in obj.get("Attribute", []) for r in _levels(a.get("Tag", []))]
        for attr in obj.get("Attribute", []):
            yield (str(attr["value"]), rank(_levels(attr.get("Tag", []))),
                   f"{obj['name']}.{attr['object_relation']}")
        for note in obj.get("Note", []):  # analyst data: only its object's tags around it
            for text in (note.get("note", ""), note.get("comment", "")):
                yield text, rank(ranks), f"{obj['name']} note"
    for galaxy in event.get("Galaxy", []):  # a location without a city becomes a cluster
        for cluster in galaxy.get("GalaxyCluster", []):
            # distribution 0: the receiving organisation only, as narrow as MISP goes
            kept = ORGANISATION_ONLY if str(cluster.get("distribution")) == "0" else rank([])
            for text in (cluster.get("value", ""), cluster.get("description", "")):
                yield text, kept, f"galaxy {galaxy.get('type')}"


def wider(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for record in records():
        for stmt in record.statements:
            own = (stmt.marking or record.marking).tlp.rank
            for event in events:
                for text, rank, where in carried(event):
                    if (text == stmt.value or f"{stmt.prop}: {stmt.value}" in text) and rank < own:
                        found.append(f"{record.id} {stmt.prop}={stmt.value!r} in {where} "
                                     f"tagged rank {rank} < {own}")
    return found


@pytest.mark.parametrize("single", [True, False])
def test_misp_keeps_what_it_can_represent_under_markings_at_least_as_strict(
        tmp_path: Path, single: bool) -> None:
    events = imported(False, tmp_path, single)
    assert wider(events) == []
    bundle = to_stix(records(), granular=False).bundle
    expected = {o["id"].split("--")[1] for o in bundle["objects"]
                if o["type"] in REPRESENTABLE and "created_by_ref" in o
                and "derived_from" not in o["extensions"][next(iter(o["extensions"]))]}
    uuids = {o["uuid"] for e in events for o in e.get("Object", [])}
    clusters = {c["value"] for e in events for g in e.get("Galaxy", [])
                for c in g.get("GalaxyCluster", [])}
    kept = {o["id"].split("--")[1] for o in bundle["objects"] if o.get("name") in clusters}
    assert expected and expected <= uuids | kept  # every person, organization, address
    names = {a["value"] for e in events for o in e.get("Object", [])
             for a in o["Attribute"] if a["object_relation"] == "name"}
    assert {"Marco Ruelas Ibarra", "Cartel del Golfo Sur", "Lucio Arreola Paz"} <= names


def test_granular_markings_alone_are_flattened_by_misp(tmp_path: Path) -> None:
    # what a tearline node receives, given to MISP: the AMBER nationality tagged GREEN
    leaks = wider(imported(True, tmp_path, False))
    assert any("p-courier nationality='gt'" in leak for leak in leaks), leaks
