"""Every visibility rule of docs/policy.md, one case at a time, with its reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from statement_keys import TEST_KEYER
from tearline.errors import MarkingError, ValidationError
from tearline.model.marking import Marking
from tearline.model.parties import Vetting
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.evaluator import Evaluator
from tearline.policy.subject import Subject, VettingFacts

T = datetime(2024, 5, 1, tzinfo=UTC)
DEA_SOD = Subject("us.dea.sod", "us.dea")
DEA_EP = Subject("us.dea.epfd", "us.dea")
UIE = Subject("mx.semar.uie", "mx.semar")
PN = Subject("mx.semar.pn", "mx.semar")
FEMDO = Subject("mx.fgr.femdo", "mx.fgr")
VET = Vetting("v1", "us.dea", "mx.semar.uie", T - timedelta(days=10), T + timedelta(days=10))


def person(marking: Marking, portion: Marking | None = None, unit: str = "us.dea.sod") -> Record:
    prov = Provenance(unit.rsplit(".", 1)[0], unit, T - timedelta(days=30))
    portions = {"birthDate": portion} if portion else None
    return build_record("p1", "Person", {"name": ["Ana Lopez"], "birthDate": ["1970-01-02"]},
                        prov, marking, portions, keyer=TEST_KEYER)


def sees(subject: Subject, rec: Record, at: datetime = T,
         vettings: tuple[Vetting, ...] = (VET,)) -> set[str]:
    ev = Evaluator(subject, at, VettingFacts.of(vettings))
    return {s.prop for s in ev.visible_statements(rec)}


def test_author_unit_always_sees_its_statements() -> None:
    rec = person(Marking.build("RED"))
    assert sees(DEA_SOD, rec) == {"name", "birthDate"}
    assert sees(DEA_EP, rec) == set()


@pytest.mark.parametrize("tlp", ["CLEAR", "GREEN"])
def test_clear_and_green_reach_every_unit(tlp: str) -> None:
    rec = person(Marking.build(tlp))
    for subject in (DEA_EP, UIE, PN, FEMDO):
        assert sees(subject, rec) == {"name", "birthDate"}


@pytest.mark.parametrize("tlp", ["AMBER", "AMBER+STRICT"])
def test_amber_reaches_the_originator_and_matching_selectors(tlp: str) -> None:
    rec = person(Marking.build(tlp, ["vetted-by:us.dea", "agency:mx.fgr"], legal_basis="b"))
    assert sees(DEA_EP, rec) == {"name", "birthDate"}  # unit of the originator
    assert sees(UIE, rec) == {"name", "birthDate"}  # vetted by us.dea
    assert sees(FEMDO, rec) == {"name", "birthDate"}  # agency named
    assert sees(PN, rec) == set()  # same agency as UIE, not vetted


@pytest.mark.parametrize("tlp", ["AMBER", "AMBER+STRICT"])
def test_amber_reaches_a_unit_named_by_a_unit_selector_and_no_other(tlp: str) -> None:
    rec = person(Marking.build(tlp, ["unit:mx.semar.pn"], legal_basis="b"))
    assert sees(PN, rec) == {"name", "birthDate"}  # the unit named
    assert sees(DEA_EP, rec) == {"name", "birthDate"}  # unit of the originator
    assert sees(UIE, rec) == set()  # same agency as PN, vetted, yet not named
    assert sees(FEMDO, rec) == set()
    why = Evaluator(PN, T, VettingFacts.of([VET])).record_decision(rec).explain()
    assert why == f"allowed: marking in force; TLP:{tlp}; releasable to unit mx.semar.pn"
    # a portion naming another unit hides its value from the unit the record names,
    # and does not widen the record to the unit it names
    narrowed = person(Marking.build(tlp, ["unit:mx.semar.pn"], legal_basis="b"),
                      Marking.build("AMBER+STRICT", ["unit:mx.semar.uie"], legal_basis="b"))
    assert sees(PN, narrowed) == {"name"}
    assert sees(UIE, narrowed) == set()


def test_red_reaches_only_named_units() -> None:
    rec = person(Marking.build("RED", ["unit:mx.semar.uie"], legal_basis="b"))
    assert sees(UIE, rec) == {"name", "birthDate"}
    assert sees(DEA_EP, rec) == set()  # not even the originator's other units
    assert sees(PN, rec) == set()


def test_red_with_agency_or_vetted_by_selectors_is_rejected_when_set() -> None:
    for selector in ("agency:mx.semar", "vetted-by:us.dea"):
        with pytest.raises(MarkingError, match="TLP:RED is for named individuals' units only"):
            Marking.build("RED", [selector], legal_basis="b")


def test_release_beyond_the_originator_needs_a_legal_basis() -> None:
    with pytest.raises(ValidationError, match="a legal basis is required"):
        person(Marking.build("AMBER", ["agency:mx.semar"]))
    with pytest.raises(ValidationError, match="vetted-by:us.dea"):
        person(Marking.build("AMBER", ["vetted-by:us.dea"]))
    # inside the originating agency no basis is needed; public levels name nobody
    person(Marking.build("AMBER", ["unit:us.dea.epfd", "agency:us.dea"]))
    person(Marking.build("GREEN"))
    with pytest.raises(MarkingError, match="beyond the originating agency us.dea"):
        Marking.build("RED", ["unit:mx.fgr.femdo"]).check_for_originator("us.dea")


def test_expiry_lapses_every_release_outside_the_originator_at_that_instant() -> None:
    exp = T + timedelta(hours=1)
    rec = person(Marking.build("AMBER", ["agency:mx.fgr"], legal_basis="b", expires_at=exp))
    assert sees(FEMDO, rec, exp - timedelta(microseconds=1)) == {"name", "birthDate"}
    assert sees(FEMDO, rec, exp) == set()
    assert sees(DEA_EP, rec, exp) == {"name", "birthDate"}
    green = person(Marking.build("GREEN", expires_at=exp))
    assert sees(FEMDO, green, exp) == set()
    red = person(Marking.build("RED", ["unit:us.dea.epfd", "unit:mx.semar.uie"],
                               legal_basis="b", expires_at=exp))
    assert sees(DEA_EP, red, exp) == {"name", "birthDate"}  # named unit of the originator
    assert sees(UIE, red, exp) == set()


def test_vetting_that_lapses_or_is_revoked_takes_visibility_with_it_at_that_instant() -> None:
    rec = person(Marking.build("AMBER", ["vetted-by:us.dea"], legal_basis="b"))
    assert sees(UIE, rec, VET.valid_until - timedelta(microseconds=1)) == {"name", "birthDate"}
    assert sees(UIE, rec, VET.valid_until) == set()
    assert sees(UIE, rec, VET.valid_from - timedelta(microseconds=1)) == set()
    revoked = Vetting(VET.id, VET.by, VET.unit, VET.valid_from, VET.valid_until, T)
    assert sees(UIE, rec, T - timedelta(microseconds=1), (revoked,)) == {"name", "birthDate"}
    assert sees(UIE, rec, T, (revoked,)) == set()


def test_a_portion_narrows_never_widens() -> None:
    rec = person(Marking.build("AMBER", ["vetted-by:us.dea"], legal_basis="b"),
                 Marking.build("AMBER+STRICT"))
    assert sees(UIE, rec) == {"name"}
    assert sees(DEA_EP, rec) == {"name", "birthDate"}
    with pytest.raises(ValidationError, match="a portion may only narrow"):
        person(Marking.build("AMBER+STRICT"), Marking.build("GREEN"))


def test_a_statement_needs_the_records_marking_visible_too() -> None:
    # a statement of another agency marked GREEN inside an AMBER+STRICT record stays hidden
    rec = person(Marking.build("AMBER+STRICT"))
    extra = build_record("p1", "Person", {"name": ["Ana L."]},
                         Provenance("mx.fgr", "mx.fgr.femdo", T), Marking.build("CLEAR"),
                         {"name": Marking.build("GREEN")}, keyer=TEST_KEYER)
    merged = Record(rec.id, rec.schema, rec.originator, rec.author, rec.marking,
                    rec.statements + extra.statements)
    assert sees(PN, merged) == set()
    ev = Evaluator(PN, T, VettingFacts())
    decision = ev.statement_decision(merged, extra.statements[0])
    assert not decision.allowed
    assert "record marking" in decision.explain()


def test_reasons_are_human_readable() -> None:
    rec = person(Marking.build("AMBER", ["vetted-by:us.dea"], legal_basis="b"))
    ev = Evaluator(PN, T, VettingFacts.of([VET]))
    why = ev.record_decision(rec).explain()
    assert why.startswith("denied: ")
    assert "matches none of releasable_to (vetted-by:us.dea)" in why
    ok = Evaluator(UIE, T, VettingFacts.of([VET])).record_decision(rec).explain()
    assert ok == "allowed: marking in force; TLP:AMBER; releasable to units vetted by us.dea"
