"""What an agency may hand on, compiled (``store/relay.py``), on both backends: a third
agency's ORCON statement on another agency's record passes only with its originator's
consent for the agency handing it on — in the feed a peer pulls and in an export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.parties import Agency, Agreement, Unit
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import consent_documents, parties, reader
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.feed import feed
from tearline.store.relay import Relay
from tearline.store.store import Store
from tearline.store.visibility import Visibility

T = datetime(2026, 2, 1, tzinfo=UTC)
NOW = T + timedelta(days=10)
FGR = Subject("mx.fgr.aic", "mx.fgr")
SOD = Subject("us.dea.sod", "us.dea")
SEMAR_SECRET = "Alias Semar Orcon"


@pytest.fixture
def world(store: Store) -> Store:
    """us.dea's record, visible to mx.fgr.aic, with an alias mx.semar added under its own
    ORCON marking for mx.fgr.aic; and mx.fgr's ORCON record, visible to us.dea.sod."""
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar", "mx.fgr"):
            parties.put_agency(conn, Agency(agency, agency.upper(), agency[:2]), T)
        for unit in ("us.dea.sod", "mx.semar.uie", "mx.fgr.aic"):
            parties.put_unit(conn, Unit(unit, unit.rsplit(".", 1)[0], unit), T)
        for aid, members in (("agr-fgr", {"us.dea", "mx.fgr"}),
                             ("agr-other", {"mx.semar", "mx.fgr"})):
            parties.put_agreement(conn, Agreement(aid, aid, "bilateral", frozenset(members)), T)
    to_fgr = Marking.build("AMBER", ["unit:mx.fgr.aic"], legal_basis="agr-fgr")
    both = Marking.build("AMBER", ["unit:mx.fgr.aic", "unit:us.dea.sod"],
                         legal_basis="agr-other")
    orcon = Marking.build("AMBER", ["unit:mx.fgr.aic", "unit:us.dea.sod"], orcon=True,
                          legal_basis="agr-other")
    dea, semar = Provenance("us.dea", "us.dea.sod", T), Provenance("mx.semar", "mx.semar.uie", T)
    store.write([
        build_record("p-dea", "Person", {"name": ["Ana Lopez"]}, dea, to_fgr, keyer=TEST_KEYER),
        build_record("p-dea", "Person", {"name": [SEMAR_SECRET]}, semar, both,
                     {"name": orcon}, keyer=TEST_KEYER),
        # fgr may see only semar's ORCON name of this one: dea's own is for dea
        build_record("p-only-semar", "Person", {"name": ["Solo Dea"]}, dea, to_fgr,
                     {"name": Marking.build("RED", ["unit:us.dea.sod"])}, keyer=TEST_KEYER),
        build_record("p-only-semar", "Person", {"name": ["Solo Semar"]}, semar, both,
                     {"name": orcon}, keyer=TEST_KEYER),
        build_record("p-fgr", "Person", {"name": ["Fgr Orcon"]},
                     Provenance("mx.fgr", "mx.fgr.aic", T),
                     Marking.build("AMBER", ["unit:us.dea.sod"], orcon=True,
                                   legal_basis="agr-fgr"), keyer=TEST_KEYER),
    ])
    return store


def values(store: Store, vis: Visibility, entity_id: str) -> set[str] | None:
    with store.reading() as conn:
        found = reader.read_record(conn, vis, entity_id)
    return None if found is None else {s.value for s in found.statements}


def consent(store: Store, cid: str, entity_id: str, by: str, to: str,
            withdrawn: datetime | None = None) -> None:
    with store.transaction() as conn:
        conn.execute(rt.consents.insert().values(
            id=cid, entity_id=entity_id, by_agency=by, to_agency=to, granted_at=t.ts(T),
            recorded_by="test"))
        if withdrawn is not None:
            conn.execute(rt.consent_withdrawals.insert().values(
                consent_id=cid, withdrawn_at=t.ts(withdrawn), recorded_by="test"))


def test_a_third_agencys_orcon_statement_passes_only_with_its_consent(world: Store) -> None:
    relayed = Relay(FGR, NOW, "us.dea")
    # fgr may see the alias (semar marked it for fgr) ...
    assert SEMAR_SECRET in (values(world, Visibility(FGR, NOW), "p-dea") or set())
    # ... but us.dea may not hand it on: semar's ORCON needs semar's consent for us.dea
    assert values(world, relayed, "p-dea") == {"Ana Lopez"}
    # a record whose only item fgr may see is such a statement is not handed on at all
    assert values(world, Visibility(FGR, NOW), "p-only-semar") == {"Solo Semar"}
    assert values(world, relayed, "p-only-semar") is None
    consent(world, "con-other", "p-dea", "mx.semar", "mx.fgr")  # for another agency
    assert values(world, relayed, "p-dea") == {"Ana Lopez"}
    consent(world, "con-dea", "p-dea", "mx.semar", "us.dea", withdrawn=NOW)
    assert values(world, Relay(FGR, NOW - timedelta(days=1), "us.dea"), "p-dea") == {
        "Ana Lopez", SEMAR_SECRET}
    assert values(world, relayed, "p-dea") == {"Ana Lopez"}  # withdrawn at NOW


def test_a_consent_received_signed_from_the_originator_lets_it_pass(world: Store) -> None:
    doc = {"consent_id": "con-doc", "entity_id": "p-dea", "by_agency": "mx.semar",
           "to_agency": "us.dea"}
    with world.transaction() as conn:
        consent_documents.keep(conn, [doc], "mx.semar.uie", NOW - timedelta(days=1))
    assert values(world, Relay(FGR, NOW, "us.dea"), "p-dea") == {"Ana Lopez", SEMAR_SECRET}
    # not before it was received
    assert values(world, Relay(FGR, NOW - timedelta(days=2), "us.dea"), "p-dea") == {
        "Ana Lopez"}


def test_the_feed_serves_what_may_be_handed_on(world: Store) -> None:
    def served(vis: Visibility) -> list[str]:
        with world.reading() as conn:
            return [i.entity_id for i in feed(conn, vis, "agr-fgr", default_of=["agr-fgr"],
                                              relay=("us.dea", "mx.fgr"))]

    assert sorted(served(Visibility(FGR, NOW))) == ["p-dea", "p-only-semar"]
    assert served(Relay(FGR, NOW, "us.dea")) == ["p-dea"]
    with world.reading() as conn:
        (view,) = reader.read_records(conn, Relay(FGR, NOW, "us.dea"), ["p-dea"])
    assert SEMAR_SECRET not in {s.value for s in view.statements}


def test_an_export_leaves_out_other_agencies_orcon_without_consent(world: Store) -> None:
    """us.dea.sod sees fgr's ORCON record and semar's ORCON alias; its file has neither."""
    seen = {r.id: {s.value for s in r.statements} for r in world.page(SOD, NOW, limit=100)}
    assert SEMAR_SECRET in seen["p-dea"] and "p-fgr" in seen
    exported = {r.id: {s.value for s in r.statements}
                for r in world.page(SOD, NOW, limit=100, path="export",
                                    handed_on_by=SOD.agency)}
    assert exported == {"p-dea": {"Ana Lopez"}, "p-only-semar": {"Solo Dea"}}
    consent(world, "con-fgr", "p-fgr", "mx.fgr", "us.dea")
    again = world.page(SOD, NOW, limit=100, path="export", handed_on_by=SOD.agency)
    assert "p-fgr" in {r.id for r in again}
