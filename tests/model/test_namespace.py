"""Ids in a unit's own namespace, and where a file's ids go for a writer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tearline.model.marking import Marking
from tearline.model.namespace import (
    FTM_ID,
    MAX_ID,
    Placement,
    Target,
    namespace,
    own_id,
    owner,
)
from tearline.model.record import ENTITY_ID

UNIT = "mx.fgr.femdo"
#: Unit ids as parties accept them (``model/marking.py`` ``_ID``), with an agency part.
units = st.from_regex(r"[a-z][a-z0-9_-]{0,8}(\.[a-z0-9][a-z0-9_-]{0,8}){1,3}", fullmatch=True)
file_ids = st.from_regex(ENTITY_ID, fullmatch=True)


def test_a_file_id_goes_under_the_unit() -> None:
    assert own_id(UNIT, "p-1") == "mx.fgr.femdo..p-1"
    assert owner("mx.fgr.femdo..p-1") == UNIT
    assert owner("p-1") is None
    # another unit's id is a file id like any other; one's own is kept
    assert own_id(UNIT, "us.dea.sod..p-1") == "mx.fgr.femdo..us.dea.sod..p-1"
    assert own_id(UNIT, "mx.fgr.femdo..p-1") == "mx.fgr.femdo..p-1"


def test_ids_that_would_not_fit_keep_a_readable_part() -> None:
    odd = own_id(UNIT, "case_2024:17")
    assert odd.startswith("mx.fgr.femdo..case-2024-17-") and FTM_ID.fullmatch(odd)
    assert own_id(UNIT, "case_2024:17") == odd != own_id(UNIT, "case-2024-17")
    long = own_id(UNIT, "x" * 128)
    assert len(long) <= MAX_ID and long.startswith("mx.fgr.femdo..xxx") and FTM_ID.fullmatch(long)
    assert own_id(UNIT, "x" * 128) != own_id(UNIT, "x" * 127 + "y")


def test_a_trailing_newline_is_not_part_of_an_id() -> None:
    # ``$`` matches before a final newline; ids are checked as whole strings
    assert own_id(UNIT, "p-1\n") != "mx.fgr.femdo..p-1\n"
    assert FTM_ID.fullmatch(own_id(UNIT, "p-1\n"))


def test_a_unit_that_is_no_ftm_id_gets_a_digest_without_a_dot() -> None:
    space = namespace("mx.fgr.unit_2")
    assert space.startswith("u") and "." not in space and FTM_ID.fullmatch(space)
    assert own_id("mx.fgr.unit_2", "p-1") == f"{space}..p-1"


@given(units, file_ids)
def test_own_ids_are_ftm_ids_in_the_unit_namespace(unit: str, file_id: str) -> None:
    placed = own_id(unit, file_id)
    assert FTM_ID.fullmatch(placed) and ENTITY_ID.fullmatch(placed) and len(placed) <= MAX_ID
    assert owner(placed) == namespace(unit)
    assert own_id(unit, placed) == placed  # idempotent: a re-ingested export stays put


@given(units, units, file_ids, file_ids)
def test_two_units_never_share_an_id(a: str, b: str, x: str, y: str) -> None:
    if a != b:
        assert namespace(a) != namespace(b)
        assert own_id(a, x) != own_id(b, y)


def _target(entity_id: str, schema: str = "Person") -> Target:
    return Target(entity_id, schema, "us.dea", "us.dea.sod", Marking.build("GREEN"))


def test_placement_names_existing_records_only_when_they_exist_for_the_writer() -> None:
    visible = _target("us.dea.sod..o-1", "Organization")
    mine = _target("mx.fgr.femdo..p-1")
    placement = Placement(UNIT, {visible.id: visible, mine.id: mine},
                          frozenset({"mx.fgr.femdo..old"}))
    # a record that exists for the writer is named by its id
    assert placement.id_for("us.dea.sod..o-1") == "us.dea.sod..o-1"
    assert placement.target("us.dea.sod..o-1") == visible
    # the writer's own record, found again under its own id
    assert placement.id_for("p-1") == mine.id and placement.target("p-1") == mine
    # an id that exists for nobody here (hidden or free: the placement cannot tell)
    assert placement.id_for("p-9") == "mx.fgr.femdo..p-9" and placement.target("p-9") is None
    assert placement.id_for("old") == "mx.fgr.femdo..old" and placement.target("old") is None
