"""A legal basis is an agreement in force at the time that binds everyone the release reaches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tearline.model.marking import Marking, Selector
from tearline.model.parties import Agreement, Unit, Vetting
from tearline.policy.legal_basis import BasisFacts, marking_problem, release_problem
from tearline.policy.subject import VettingFacts

T = datetime(2024, 5, 1, tzinfo=UTC)
UNITS = [Unit("us.dea.sod", "us.dea", "SOD"), Unit("mx.semar.uie", "mx.semar", "UIE"),
         Unit("mx.fgr.femdo", "mx.fgr", "FEMDO")]
AGREEMENTS = [
    Agreement("framework", "Framework", "bilateral", frozenset({"us.dea", "mx.semar"})),
    Agreement("mlat", "MLAT", "mlat", frozenset({"us.dea", "mx.fgr"})),
    Agreement("old", "Old", "bilateral", frozenset({"us.dea", "mx.semar"}),
              valid_until=T - timedelta(days=1)),
    Agreement("future", "Future", "bilateral", frozenset({"us.dea", "mx.semar"}),
              valid_from=T + timedelta(days=1)),
]
VETTED = Vetting("v1", "us.dea", "mx.semar.uie", T - timedelta(days=9), T + timedelta(days=9))
FACTS = BasisFacts.of(AGREEMENTS, UNITS, VettingFacts.of([VETTED]))


def problem(rel_to: list[str], basis: str | None, origin: str = "us.dea",
            at: datetime = T) -> str | None:
    return marking_problem(Marking.build("AMBER", rel_to, legal_basis=basis), origin, FACTS, at)


@pytest.mark.parametrize(("rel_to", "basis", "origin"), [
    (["agency:mx.semar"], "framework", "us.dea"),
    (["unit:mx.semar.uie"], "framework", "us.dea"),
    (["vetted-by:us.dea"], "framework", "us.dea"),  # reaches the vetted SEMAR unit
    (["agency:us.dea"], "framework", "mx.semar"),
    (["agency:mx.fgr"], "mlat", "us.dea"),
    ([], "framework", "us.dea"),  # a basis cited by a marking that stays home
    (["agency:mx.semar"], None, "us.dea"),  # no basis: Marking.basis_problem's rule
])
def test_accepted(rel_to: list[str], basis: str | None, origin: str) -> None:
    assert problem(rel_to, basis, origin) is None


@pytest.mark.parametrize(("rel_to", "basis", "origin", "why"), [
    (["agency:mx.semar"], "made-up", "us.dea",
     "legal basis 'made-up' is not an agreement recorded on this node"),
    (["agency:mx.semar"], "old", "us.dea",
     "agreement 'old' is not in force at 2024-05-01T00:00Z: it ended 2024-04-30T00:00Z"),
    (["agency:mx.semar"], "future", "us.dea",
     "agreement 'future' is not in force at 2024-05-01T00:00Z: it begins 2024-05-02T00:00Z"),
    (["agency:mx.semar"], "mlat", "us.dea",
     "agreement 'mlat' does not bind mx.semar, reached by agency:mx.semar"),
    (["unit:mx.fgr.femdo"], "framework", "us.dea",
     "agreement 'framework' does not bind mx.fgr, reached by unit:mx.fgr.femdo"),
    (["vetted-by:us.dea"], "mlat", "us.dea",
     "agreement 'mlat' does not bind mx.semar, reached by vetted-by:us.dea (us.dea vets a "
     "unit of mx.semar)"),
    (["agency:us.dea"], "mlat", "mx.semar",
     "agreement 'mlat' does not bind mx.semar, the agency that cites it"),
    (["unit:xx.nobody.u1"], "framework", "us.dea", "unknown unit 'xx.nobody.u1'"),
])
def test_refused_with_the_agreement_and_the_reason(rel_to: list[str], basis: str, origin: str,
                                                   why: str) -> None:
    found = problem(rel_to, basis, origin)
    assert found is not None and found.startswith(why), found


def test_in_force_is_decided_at_the_instant() -> None:
    ends = AGREEMENTS[2].valid_until
    assert ends is not None
    assert problem(["agency:mx.semar"], "old", at=ends - timedelta(microseconds=1)) is None
    assert problem(["agency:mx.semar"], "old", at=ends) is not None


def test_a_vetted_by_release_reaches_the_units_vetted_at_that_time() -> None:
    after = VETTED.valid_until
    assert problem(["vetted-by:us.dea"], "mlat", at=after) is None  # nobody vetted then
    assert problem(["vetted-by:us.dea"], "mlat") is not None


def test_a_release_is_judged_by_the_same_rule() -> None:
    to = Selector.parse("agency:mx.fgr")
    assert release_problem("mlat", "us.dea", to, FACTS, T) is None
    why = release_problem("framework", "us.dea", to, FACTS, T)
    assert why is not None and "does not bind mx.fgr" in why
    why = release_problem("mlat", "mx.semar", Selector.parse("unit:mx.fgr.femdo"), FACTS, T)
    assert why is not None and "does not bind mx.semar, the agency that cites it" in why
