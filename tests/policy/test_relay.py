"""Passing on, pure (``policy/relay.py``): per item, an ORCON value of another agency
needs its originator's consent for the agency handing it on; ``decide("export")`` agrees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from statement_keys import TEST_KEYER
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance
from tearline.policy.decide import PolicyFacts, decide
from tearline.policy.evaluator import Evaluator
from tearline.policy.relay import Relay, passable
from tearline.policy.release import Consent, ReleaseFacts
from tearline.policy.rules import Item
from tearline.policy.subject import Subject, VettingFacts

T = datetime(2024, 5, 1, tzinfo=UTC)
DEA = Subject("us.dea.sod", "us.dea")
FGR = Subject("mx.fgr.aic", "mx.fgr")
TO_FGR = Marking.build("AMBER", ["unit:mx.fgr.aic", "unit:us.dea.sod"], legal_basis="b")
ORCON = Marking.build("AMBER", ["unit:mx.fgr.aic", "unit:us.dea.sod"], orcon=True,
                      legal_basis="b")


def mixed() -> Record:
    """us.dea's record with a name mx.semar added under its own ORCON marking."""
    dea = build_record("p-1", "Person", {"name": ["Ana"]}, Provenance("us.dea", "us.dea.sod", T),
                       TO_FGR, keyer=TEST_KEYER)
    semar = build_record("p-1", "Person", {"name": ["Semar Alias"]},
                         Provenance("mx.semar", "mx.semar.uie", T), TO_FGR, {"name": ORCON},
                         keyer=TEST_KEYER)
    return Record(dea.id, dea.schema, dea.originator, dea.author, dea.marking,
                  dea.statements + semar.statements)


def consent(to: str = "us.dea", withdrawn: datetime | None = None) -> Consent:
    return Consent("con-1", "p-1", "mx.semar", to, T, withdrawn)


def test_an_item_passes_when_ours_not_orcon_or_consented() -> None:
    orcon = Item(ORCON, "mx.semar", "mx.semar.uie", "p-1", "st-1")
    assert passable(Item(ORCON, "us.dea", "us.dea.sod", "p-1"), "us.dea", None).allowed
    assert passable(Item(TO_FGR, "mx.semar", "mx.semar.uie", "p-1"), "us.dea", None).allowed
    denied = passable(orcon, "us.dea", None)
    assert not denied.allowed and "consent of mx.semar" in denied.reasons[0]
    assert passable(orcon, "us.dea", consent()).allowed


NONE = ReleaseFacts()


def relay(releases: ReleaseFacts = NONE, received: ReleaseFacts = NONE,
          at: datetime = T + timedelta(days=1)) -> Relay:
    return Relay(Evaluator(FGR, at, VettingFacts(), releases), "us.dea", received)


def names(view: Record | None) -> set[str]:
    return set() if view is None else {s.value for s in view.statements}


def test_the_view_handed_on_leaves_out_orcon_of_a_third_agency_without_consent() -> None:
    rec = mixed()
    assert names(relay().evaluator.tear_line(rec, lambda _: None)) == {"Ana", "Semar Alias"}
    assert names(relay().tear_line(rec, lambda _: None)) == {"Ana"}
    assert names(relay(ReleaseFacts.of((), [consent(to="mx.fgr")])).tear_line(
        rec, lambda _: None)) == {"Ana"}  # a consent for fgr is not one for us
    assert names(relay(ReleaseFacts.of((), [consent()])).tear_line(
        rec, lambda _: None)) == {"Ana", "Semar Alias"}
    withdrawn = ReleaseFacts.of((), [consent(withdrawn=T + timedelta(hours=1))])
    assert names(relay(withdrawn).tear_line(rec, lambda _: None)) == {"Ana"}
    assert names(relay(received=ReleaseFacts.of((), [consent()])).tear_line(
        rec, lambda _: None)) == {"Ana", "Semar Alias"}
    only_semar = Record(rec.id, rec.schema, rec.originator, rec.author, rec.marking,
                        rec.statements[1:])
    assert relay().tear_line(only_semar, lambda _: None) is None
    assert not relay().exists(only_semar, lambda _: None)


def test_decide_export_asks_for_the_originators_consent_per_item() -> None:
    rec = mixed()
    (semar_stmt,) = [s for s in rec.statements if s.origin == "mx.semar"]
    at = T + timedelta(days=1)
    assert decide(DEA, "export", (rec, rec.statements[0]), at).allowed
    refused = decide(DEA, "export", (rec, semar_stmt), at)
    assert not refused.allowed and "ORCON of mx.semar" in refused.reasons[0]
    facts = PolicyFacts(releases=ReleaseFacts.of((), [consent()]))
    assert decide(DEA, "export", (rec, semar_stmt), at, facts).allowed
