"""Consent requests: asked by a unit holding ORCON items, answered by the originating unit;
seen by those two units only; on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from statement_keys import TEST_KEYER
from tearline.demo import scenario as sc
from tearline.demo.load import seed_parties
from tearline.errors import Conflict, InputError, NotFound
from tearline.model.marking import Marking, Selector
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.store import audit_log, consent_requests, releases
from tearline.store.store import Store
from tearline.store.sync_tables import sync_received
from tearline.store.tables import ts

AT = datetime(2026, 1, 5, 12, tzinfo=UTC)
OKAFOR, RIVERA = f"okafor@{sc.SAN_DIEGO}", f"rivera@{sc.SOD}"
ANA, LUIS = f"ana@{sc.UIE}", f"luis@{sc.NAVAL_POLICE}"
FGR = Selector.parse(f"agency:{sc.MX_FGR}")
ORCON = Marking.build("AMBER", [f"agency:{sc.US_DEA}"], orcon=True,
                      legal_basis=sc.SECURITY_FRAMEWORK)


@pytest.fixture
def world(store: Store) -> Store:
    seed_parties(store, AT - timedelta(days=30))
    prov = Provenance(sc.MX_SEMAR, sc.UIE, AT - timedelta(days=1))
    store.write([
        build_record("mx-p-1", "Person", {"name": ["Uno"], "alias": ["El Uno"]}, prov, ORCON,
                     keyer=TEST_KEYER),
        build_record("mx-p-2", "Person", {"name": ["Dos"]}, prov,
                     Marking.build("AMBER", [f"unit:{sc.UIE}"], orcon=True), keyer=TEST_KEYER),
        build_record("mx-p-3", "Person", {"name": ["Tres"]}, prov, ORCON, keyer=TEST_KEYER),
        build_record("mx-p-4", "Person", {"name": ["Cuatro"]}, prov,
                     Marking.build("AMBER", [f"agency:{sc.US_DEA}"],
                                   legal_basis=sc.SECURITY_FRAMEWORK), keyer=TEST_KEYER)])
    return store


def kinds(store: Store) -> list[str]:
    with store.reading() as conn:
        return [e.kind for e in audit_log.entries(conn, limit=100_000)]


def test_a_request_is_answered_by_the_originating_unit_and_seen_by_the_two_only(
        world: Store) -> None:
    okafor, rivera = world.subject(OKAFOR), world.subject(RIVERA)
    ana, luis = world.subject(ANA), world.subject(LUIS)
    with world.transaction() as conn:
        made = consent_requests.ask(conn, okafor, "mx-p-1", FGR, " to charge him in Mexico ",
                                    AT, props=["name"])
    assert (made.to_unit, made.origin_agency, made.reason) == (sc.UIE, sc.MX_SEMAR,
                                                                "to charge him in Mexico")
    assert len(made.statement_ids) == 1 and made.recipient == f"agency:{sc.MX_FGR}"
    with world.transaction() as conn, pytest.raises(Conflict, match="waits for its answer"):
        consent_requests.ask(conn, okafor, "mx-p-1", FGR, "again", AT)
    with world.transaction() as conn:
        assert [(d, q.id, q.state, q.props) for d, q in consent_requests.listed(conn, okafor, AT)
                ] == [("sent", made.id, "pending", ("name",))]
        assert [(d, q.id, q.asked_by) for d, q in consent_requests.listed(conn, ana, AT)] == [
            ("received", made.id, f"unit:{sc.SAN_DIEGO}")]  # the other side at unit level
        assert consent_requests.listed(conn, luis, AT) == []  # same agency, another unit
        assert consent_requests.listed(conn, rivera, AT) == []
    for wrong in (luis, okafor):  # not addressed to them: as a request that does not exist
        with world.transaction() as conn, pytest.raises(NotFound) as missing:
            consent_requests.answer(conn, wrong, made.id, True, "", AT)
        with world.transaction() as conn, pytest.raises(NotFound) as never:
            consent_requests.answer(conn, wrong, "cr-0123456789abcdef01234567", True, "", AT)
        assert str(missing.value).replace(made.id, "X") == str(never.value).replace(
            "cr-0123456789abcdef01234567", "X")
    with world.transaction() as conn:
        granted = consent_requests.answer(conn, ana, made.id, True, "", AT + timedelta(hours=1))
    with world.transaction() as conn:
        (given,) = releases.consents(conn, ["mx-p-1"])
        assert (given.id, given.by_agency, given.to_agency) == (
            granted.consent_id, sc.MX_SEMAR, sc.US_DEA)
        (shown,) = consent_requests.listed(conn, okafor, AT + timedelta(hours=2))
        assert shown[1].state == "granted" and shown[1].consent_id == given.id
        assert (shown[1].asked_by, shown[1].answered_by) == (f"analyst:{OKAFOR}",
                                                             f"unit:{sc.UIE}")
        with pytest.raises(Conflict, match="answered already"):
            consent_requests.answer(conn, ana, made.id, False, "no", AT + timedelta(hours=2))
    with world.transaction() as conn, pytest.raises(InputError, match="nothing of mx-p-1"):
        consent_requests.ask(conn, okafor, "mx-p-1", FGR, "more", AT + timedelta(hours=2))
    got = kinds(world)
    assert got.count("consent.requested") == 1 and got.count("consent.answered") == 1
    assert got.index("consent.recorded") < got.index("consent.answered")


def test_refusals_and_refused_requests(world: Store) -> None:
    okafor, ana = world.subject(OKAFOR), world.subject(ANA)
    with world.transaction() as conn, pytest.raises(NotFound) as hidden:
        consent_requests.ask(conn, okafor, "mx-p-2", FGR, "why", AT)
    with world.transaction() as conn, pytest.raises(NotFound) as never:
        consent_requests.ask(conn, okafor, "never-created", FGR, "why", AT)
    assert str(hidden.value).replace("mx-p-2", "X") == str(never.value).replace(
        "never-created", "X")
    with world.transaction() as conn, pytest.raises(InputError, match="nothing of mx-p-4"):
        consent_requests.ask(conn, okafor, "mx-p-4", FGR, "not ORCON", AT)
    with world.transaction() as conn, pytest.raises(InputError, match="say why"):
        consent_requests.ask(conn, okafor, "mx-p-3", FGR, "  ", AT)
    with world.transaction() as conn, pytest.raises(InputError, match="nothing of mx-p-3"):
        consent_requests.ask(conn, ana, "mx-p-3", FGR, "my own", AT)  # its own agency's
    with world.transaction() as conn:  # a record a peer node delivered: its unit is there
        conn.execute(sync_received.insert().values(
            partner="semar-node", object_id="person--1", version="v1", collection_id="c",
            entity_id="mx-p-1", outcome="stored", received_at=ts(AT)))
    with world.transaction() as conn, pytest.raises(InputError, match="not on this node"):
        consent_requests.ask(conn, okafor, "mx-p-1", FGR, "from the peer", AT)
    with world.transaction() as conn:
        made = consent_requests.ask(conn, okafor, "mx-p-3", FGR, "a lead", AT)
    with world.transaction() as conn, pytest.raises(InputError, match="say why"):
        consent_requests.answer(conn, ana, made.id, False, "", AT)
    with world.transaction() as conn:
        consent_requests.answer(conn, ana, made.id, False, "the source would be exposed", AT)
    with world.transaction() as conn:
        ((_, shown),) = consent_requests.listed(conn, okafor, AT)
        assert (shown.state, shown.answer_reason, shown.consent_id) == (
            "refused", "the source would be exposed", None)
        assert releases.consents(conn, ["mx-p-3"]) == []
    assert "consent.recorded" not in kinds(world)
