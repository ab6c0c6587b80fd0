"""A file's records built where the placement puts them: new ones, and amendments checked
like the API's amend (the same reasons), only with properties of the record's schema."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.errors import IngestError, ValidationError
from tearline.ingest.entities import Collector, read_jsonl
from tearline.ingest.placement import placed_record
from tearline.model.marking import Marking
from tearline.model.namespace import Placement, Target
from tearline.model.statement import Provenance
from tearline.policy.editing import may_amend
from tearline.policy.subject import Subject

DATA = Path(__file__).parent / "data"
AT = datetime(2024, 5, 3, tzinfo=UTC)
FEMDO = Subject("mx.fgr.femdo", "mx.fgr")
FGR = Provenance("mx.fgr", "mx.fgr.femdo", AT)
GREEN, CLEAR = Marking.build("GREEN"), Marking.build("CLEAR")
DEA_ORG = Target("us.dea.sod..o-1", "Organization", "us.dea", "us.dea.sod", GREEN)
OWN_PERSON = Target("mx.fgr.femdo..p-1", "Person", "mx.fgr", "mx.fgr.femdo",
                    Marking.build("AMBER+STRICT"))
PLACEMENT = Placement("mx.fgr.femdo", {DEA_ORG.id: DEA_ORG, OWN_PERSON.id: OWN_PERSON})


def _collect(text: str, marking: Marking = CLEAR) -> Collector:
    collector = Collector("f.jsonl", FGR, marking)
    read_jsonl(text.splitlines(), collector)
    return collector


def test_new_records_and_references_go_to_the_writers_namespace() -> None:
    collector = _collect(
        '{"id": "m-1", "schema": "Membership", "properties": '
        '{"member": ["p-9"], "organization": ["us.dea.sod..o-1"]}}\n'
        '{"id": "p-9", "schema": "Person", "properties": {"name": ["Nadie"]}}\n'
    )
    assert collector.ids() == {"m-1", "p-9", "us.dea.sod..o-1"}
    records = {r.id: r for r in collector.records(TEST_KEYER, PLACEMENT, FEMDO)}
    assert sorted(records) == ["mx.fgr.femdo..m-1", "mx.fgr.femdo..p-9"]
    membership = records["mx.fgr.femdo..m-1"]
    # a reference to a record that exists for the writer stays; the file's own is placed
    assert membership.values("member") == ["mx.fgr.femdo..p-9"]
    assert membership.values("organization") == ["us.dea.sod..o-1"]
    assert {s.entity_id for s in membership.statements} == {"mx.fgr.femdo..m-1"}


def test_a_foreign_visible_record_takes_statements_under_the_writers_marking() -> None:
    record = placed_record(PLACEMENT, FEMDO, "us.dea.sod..o-1", "Organization",
                           {"country": ["mx"]}, FGR, GREEN, keyer=TEST_KEYER)
    assert (record.id, record.originator, record.marking) == (DEA_ORG.id, "us.dea", GREEN)
    (statement,) = record.statements
    assert (statement.origin, statement.marking, statement.value) == ("mx.fgr", GREEN, "mx")


def test_amendments_are_refused_with_the_reasons_of_the_apis_amend() -> None:
    with pytest.raises(ValidationError) as info:
        placed_record(PLACEMENT, FEMDO, "us.dea.sod..o-1", "Organization", {"country": ["mx"]},
                      FGR, CLEAR, portions={"country": CLEAR}, keyer=TEST_KEYER)
    expected = may_amend(FEMDO, "us.dea", GREEN, CLEAR).reasons
    assert expected and [(p.column, p.message) for p in info.value.problems] == [
        (column, f"you may not amend it: {reason}")
        for column in ("marking", "country") for reason in expected]


def test_an_existing_record_takes_only_properties_of_its_schema() -> None:
    with pytest.raises(ValidationError) as info:
        placed_record(PLACEMENT, FEMDO, "p-1", "Vessel", {"imoNumber": ["IMO 9074729"]}, FGR,
                      OWN_PERSON.marking, keyer=TEST_KEYER)
    assert [(p.column, p.message) for p in info.value.problems] == [(
        "schema", "mx.fgr.femdo..p-1 is a record of schema Person; Vessel properties cannot be "
        "added to it")]
    with pytest.raises(ValidationError) as info:
        placed_record(PLACEMENT, FEMDO, "p-1", "Person", {"imoNumber": ["IMO 9074729"]}, FGR,
                      OWN_PERSON.marking, keyer=TEST_KEYER)
    assert [(p.column, p.message) for p in info.value.problems] == [
        ("imoNumber", "schema Person has no property 'imoNumber'")]


def test_the_originators_units_add_under_the_records_marking() -> None:
    same = placed_record(PLACEMENT, FEMDO, "p-1", "Person", {"alias": ["Flaco"]}, FGR,
                         OWN_PERSON.marking, keyer=TEST_KEYER)
    assert [s.marking for s in same.statements] == [None]
    narrower = placed_record(PLACEMENT, FEMDO, "p-1", "Person", {"alias": ["Flaco"]}, FGR,
                             Marking.build("RED", ["unit:mx.fgr.femdo"]), keyer=TEST_KEYER)
    assert [s.marking for s in narrower.statements] == [Marking.build("RED",
                                                                      ["unit:mx.fgr.femdo"])]


def test_an_own_namespace_id_held_by_another_author_is_refused() -> None:
    placement = Placement("mx.fgr.femdo", {}, frozenset({"mx.fgr.femdo..x"}))
    with pytest.raises(ValidationError, match="held by a record of another unit"):
        placed_record(placement, FEMDO, "x", "Person", {"name": ["X"]}, FGR, CLEAR,
                      keyer=TEST_KEYER)


def test_two_file_ids_naming_one_record_are_refused() -> None:
    collector = _collect(
        '{"id": "p-1", "schema": "Person", "properties": {"name": ["A"]}}\n'
        '{"id": "mx.fgr.femdo..p-1", "schema": "Person", "properties": {"name": ["B"]}}\n'
    )
    with pytest.raises(IngestError) as info:
        collector.records(TEST_KEYER, Placement("mx.fgr.femdo"), FEMDO)
    assert [str(p) for p in info.value.problems] == [
        "f.jsonl:2:id: mx.fgr.femdo..p-1 and p-1 (line 1) name the same record "
        "mx.fgr.femdo..p-1"]


def test_a_placement_needs_the_writer() -> None:
    collector = _collect('{"id": "p-1", "schema": "Person", "properties": {"name": ["A"]}}')
    with pytest.raises(TypeError):
        collector.records(TEST_KEYER, PLACEMENT)
