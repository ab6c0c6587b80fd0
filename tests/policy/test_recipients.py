"""Recipients hidden from each other: a named recipient of a RED marking sees itself
named, never the others; the originator sees every one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from statement_keys import TEST_KEYER
from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.model.marking import Marking, Selector
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.evaluator import Evaluator
from tearline.policy.recipients import recipient_view
from tearline.policy.subject import Subject, VettingFacts
from tearline.store.store import Store

AT = datetime(2026, 1, 5, tzinfo=UTC)
UIE = Subject(scenario.UIE, scenario.MX_SEMAR)
FEMDO = Subject(scenario.FEMDO, scenario.MX_FGR)
SOD = Subject(scenario.SOD, scenario.US_DEA)
RED = Marking.build("RED", [f"unit:{scenario.UIE}", f"unit:{scenario.FEMDO}",
                            f"unit:{scenario.SOD}"], legal_basis=scenario.SECURITY_FRAMEWORK)

UNITS = st.sampled_from(["mx.semar.uie", "mx.semar.pn", "mx.fgr.femdo", "us.dea.sod"])


def test_a_recipient_sees_itself_only() -> None:
    assert {str(s) for s in recipient_view(RED, UIE, scenario.US_DEA).releasable_to} == {
        f"unit:{scenario.UIE}"}
    assert {str(s) for s in recipient_view(RED, FEMDO, scenario.US_DEA).releasable_to} == {
        f"unit:{scenario.FEMDO}"}
    assert recipient_view(RED, SOD, scenario.US_DEA) is RED  # the originating agency


@given(st.sets(UNITS, min_size=1), st.sets(UNITS, min_size=1), UNITS)
def test_what_a_recipient_is_shown_does_not_depend_on_the_others(
        named: set[str], others: set[str], viewer_unit: str) -> None:
    viewer = Subject(viewer_unit, viewer_unit.rsplit(".", 1)[0])
    if viewer.agency == "us.dea" or viewer_unit not in named:
        return
    one = Marking.build("RED", [f"unit:{u}" for u in named])
    two = Marking.build("RED", [f"unit:{u}" for u in named | others])
    assert recipient_view(one, viewer, "us.dea") == recipient_view(two, viewer, "us.dea")
    assert recipient_view(one, viewer, "us.dea").releasable_to == {
        Selector.parse(f"unit:{viewer_unit}")}
    amber = Marking.build("AMBER", [f"unit:{u}" for u in named])
    assert recipient_view(amber, viewer, "us.dea") is amber  # other levels unchanged


def test_every_read_shows_a_recipient_only_itself(store: Store) -> None:
    seed_parties(store, AT - timedelta(days=30))
    prov = Provenance(scenario.US_DEA, scenario.SOD, AT - timedelta(days=1))
    store.write([build_record("red-1", "Person", {"name": ["Objetivo Rojo"]}, prov, RED,
                              keyer=TEST_KEYER)])
    for viewer, named in ((UIE, {f"unit:{scenario.UIE}"}),
                          (FEMDO, {f"unit:{scenario.FEMDO}"}),
                          (SOD, {str(s) for s in RED.releasable_to})):
        shown = [store.read(viewer, AT, "red-1"), *store.page(viewer, AT),
                 *store.search(viewer, AT, "objetivo")]
        assert len(shown) == 3
        for record in shown:
            assert {str(s) for s in record.marking.releasable_to} == named, viewer


def test_the_evaluators_tear_line_shows_a_recipient_only_itself() -> None:
    """The pure evaluator — the store's reads' specification — names the same recipients
    as the reads (a case the visibility agreement's random worlds reach only rarely)."""
    prov = Provenance(scenario.US_DEA, scenario.SOD, AT - timedelta(days=1))
    record = build_record("red-1", "Person", {"name": ["Objetivo Rojo"]}, prov, RED,
                          keyer=TEST_KEYER)
    for viewer, named in ((UIE, {f"unit:{scenario.UIE}"}),
                          (SOD, {str(s) for s in RED.releasable_to})):
        view = Evaluator(viewer, AT, VettingFacts()).tear_line(record, {}.get)
        assert view is not None
        assert {str(s) for s in view.marking.releasable_to} == named, viewer
