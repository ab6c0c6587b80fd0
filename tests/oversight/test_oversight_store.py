"""Drafts, contacts, the officer's texts, signing and verifying, on both backends."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from statement_keys import TEST_KEYER
from tearline.audit.canonical import canonical_bytes
from tearline.audit.events import clock
from tearline.audit.oversight_events import ContactLogged, OversightSigned
from tearline.demo import scenario
from tearline.demo.load import seed_parties
from tearline.errors import Conflict, IntegrityError, NotFound, PolicyDenied, ValidationError
from tearline.keys import create_node_key
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.oversight.contacts import Contact
from tearline.oversight.terms import Term
from tearline.store import audit_log, oversight, oversight_reports
from tearline.store.store import Store

DAY0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
OFFICER = f"ana@{scenario.UIE}"


def received(store: Store, n: int, at: datetime) -> None:
    """DEA records stored as a pull from the DEA node stores them."""
    prov = Provenance(scenario.US_DEA, scenario.SOD, at)
    mark = Marking.build("AMBER", [f"unit:{scenario.UIE}"],
                         legal_basis=scenario.SECURITY_FRAMEWORK)
    records = [build_record(f"d-{at.day}-{i}", "Person", {"name": [f"p {i}"]}, prov, mark,
                            keyer=TEST_KEYER) for i in range(n)]
    with clock(lambda: at):
        store.write(records, by=f"node:{scenario.SOD}")


def meeting(**changes: object) -> Contact:
    values: dict[str, object] = dict(
        unit=scenario.UIE, officials=(OFFICER,), foreign_agency=scenario.US_DEA,
        foreign_unit=scenario.SOD, foreign_agents="Agent J. Doe", met_at=DAY0,
        place="Veracruz", subject="Liaison on maritime patrols")
    values.update(changes)
    return Contact(**values)  # type: ignore[arg-type]


@pytest.fixture
def world(store: Store, tmp_path: Path) -> Store:
    seed_parties(store, DAY0 - timedelta(days=30))
    received(store, 3, DAY0)
    with store.transaction() as conn:
        oversight.designate(conn, scenario.MX_SEMAR, OFFICER, "system")
    return store


def test_a_contact_is_logged_with_the_digest_of_its_details(world: Store) -> None:
    with clock(lambda: DAY0 + timedelta(hours=2)), world.transaction() as conn:
        contact_id = oversight.log_contact(conn, meeting(), scenario.MX_SEMAR,
                                           f"analyst:{OFFICER}")
    with world.reading() as conn:
        event = audit_log.entry(conn, audit_log.size(conn) - 1).event()
        details = oversight.contact_details(conn, contact_id)
    assert isinstance(event, ContactLogged)
    assert details == {"foreign_agents": "Agent J. Doe", "place": "Veracruz",
                       "subject": "Liaison on maritime patrols"}
    assert event.details_digest == hashlib.sha256(canonical_bytes(details)).hexdigest()
    body = json.dumps(event.__dict__)
    assert "Veracruz" not in body and "Doe" not in body  # the details stay out of the log


def test_contacts_are_refused_for_another_agency_or_unknown_people(world: Store) -> None:
    with world.transaction() as conn, pytest.raises(ValidationError):
        oversight.log_contact(conn, meeting(), scenario.MX_FGR, "system")
    with world.transaction() as conn, pytest.raises(NotFound):
        oversight.log_contact(conn, meeting(officials=(f"nobody@{scenario.UIE}",)),
                              scenario.MX_SEMAR, "system")
    with pytest.raises(ValidationError):
        meeting(subject="two\nlines")
    with pytest.raises(ValidationError):
        meeting(officials=(f"marta@{scenario.FEMDO}",))


def test_due_lists_drafts_by_their_term(world: Store) -> None:
    terms = {"mx": Term(2, business=True)}
    with world.transaction() as conn:
        on_day_3 = oversight_reports.due(conn, scenario.MX_SEMAR, date(2026, 1, 8), {})
        business = oversight_reports.due(conn, scenario.MX_SEMAR, date(2026, 1, 7), terms)
        before = oversight_reports.due(conn, scenario.MX_SEMAR, date(2026, 1, 7), {})
        everything = oversight_reports.due(conn, scenario.MX_SEMAR, date(2026, 1, 7), {}, True)
        fgr = oversight_reports.due(conn, scenario.MX_FGR, date(2026, 1, 9), {},
                                    node_agency=scenario.MX_SEMAR)
        unknown = oversight_reports.due(conn, scenario.MX_FGR, date(2026, 1, 9), {})
    assert [(i.draft.exchange.record_count, i.status) for i in on_day_3] == [(3, "due")]
    assert [i.status for i in business] == ["due"]
    assert before == [] and [i.status for i in everything] == ["pending"]
    # the pull is the exchange of the node's agency; when the node's agency is not known,
    # every agency of the country lists it (too much rather than too little)
    assert fgr == [] and [i.status for i in unknown] == ["overdue"]


def test_sign_covers_the_range_once_and_verify_proves_it(world: Store, tmp_path: Path) -> None:
    key, _ = create_node_key(tmp_path / "keys", "mx.semar.uie")
    with clock(lambda: DAY0 + timedelta(hours=3)), world.transaction() as conn:
        oversight.log_contact(conn, meeting(), scenario.MX_SEMAR, f"analyst:{OFFICER}")
    with world.transaction() as conn:
        (first, contact) = oversight_reports.drafts(conn, scenario.MX_SEMAR, {})
        assert contact.text["place"] == "Veracruz"
        oversight.write_text(conn, scenario.MX_SEMAR, first.exchange.id, "notes",
                             "reviewed with the unit", f"analyst:{OFFICER}")
        with pytest.raises(PolicyDenied):
            oversight_reports.sign(conn, scenario.MX_SEMAR, f"luis@{scenario.NAVAL_POLICE}",
                                   key, "es", {})
    with world.transaction() as conn:
        document, digest = oversight_reports.sign(conn, scenario.MX_SEMAR, OFFICER, key, "en", {})
    assert [x["nature"] for x in document["exchanges"]] == ["records-received", "contact"]
    assert document["exchanges"][0]["text"]["notes"] == "reviewed with the unit"
    assert document["language"] == "en" and document["marking"]["tlp"] == "AMBER"
    with world.reading() as conn:
        signed = audit_log.entry(conn, audit_log.size(conn) - 1).event()
        assert isinstance(signed, OversightSigned) and signed.report_digest == digest
        assert oversight_reports.drafts(conn, scenario.MX_SEMAR, {}) == []
        done = oversight_reports.verify(conn, json.loads(json.dumps(document)), key.name,
                                        key.public_key, {})
        assert done["complete"] and done["exchanges"] == 2
        for k in range(2):
            cut = dict(document, exchanges=[x for i, x in enumerate(document["exchanges"])
                                            if i != k])
            with pytest.raises(IntegrityError, match="missing from the report"):
                oversight_reports.verify(conn, cut, key.name, key.public_key, {})
        other, _ = create_node_key(tmp_path / "other", "mx.semar.uie")
        with pytest.raises(IntegrityError, match="not this node's"):
            oversight_reports.verify(conn, document, key.name, other.public_key, {})
    received(world, 2, DAY0 + timedelta(days=1))
    with world.transaction() as conn:
        second, _ = oversight_reports.sign(conn, scenario.MX_SEMAR, OFFICER, key, "es", {})
    assert second["log"]["first"] == document["log"]["size"]
    assert [x["records"]["count"] for x in second["exchanges"]] == [2]
    with world.transaction() as conn, pytest.raises(Conflict):
        oversight.keep_report(conn, document, digest)  # the same range again
