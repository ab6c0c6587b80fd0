"""Which entries are exchanges of an agency with a foreign agency, and how they group."""

from __future__ import annotations

from tearline.audit import events as ev
from tearline.audit.deconflict_events import DeconflictHit
from tearline.audit.envelope import Event
from tearline.audit.oversight_events import ContactLogged
from tearline.oversight.directory import Directory
from tearline.oversight.exchanges import LogEntry, exchanges

T0 = "2026-01-05T15:00:00.000000Z"
T1 = "2026-01-06T10:00:00.000000Z"
BASIS = "us-mx/framework"
D = Directory(
    countries={"us.dea": "us", "mx.semar": "mx", "mx.fgr": "mx"},
    units={"us.dea.sod": "us.dea", "mx.semar.uie": "mx.semar", "mx.fgr.femdo": "mx.fgr"},
    nodes={"dea-node": "us.dea"},
    schemas={"p-1": "Person", "p-2": "Person", "v-1": "Vessel"},
    agreements={frozenset({"us.dea", "mx.semar"}): ((BASIS, None, None),)},
)


def log(*events: Event) -> list[LogEntry]:
    return [LogEntry(i, f"{i:064x}", e) for i, e in enumerate(events)]


def created(entity: str, actor: str = "node:dea-node", at: str = T0) -> ev.RecordCreated:
    return ev.RecordCreated(at=at, actor=actor, entity_id=entity, version=1, statement_ids=())


def hit(role: str, at: str = T1) -> DeconflictHit:
    return DeconflictHit(at=at, actor="unit:mx.semar.uie" if role == "holder"
                         else "unit:us.dea.sod", registration_id="dr-1", role=role,  # type: ignore[arg-type]
                         checker="unit:us.dea.sod", checker_agency="us.dea",
                         holder="unit:mx.semar.uie", holder_agency="mx.semar",
                         agreement_id=BASIS)


def test_one_pull_is_one_reception_counting_records_by_kind() -> None:
    found = exchanges(log(created("p-1"), created("p-2"), created("v-1")), "mx.semar", D)
    assert len(found) == 1
    (x,) = found
    assert (x.nature, x.foreign_agency, x.record_count) == ("records-received", "us.dea", 3)
    assert x.record_kinds == (("Person", 2), ("Vessel", 1))
    assert x.agreement == BASIS and [i for i, _ in x.entries] == [0, 1, 2]
    assert x.id == "x0"


def test_a_later_pull_is_another_exchange() -> None:
    found = exchanges(log(created("p-1"), created("p-2", at=T1)), "mx.semar", D)
    assert [x.record_count for x in found] == [1, 1]


def test_writes_by_units_and_domestic_nodes_are_no_exchange() -> None:
    entries = log(created("p-1", actor="unit:mx.semar.uie"), created("p-2", actor="node:x"),
                  created("v-1", actor="unit:us.dea.sod"))
    assert exchanges(entries, "mx.semar", D) == []


def test_releases_both_ways_and_none_within_the_country() -> None:
    out = ev.ReleaseCreated(at=T0, actor="analyst:ana@mx.semar.uie", release_id="r1",
                            entity_id="p-1", version=1, statement_ids=(),
                            recipient="unit:us.dea.sod", legal_basis=BASIS, supersedes=None)
    back = ev.ReleaseCreated(at=T1, actor="unit:us.dea.sod", release_id="r2",
                             entity_id="v-1", version=1, statement_ids=(),
                             recipient="agency:mx.semar", legal_basis=BASIS, supersedes=None)
    home = ev.ReleaseCreated(at=T1, actor="unit:mx.semar.uie", release_id="r3",
                             entity_id="p-2", version=1, statement_ids=(),
                             recipient="agency:mx.fgr", legal_basis=None, supersedes=None)
    found = exchanges(log(out, back, home), "mx.semar", D)
    assert [(x.nature, x.officials, x.unit, x.foreign_unit) for x in found] == [
        ("release-to", ("analyst:ana@mx.semar.uie",), "unit:mx.semar.uie", "unit:us.dea.sod"),
        ("release-from", (), None, "unit:us.dea.sod")]
    # the same log seen for the DEA: two exchanges with Mexico's navy, none with FGR's
    assert [x.foreign_agency for x in exchanges(log(out, back, home), "us.dea", D)] == [
        "mx.semar", "mx.semar"]


def test_a_hit_logged_for_both_sides_counts_once_for_each() -> None:
    entries = log(hit("checker"), hit("holder"))
    (mine,) = exchanges(entries, "mx.semar", D)
    assert (mine.nature, mine.unit, mine.foreign_unit) == (
        "deconfliction-hit", "unit:mx.semar.uie", "unit:us.dea.sod")
    assert mine.entries[0][0] == 1
    (theirs,) = exchanges(entries, "us.dea", D)
    assert theirs.entries[0][0] == 0


def test_receipts_consents_recalls_and_contacts() -> None:
    receipt = ev.ReceiptRecorded(at=T0, actor="system", peer="node:dea-node", collection="c",
                                 receipt_digest="a" * 64, object_count=7)
    consent = ev.ConsentRecorded(at=T0, actor="analyst:ana@mx.semar.uie", consent_id="c1",
                                 entity_id="p-1", originator="mx.semar", to_agency="us.dea",
                                 decision="granted")
    purge = ev.RecallPurged(at=T1, actor="system", recall_id="rc", entity_id="v-1",
                            peer="node:dea-node", statement_ids=())
    contact = ContactLogged(at=T1, actor="analyst:ana@mx.semar.uie", contact_id="ct-1",
                            unit="unit:mx.semar.uie", officials=("analyst:ana@mx.semar.uie",),
                            foreign_agency="us.dea", foreign_unit="us.dea.sod",
                            met_at="2026-01-04T09:00:00.000000Z", mode="meeting",
                            details_digest="b" * 64)
    found = exchanges(log(receipt, consent, purge, contact), "mx.semar", D)
    assert [(x.nature, x.record_count, x.at[:10]) for x in found] == [
        ("federation-sync", 7, "2026-01-05"), ("consent", 1, "2026-01-05"),
        ("recall", 1, "2026-01-06"), ("contact", 0, "2026-01-04")]  # a contact: when it met
    assert found[3].officials == ("analyst:ana@mx.semar.uie",)


def test_no_agreement_in_force_is_stated_as_none() -> None:
    later = Directory(D.countries, D.units, D.nodes, D.schemas,
                      {frozenset({"us.dea", "mx.semar"}): ((BASIS, "2027-01-01T00:00:00Z", None),)})
    (x,) = exchanges(log(created("p-1")), "mx.semar", later)
    assert x.agreement is None
