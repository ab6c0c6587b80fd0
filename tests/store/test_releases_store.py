"""Releases, recalls, consents and marking changes through the store, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from statement_keys import TEST_KEYER
from tearline.errors import MarkingError, NotFound, PolicyDenied, ValidationError
from tearline.model.marking import Marking, Selector
from tearline.model.parties import Agency, Agreement, Unit, Vetting
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import parties, release_reads, releases
from tearline.store.marking_changes import marking_history, set_marking
from tearline.store.store import Store

T = datetime(2024, 5, 1, tzinfo=UTC)
DEA = Subject("us.dea.sod", "us.dea")
FGR = Subject("mx.fgr.femdo", "mx.fgr")
FGR2 = Subject("mx.fgr.aic", "mx.fgr")
SEMAR = Subject("mx.semar.uie", "mx.semar")


def seed(store: Store) -> None:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.fgr", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        for s in (DEA, FGR, FGR2, SEMAR):
            parties.put_unit(conn, Unit(s.unit, s.agency, s.unit), T)
        parties.put_agreement(conn, Agreement("mlat", "MLAT", "mlat",
                                              frozenset({"us.dea", "mx.fgr"})), T)
        parties.put_agreement(conn, Agreement("framework", "Framework", "bilateral",
                                              frozenset({"us.dea", "mx.semar"})), T)
        parties.put_vetting(conn, Vetting("v1", "us.dea", "mx.semar.uie", T,
                                          T + timedelta(days=5)), T, "test")


def write(store: Store, marking: Marking, portion: Marking | None = None) -> None:
    store.write([build_record(
        "p1", "Person", {"name": ["Ana Lopez"], "birthDate": ["1970-01-02"]},
        Provenance("us.dea", "us.dea.sod", T), marking,
        {"birthDate": portion} if portion else None, keyer=TEST_KEYER)])


def props(store: Store, subject: Subject, at: datetime) -> set[str]:
    try:
        return {s.prop for s in store.read(subject, at, "p1").statements}
    except NotFound:
        return set()


def test_onward_release_within_the_recipients_agency_and_recall(store: Store) -> None:
    seed(store)
    write(store, Marking.build("AMBER+STRICT", ["unit:mx.fgr.femdo"], legal_basis="mlat"),
          Marking.build("RED", ["unit:mx.fgr.femdo"], legal_basis="mlat"))
    at = T + timedelta(hours=1)
    assert props(store, FGR2, at) == set()
    with store.transaction() as conn:
        with pytest.raises(PolicyDenied, match="AMBER\\+STRICT"):
            releases.release(conn, FGR, "p1", Selector.parse("agency:mx.semar"), "mlat", at, "t")
        result = releases.release(conn, FGR, "p1", Selector.parse("unit:mx.fgr.aic"), None,
                                  at, "t")
    assert [why for _, why in result.skipped] == [
        "TLP:RED is never released: only the units its marking names may see it"]
    assert props(store, FGR2, at - timedelta(seconds=1)) == set()
    assert props(store, FGR2, at) == {"name"}  # the RED portion stays with femdo
    assert store.read(FGR2, at, "p1").marking == store.read(DEA, at, "p1").marking
    recall_at = at + timedelta(hours=1)
    with store.transaction() as conn:
        with pytest.raises(PolicyDenied, match="originating agency us.dea"):
            releases.recall(conn, FGR2, "p1", recall_at, "t")
        assert releases.recall(conn, DEA, "p1", recall_at, "t") == [result.release.id]
    assert props(store, FGR2, recall_at) == set()
    assert props(store, FGR2, at) == {"name"}  # history: visible before the recall
    with store.reading() as conn:  # a record page's list: the agency's own, recalled too
        made = release_reads.made_by(conn, "p1", "mx.fgr")
        assert made == releases.releases(conn, ["p1"]) and made[0].revoked_at == recall_at
        assert release_reads.made_by(conn, "p1", "us.dea") == []


def test_orcon_needs_a_recorded_consent(store: Store) -> None:
    seed(store)
    write(store, Marking.build("AMBER", ["unit:mx.fgr.femdo"], orcon=True, legal_basis="mlat"))
    at = T + timedelta(hours=1)
    to = Selector.parse("unit:mx.fgr.aic")
    with store.transaction() as conn:
        with pytest.raises(PolicyDenied, match="ORCON"):
            releases.release(conn, FGR, "p1", to, None, at, "t")
        with pytest.raises(PolicyDenied, match="originating agency"):
            releases.grant_consent(conn, FGR, "p1", "mx.fgr", at, "t")
        consent = releases.grant_consent(conn, DEA, "p1", "mx.fgr", at, "t")
        releases.release(conn, FGR, "p1", to, None, at, "t")
    assert props(store, FGR2, at) == {"name", "birthDate"}
    later = at + timedelta(days=1)
    with store.transaction() as conn:
        releases.withdraw_consent(conn, DEA, consent.id, later, "t")
    assert props(store, FGR2, later) == set()


def test_vetting_revoked_takes_visibility_at_that_instant(store: Store) -> None:
    seed(store)
    write(store, Marking.build("AMBER", ["vetted-by:us.dea"], legal_basis="framework"))
    revoke = T + timedelta(days=1)
    with store.transaction() as conn:
        parties.revoke_vettings(conn, "mx.semar.uie", "us.dea", revoke, "t")
    assert props(store, SEMAR, revoke - timedelta(microseconds=1)) == {"name", "birthDate"}
    assert props(store, SEMAR, revoke) == set()


def test_marking_changes_by_the_originator_only_with_history(store: Store) -> None:
    seed(store)
    write(store, Marking.build("AMBER", ["unit:mx.fgr.femdo"], legal_basis="mlat"))
    at = T + timedelta(hours=1)
    with store.transaction() as conn:
        with pytest.raises(PolicyDenied, match="originating agency us.dea"):
            set_marking(conn, FGR, "p1", None, Marking.build("GREEN"), at)
        with pytest.raises(NotFound, match="no record 'p1'"):
            set_marking(conn, SEMAR, "p1", None, Marking.build("GREEN"), at)
        with pytest.raises(MarkingError, match="legal basis is required"):
            set_marking(conn, DEA, "p1", None, Marking.build("AMBER", ["agency:mx.semar"]), at)
        with pytest.raises(MarkingError, match="may only narrow"):
            set_marking(conn, DEA, "p1", "birthDate", Marking.build("GREEN"), at)
        with pytest.raises(ValidationError, match="no value of 'alias'"):
            set_marking(conn, DEA, "p1", "alias", Marking.build("RED"), at)
        set_marking(conn, DEA, "p1", "birthDate", Marking.build("AMBER+STRICT"), at)
        set_marking(conn, DEA, "p1", None, Marking.build("GREEN"), at)
        history = marking_history(conn, "p1")
    assert [(h.statement_id is None, h.old is None) for h in history] == [
        (False, True), (True, False)]
    assert props(store, SEMAR, at) == {"name"}
