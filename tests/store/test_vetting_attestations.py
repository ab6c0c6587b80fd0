"""Vettings recorded from attestations: the signed dates, once, never older than the
last attestation, ended when no longer attested; vettings recorded here untouched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tearline.model.parties import Agency, Unit, Vetting
from tearline.store import parties, vetting_attestations
from tearline.store.store import Store

T = datetime(2026, 6, 1, tzinfo=UTC)
UNTIL = datetime(2028, 1, 1, tzinfo=UTC)
DEA_NODE = "node:us.dea.sod"


def setup(store: Store) -> None:
    with store.transaction() as conn:
        for agency in ("us.dea", "mx.semar"):
            parties.put_agency(conn, Agency(agency, agency, agency[:2]), T)
        parties.put_unit(conn, Unit("mx.semar.uie", "mx.semar", "UIE"), T)


def apply(store: Store, vettings: list[tuple[str, datetime, datetime]],
          at: datetime) -> vetting_attestations.Applied:
    with store.transaction() as conn:
        return vetting_attestations.apply(conn, DEA_NODE, "us.dea", "mx.semar.uie", vettings,
                                          at, {"at": at.isoformat(), "n": len(vettings)}, at)


def in_force(store: Store, at: datetime) -> list[Vetting]:
    with store.reading() as conn:
        return [v for v in parties.vettings(conn) if v.active_at(at)]


def test_attested_vettings_are_recorded_once_with_their_dates(store: Store) -> None:
    setup(store)
    first = apply(store, [("vet-1", T, UNTIL)], T)
    assert len(first.granted) == 1 and not first.stale
    (kept,) = in_force(store, T)
    assert (kept.by, kept.unit, kept.valid_from, kept.valid_until) == (
        "us.dea", "mx.semar.uie", T, UNTIL)
    again = apply(store, [("vet-1", T, UNTIL)], T + timedelta(hours=1))
    assert again.granted == [] and again.revoked == [] and len(in_force(store, T)) == 1


def test_an_older_attestation_replayed_changes_nothing(store: Store) -> None:
    setup(store)
    apply(store, [("vet-2", T, T + timedelta(days=10))], T + timedelta(days=1))
    replay = apply(store, [("vet-1", T, UNTIL)], T)  # the longer, older one
    assert replay.stale and replay.granted == []
    assert [v.id for v in in_force(store, T + timedelta(days=20))] == []


def test_a_vetting_no_longer_attested_ends_and_a_local_one_stays(store: Store) -> None:
    setup(store)
    with store.transaction() as conn:  # recorded here by the node's own administrator
        parties.put_vetting(conn, Vetting("vet-local", "us.dea", "mx.semar.uie", T, UNTIL),
                            T, "admin@mx.semar.uie")
    apply(store, [("vet-1", T, UNTIL)], T)
    later = T + timedelta(days=3)
    ended = apply(store, [], later)
    assert len(ended.revoked) == 1
    assert [v.id for v in in_force(store, later)] == ["vet-local"]
    assert {v.id for v in in_force(store, later - timedelta(days=1))} == {
        "vet-local", vetting_attestations.local_id("us.dea", "vet-1")}
