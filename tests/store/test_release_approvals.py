"""Two-person approval of releases to foreign agencies, per agreement, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from statement_keys import TEST_KEYER
from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.errors import Conflict, InputError, NotFound, PolicyDenied
from tearline.model.marking import Marking, Selector
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import audit_log, release_approvals, releases
from tearline.store.store import Store

AT = datetime(2026, 1, 5, 12, tzinfo=UTC)
ANA, LUIS = f"ana@{scenario.UIE}", f"luis@{scenario.NAVAL_POLICE}"
DEA = Selector.parse(f"unit:{scenario.SOD}")
BASIS = scenario.SECURITY_FRAMEWORK


@pytest.fixture
def world(store: Store) -> Store:
    seed_parties(store, AT - timedelta(days=30))
    prov = Provenance(scenario.MX_SEMAR, scenario.UIE, AT - timedelta(days=1))
    store.write([
        build_record("mx-v-1", "Vessel", {"name": ["Lancha 1"]}, prov,
                     Marking.build("AMBER", ["agency:mx.semar"]), keyer=TEST_KEYER),
        build_record("mx-v-2", "Vessel", {"name": ["Lancha 2"]}, prov,
                     Marking.build("AMBER", [f"unit:{scenario.UIE}"]), keyer=TEST_KEYER)])
    with store.transaction() as conn:
        release_approvals.set_required(conn, BASIS, True, "system", AT)
    return store


def kinds(store: Store) -> list[str]:
    with store.reading() as conn:
        return [e.kind for e in audit_log.entries(conn, limit=100_000)]


def test_a_release_under_the_agreement_waits_for_a_second_officer(world: Store) -> None:
    ana, luis = world.subject(ANA), world.subject(LUIS)
    with world.transaction() as conn, pytest.raises(PolicyDenied, match="second officer"):
        releases.release(conn, ana, "mx-v-1", DEA, BASIS, AT, ANA)
    with world.transaction() as conn:
        pending = release_approvals.request(conn, ana, "mx-v-1", DEA, BASIS, AT)
    with world.transaction() as conn:
        assert [r.state for r in release_approvals.listed(conn, ana, AT)] == ["pending"]
        assert releases.releases(conn, ["mx-v-1"]) == []  # nothing released yet
        with pytest.raises(PolicyDenied, match="second officer must approve"):
            release_approvals.approve(conn, ana, pending.id, AT)
    with world.transaction() as conn:
        release_id = release_approvals.approve(conn, luis, pending.id, AT + timedelta(hours=1))
    with world.transaction() as conn:
        (made,) = releases.releases(conn, ["mx-v-1"])
        assert made.id == release_id and made.by_unit == scenario.UIE and made.basis == BASIS
        (listed,) = release_approvals.listed(conn, luis, AT)
        assert (listed.state, listed.approved_by, listed.release_id) == (
            "approved", LUIS, release_id)
        with pytest.raises(Conflict):
            release_approvals.approve(conn, luis, pending.id, AT)
    both = kinds(world)
    assert both.index("release.requested") < both.index("release.approved")
    assert both.index("release.created") < both.index("release.approved")


def test_requests_are_checked_as_releases_and_other_agencies_find_none(world: Store) -> None:
    ana, luis = world.subject(ANA), world.subject(LUIS)
    sod = world.subject(f"rivera@{scenario.SOD}")
    with world.transaction() as conn, pytest.raises(NotFound):
        release_approvals.request(conn, ana, "never-created", DEA, BASIS, AT)
    with world.transaction() as conn, pytest.raises(InputError):
        release_approvals.request(conn, world.subject(scenario.UIE), "mx-v-1", DEA, BASIS, AT)
    with world.transaction() as conn:
        hidden = release_approvals.request(conn, ana, "mx-v-2", DEA, BASIS, AT)
    with world.transaction() as conn:
        # another agency's officer is neither shown the request nor may approve it: it
        # answers as one that does not exist
        assert [r.id for r in release_approvals.listed(conn, luis, AT)] == [hidden.id]
        assert release_approvals.listed(conn, sod, AT) == []
        with pytest.raises(NotFound, match="no release request"):
            release_approvals.approve(conn, sod, hidden.id, AT)


def test_agreements_without_the_requirement_and_domestic_releases_go_directly(
        world: Store) -> None:
    ana = world.subject(ANA)
    with world.transaction() as conn:
        releases.release(conn, ana, "mx-v-1", Selector.parse(f"unit:{scenario.NAVAL_POLICE}"),
                         None, AT, ANA)
        release_approvals.set_required(conn, BASIS, False, "system", AT)
        releases.release(conn, ana, "mx-v-1", DEA, BASIS, AT, ANA)
        with pytest.raises(InputError, match="does not require"):
            release_approvals.request(conn, ana, "mx-v-1", DEA, BASIS, AT)
        with pytest.raises(NotFound):
            release_approvals.set_required(conn, "no-such-agreement", True, "system", AT)


def test_a_second_officer_refuses_and_nothing_is_released(world: Store) -> None:
    ana, luis = world.subject(ANA), world.subject(LUIS)
    with world.transaction() as conn:
        pending = release_approvals.request(conn, ana, "mx-v-1", DEA, BASIS, AT)
    with world.transaction() as conn, pytest.raises(PolicyDenied, match="must refuse"):
        release_approvals.refuse(conn, ana, pending.id, "mine", AT)
    with world.transaction() as conn, pytest.raises(InputError, match="say why"):
        release_approvals.refuse(conn, luis, pending.id, "  ", AT)
    for planted in ("no\x00", "no \u202edaer"):  # a database refuses NUL; bidi misleads
        with world.transaction() as conn, pytest.raises(InputError, match="refused: character"):
            release_approvals.refuse(conn, luis, pending.id, planted, AT)
    with world.transaction() as conn:
        release_approvals.refuse(conn, luis, pending.id, "not under this agreement", AT)
    with world.transaction() as conn:
        (listed,) = release_approvals.listed(conn, ana, AT)
        assert (listed.state, listed.refused_by, listed.reason) == (
            "refused", LUIS, "not under this agreement")
        assert releases.releases(conn, ["mx-v-1"]) == []
        with pytest.raises(Conflict, match="refused already"):
            release_approvals.approve(conn, luis, pending.id, AT)
        with pytest.raises(Conflict, match="refused already"):
            release_approvals.refuse(conn, luis, pending.id, "again", AT)
    assert "release.refused" in kinds(world) and "release.created" not in kinds(world)
