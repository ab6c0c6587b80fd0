"""A MISP event from a partner's instance: what tearline reads and what it refuses, located
(``misp/importer.py``, ``ingest/misp_event.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from misp_records import AT

from statement_keys import TEST_KEYER
from tearline.errors import IngestError
from tearline.ingest.entities import Collector
from tearline.ingest.misp_event import read_misp
from tearline.misp.importer import is_misp_event, read_event
from tearline.model.marking import Marking
from tearline.model.statement import Provenance

DATA = Path(__file__).parent / "data"
FOREIGN = (DATA / "foreign_event.json").read_text("utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_every_refusal_is_located_with_its_reason() -> None:
    read = read_event(FOREIGN, "foreign_event.json")
    found = {(p.line, p.column): p.message for p in read.problems}
    assert set(found) == {
        (line_of(FOREIGN, "7b2c3d4e"), "Attribute"),      # a loose attribute
        (line_of(FOREIGN, "bf6a7b8c"), "website"),        # PAP:RED: cannot be read
        (line_of(FOREIGN, "c07b8c9d"), "addressEntity"),  # a reference to nothing here
        (line_of(FOREIGN, "e29d0e1f"), "name"),           # a file object
        (line_of(FOREIGN, "26d14c5d"), "brand"),          # no Phone property holds it
    }
    assert "PAP:RED" in found[(line_of(FOREIGN, "bf6a7b8c"), "website")]
    assert "'file'" in found[(line_of(FOREIGN, "e29d0e1f"), "name")]
    assert all(str(p).startswith(f"foreign_event.json:{p.line}:") for p in read.problems)


def test_what_maps_is_read_with_its_markings() -> None:
    read = read_event(FOREIGN, "foreign_event.json")
    assert read.marking == Marking.build("AMBER")
    person = next(e for e in read.entities if e.schema == "Person")
    assert person.id == "8c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"  # no record id: the uuid
    assert person.properties["alias"] == ["El Chapin Correo"]
    assert person.portions == {"alias": Marking.build("RED")}
    phone = next(e for e in read.entities if e.schema == "Phone")
    assert phone.properties["user"] == [person.id]


def test_the_whole_file_is_refused() -> None:
    collector = Collector("foreign_event.json", Provenance("mx.semar", "mx.semar.uie", AT),
                          Marking.build("AMBER+STRICT"))
    read_misp(FOREIGN, collector)
    with pytest.raises(IngestError) as caught:
        collector.records(TEST_KEYER)
    assert len(caught.value.problems) >= 5


def test_detection() -> None:
    assert is_misp_event(FOREIGN)
    assert not is_misp_event('{"id": "p-1", "schema": "Person", "properties": {}}\n')
    assert not is_misp_event('{"Event": {}}\n{"Event": {}}\n')
