"""Onward release rules, ORCON consent, and decide() for every action, with reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking, Selector
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.decide import Action, PolicyFacts, Target, decide
from tearline.policy.evaluator import Evaluator
from tearline.policy.release import Consent, Release, ReleaseFacts, onward_rules
from tearline.policy.subject import Subject, VettingFacts

T = datetime(2024, 5, 1, tzinfo=UTC)
DEA = Subject("us.dea.sod", "us.dea")
FGR = Subject("mx.fgr.femdo", "mx.fgr")
FGR2 = Subject("mx.fgr.aic", "mx.fgr")
SEMAR = Subject("mx.semar.uie", "mx.semar")
AMBER = Marking.build("AMBER", ["unit:mx.fgr.femdo"], legal_basis="mlat")
STRICT = Marking.build("AMBER+STRICT", ["unit:mx.fgr.femdo"], legal_basis="mlat")
ORCON = Marking.build("AMBER", ["unit:mx.fgr.femdo"], orcon=True, legal_basis="mlat")
RED = Marking.build("RED", ["unit:mx.fgr.femdo"], legal_basis="mlat")


def rule(m: Marking, to: str, to_agency: str | None, basis: str | None = None,
         consent: Consent | None = None) -> bool:
    return onward_rules(m, "us.dea", "mx.fgr", Selector.parse(to), to_agency, basis,
                        consent).allowed


def test_onward_release_rules() -> None:
    assert not rule(RED, "unit:mx.fgr.aic", "mx.fgr", "b")  # never RED
    assert rule(STRICT, "unit:mx.fgr.aic", "mx.fgr")  # own agency
    assert not rule(STRICT, "agency:mx.semar", "mx.semar", "b")  # never beyond
    assert rule(AMBER, "agency:mx.fgr", "mx.fgr")
    assert not rule(AMBER, "agency:mx.semar", "mx.semar")  # beyond needs a basis
    assert rule(AMBER, "agency:mx.semar", "mx.semar", "b")
    assert not rule(AMBER, "vetted-by:us.dea", None)  # may reach other agencies
    assert not rule(ORCON, "unit:mx.fgr.aic", "mx.fgr")  # ORCON needs consent
    consent = Consent("c1", "p1", "us.dea", "mx.fgr", T)
    assert rule(ORCON, "unit:mx.fgr.aic", "mx.fgr", consent=consent)
    # the originator's own release: any level but RED, a basis beyond its agency
    assert onward_rules(STRICT, "us.dea", "us.dea", Selector.parse("agency:mx.semar"),
                        "mx.semar", "b", None).allowed
    denied = onward_rules(STRICT, "us.dea", "us.dea", Selector.parse("agency:mx.semar"),
                          "mx.semar", None, None)
    assert denied.reasons == ("a release beyond us.dea needs a legal basis",)


def record(marking: Marking) -> Record:
    return build_record("p1", "Person", {"name": ["Ana Lopez"]},
                        Provenance("us.dea", "us.dea.sod", T), marking, keyer=TEST_KEYER)


def release(rec: Record, by: Subject, to: str, to_agency: str | None, at: datetime,
            revoked: datetime | None = None) -> Release:
    return Release("r1", rec.id, by.unit, by.agency, Selector.parse(to), to_agency, None, at,
                   frozenset(s.id for s in rec.statements), revoked)


def test_a_release_widens_visibility_from_its_time_until_revoked() -> None:
    rec = record(STRICT)
    rel = release(rec, FGR, "unit:mx.fgr.aic", "mx.fgr", T, T + timedelta(days=1))
    for at, expected in ((T - timedelta(seconds=1), False), (T, True),
                         (T + timedelta(days=1), False)):
        ev = Evaluator(FGR2, at, VettingFacts(), ReleaseFacts.of([rel]))
        assert bool(ev.visible_statements(rec)) is expected, at
    assert rec.marking == STRICT  # the originator's marking is untouched


def test_a_release_lapses_when_the_marking_turns_red_or_expires() -> None:
    for later in (RED, Marking.build("AMBER+STRICT", ["agency:mx.fgr"], legal_basis="m",
                                     expires_at=T)):
        rec = record(later)
        rel = release(rec, FGR, "unit:mx.fgr.aic", "mx.fgr", T - timedelta(days=1))
        ev = Evaluator(FGR2, T, VettingFacts(), ReleaseFacts.of([rel]))
        assert ev.visible_statements(rec) == []


def test_orcon_onward_release_covers_only_with_consent_in_force() -> None:
    rec = record(ORCON)
    rel = release(rec, FGR, "unit:mx.fgr.aic", "mx.fgr", T)
    without = Evaluator(FGR2, T, VettingFacts(), ReleaseFacts.of([rel]))
    assert without.visible_statements(rec) == []
    assert "consent" in without.record_decision(rec).explain()
    consent = Consent("c1", rec.id, "us.dea", "mx.fgr", T, T + timedelta(days=2))
    facts = ReleaseFacts.of([rel], [consent])
    assert Evaluator(FGR2, T, VettingFacts(), facts).visible_statements(rec)
    assert not Evaluator(FGR2, T + timedelta(days=2), VettingFacts(), facts).visible_statements(
        rec)


def test_decide_every_action() -> None:
    rec = record(AMBER)
    assert decide(FGR, Action.READ, rec, T)
    assert not decide(SEMAR, Action.READ, rec, T)
    assert decide(FGR, Action.EXPORT, rec, T)
    assert not decide(FGR, Action.EDIT, rec, T)
    assert decide(DEA, Action.EDIT, rec, T)
    assert decide(DEA, Action.RECALL, rec, T)
    assert not decide(FGR, Action.RECALL, rec, T)
    inside = Target(Selector.parse("unit:mx.fgr.aic"), "mx.fgr")
    outside = Target(Selector.parse("agency:mx.semar"), "mx.semar")
    assert decide(FGR, Action.RELEASE_ONWARD, rec, T, target=inside)
    assert not decide(FGR, Action.RELEASE_ONWARD, rec, T, target=outside)
    assert decide(FGR, "release-onward", rec, T,
                  target=Target(outside.to, outside.to_agency, "mlat"))
    assert not decide(SEMAR, Action.RELEASE_ONWARD, rec, T, target=inside)  # cannot read
    red = record(RED)
    assert decide(FGR, Action.READ, red, T)
    assert not decide(FGR, Action.EXPORT, red, T)
    with pytest.raises(ValueError):
        decide(FGR, "delete", rec, T)


def test_decide_read_a_relationship_with_a_hidden_end() -> None:
    ana = record(AMBER)
    hidden = build_record("p2", "Person", {"name": ["Bo"]},
                          Provenance("us.dea", "us.dea.sod", T), Marking.build("AMBER+STRICT"),
                              keyer=TEST_KEYER)
    link = build_record("l1", "UnknownLink", {"subject": ["p1"], "object": ["p2"]},
                        Provenance("us.dea", "us.dea.sod", T), AMBER, keyer=TEST_KEYER)
    records = {r.id: r for r in (ana, hidden, link)}
    facts = PolicyFacts(lookup=records.get)
    d = decide(FGR, Action.READ, link, T, facts)
    assert not d and "relationship end 'object' is not visible" in d.explain()
    assert decide(DEA, Action.READ, link, T, facts)
