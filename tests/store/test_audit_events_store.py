"""Every action that changes who may see what leaves its audit entry, in its transaction.

Releases, onward releases, consents, recalls, marking changes, vettings, parties and
agreements: each test runs the action through the store and reads back the entries it
appended (parsed from their canonical bytes, so what is checked is what was hashed).
A refused action leaves no entry, and an action whose transaction rolls back takes its
entry with it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Connection
from test_releases_store import DEA, FGR, SEMAR, T, seed, write

from tearline.audit.events import Event
from tearline.errors import (
    LegalBasisError,
    MarkingError,
    NotFound,
    PolicyDenied,
    ValidationError,
)
from tearline.model.marking import Marking, Selector
from tearline.model.parties import Agency, Agreement, Analyst, Unit, Vetting
from tearline.store import audit_log, audit_verify, parties, releases
from tearline.store.marking_changes import set_marking
from tearline.store.store import Store

AT = T + timedelta(hours=1)


def appended(conn: Connection, since: int) -> list[Event]:
    return [audit_log.entry(conn, i).event() for i in range(since, audit_log.size(conn))]


def fields(event: Event) -> dict[str, Any]:
    return {k: v for k, v in event.to_json().items() if k not in ("v", "at")}


def refused(conn: Connection, error: type[Exception], action: Any, *args: Any) -> None:
    """``action`` raises ``error`` and appends nothing."""
    before = audit_log.size(conn)
    with pytest.raises(error):
        action(conn, *args)
    assert audit_log.size(conn) == before


def test_a_release_by_the_originator_and_its_supersession(store: Store) -> None:
    seed(store)
    write(store, Marking.build("AMBER", ["unit:us.dea.sod"]))
    to = Selector.parse("agency:mx.fgr")
    with store.transaction() as conn:
        refused(conn, PolicyDenied, releases.release, DEA, "p1", to, None, AT, "t")  # no basis
        refused(conn, LegalBasisError, releases.release, DEA, "p1", to, "nope", AT, "t")
        refused(conn, NotFound, releases.release, FGR, "p1", to, "mlat", AT, "t")  # hidden
        start = audit_log.size(conn)
        first = releases.release(conn, DEA, "p1", to, "mlat", AT, "t").release
        second = releases.release(conn, DEA, "p1", to, "mlat", AT + timedelta(1), "t").release
        made = appended(conn, start)
    assert [e.kind for e in made] == ["release.created", "release.created"]
    assert fields(made[0]) == {
        "kind": "release.created", "actor": "unit:us.dea.sod", "release_id": first.id,
        "entity_id": "p1", "version": 1, "statement_ids": sorted(first.items),
        "recipient": "agency:mx.fgr", "legal_basis": "mlat", "supersedes": None,
    }
    assert fields(made[1])["supersedes"] == first.id
    assert fields(made[1])["release_id"] == second.id


def test_an_onward_release_under_orcon_names_its_consent(store: Store) -> None:
    seed(store)
    write(store, Marking.build("AMBER", ["unit:mx.fgr.femdo"], orcon=True, legal_basis="mlat"))
    to = Selector.parse("unit:mx.fgr.aic")
    with store.transaction() as conn:
        refused(conn, PolicyDenied, releases.release, FGR, "p1", to, None, AT, "t")  # ORCON
        refused(conn, PolicyDenied, releases.grant_consent, FGR, "p1", "mx.fgr", AT, "t")
        refused(conn, ValidationError, releases.grant_consent, DEA, "p1", "us.dea", AT, "t")
        start = audit_log.size(conn)
        consent = releases.grant_consent(conn, DEA, "p1", "mx.fgr", AT, "t")
        onward = releases.release(conn, FGR, "p1", to, None, AT, "t").release
        made = appended(conn, start)
    assert [fields(e) for e in made] == [
        {"kind": "consent.recorded", "actor": "unit:us.dea.sod", "consent_id": consent.id,
         "entity_id": "p1", "originator": "us.dea", "to_agency": "mx.fgr",
         "decision": "granted"},
        {"kind": "release.onward", "actor": "unit:mx.fgr.femdo", "release_id": onward.id,
         "entity_id": "p1", "version": 1, "statement_ids": sorted(onward.items),
         "from_party": "unit:mx.fgr.femdo", "recipient": "unit:mx.fgr.aic",
         "legal_basis": None, "consent_id": consent.id, "supersedes": None},
    ]
    later = AT + timedelta(days=1)
    with store.transaction() as conn:
        refused(conn, NotFound, releases.withdraw_consent, FGR, consent.id, later, "t")
        start = audit_log.size(conn)
        releases.withdraw_consent(conn, DEA, consent.id, later, "t")
        refused(conn, NotFound, releases.withdraw_consent, DEA, consent.id, later, "t")  # twice
        [withdrawn] = appended(conn, start)
    assert fields(withdrawn)["decision"] == "withdrawn"
    assert fields(withdrawn)["consent_id"] == consent.id


def test_a_recall_names_the_releases_it_revoked(store: Store) -> None:
    seed(store)
    write(store, Marking.build("AMBER", ["unit:us.dea.sod"]))
    with store.transaction() as conn:
        a = releases.release(conn, DEA, "p1", Selector.parse("agency:mx.fgr"), "mlat", AT, "t")
        b = releases.release(conn, DEA, "p1", Selector.parse("vetted-by:us.dea"), "framework",
                             AT, "t")
    later = AT + timedelta(hours=1)
    with store.transaction() as conn:
        refused(conn, PolicyDenied, releases.recall, FGR, "p1", later, "t")
        refused(conn, NotFound, releases.recall, DEA, "p1", later, "t", "rel-unknown")
        start = audit_log.size(conn)
        revoked = releases.recall(conn, DEA, "p1", later, "t")
        [recall] = appended(conn, start)
    body = fields(recall)
    assert body["kind"] == "recall.issued" and body["actor"] == "unit:us.dea.sod"
    assert sorted(body["release_ids"]) == sorted(revoked) == sorted([a.release.id, b.release.id])
    assert body["recipients"] == ["agency:mx.fgr", "vetted-by:us.dea"]
    assert body["entity_id"] == "p1" and body["version"] == 1


def test_marking_changes_are_logged_and_refusals_are_not(store: Store) -> None:
    seed(store)
    write(store, Marking.build("AMBER", ["unit:mx.fgr.femdo"], legal_basis="mlat"))
    with store.transaction() as conn:
        refused(conn, PolicyDenied, set_marking, FGR, "p1", None, Marking.build("GREEN"), AT)
        refused(conn, NotFound, set_marking, SEMAR, "p1", None, Marking.build("GREEN"), AT)
        refused(conn, MarkingError, set_marking, DEA, "p1", "birthDate", Marking.build("GREEN"),
                AT)
        start = audit_log.size(conn)
        portion = Marking.build("AMBER+STRICT")
        set_marking(conn, DEA, "p1", "birthDate", portion, AT)
        set_marking(conn, DEA, "p1", None, Marking.build("GREEN"), AT)
        made = appended(conn, start)
    assert [e.kind for e in made] == ["marking.changed", "marking.changed"]
    assert fields(made[0])["marking_id"] == portion.id
    assert len(fields(made[0])["statement_ids"]) == 1
    assert fields(made[1])["statement_ids"] == []
    assert fields(made[1])["marking_id"] == Marking.build("GREEN").id


def test_vettings_parties_and_agreements(store: Store) -> None:
    with store.transaction() as conn:
        start = audit_log.size(conn)
        parties.put_agency(conn, Agency("us.dea", "DEA", "us"), T)
        parties.put_agency(conn, Agency("mx.semar", "SEMAR", "mx"), T)
        parties.put_agency(conn, Agency("us.dea", "Drug Enforcement", "us"), T)
        parties.put_unit(conn, Unit("mx.semar.uie", "mx.semar", "UIE"), T)
        parties.put_analyst(conn, Analyst("ana@mx.semar.uie", "mx.semar.uie", "Ana"), T)
        parties.put_agreement(conn, Agreement("mlat/2024-7", "MLAT", "mlat",
                                              frozenset({"us.dea", "mx.semar"})), T)
        parties.put_vetting(conn, Vetting("v1", "us.dea", "mx.semar.uie", T,
                                          T + timedelta(days=5)), T, "ana@mx.semar.uie")
        parties.revoke_vettings(conn, "mx.semar.uie", "us.dea", AT, "ana@mx.semar.uie")
        made = [fields(e) for e in appended(conn, start)]
        refused(conn, ValidationError, parties.put_unit, Unit("x.y", "x", "Y"), T)
        refused(conn, ValidationError, parties.put_analyst, Analyst("bo@x.y", "x.y", "Bo"), T)
        refused(conn, NotFound, parties.revoke_vettings, "mx.semar.uie", "us.dea", AT, "t")
        refused(conn, ValidationError, parties.put_vetting,
                Vetting("v2", "us.dea", "x.y", T, AT), T, "t")
    assert [(m["kind"], m.get("party"), m.get("action"), m.get("version")) for m in made] == [
        ("party.changed", "agency:us.dea", "created", 1),
        ("party.changed", "agency:mx.semar", "created", 1),
        ("party.changed", "agency:us.dea", "updated", 2),
        ("party.changed", "unit:mx.semar.uie", "created", 1),
        ("party.changed", "analyst:ana@mx.semar.uie", "created", 1),
        ("agreement.recorded", None, None, 1),
        ("vetting.changed", None, "granted", None),
        ("vetting.changed", None, "revoked", None),
    ]
    assert made[5]["agreement_id"] == "mlat/2024-7"
    assert made[5]["parties"] == ["mx.semar", "us.dea"]
    assert made[6]["actor"] == "analyst:ana@mx.semar.uie"
    assert (made[6]["valid_from"], made[6]["valid_until"]) == ("2024-05-01", "2024-05-06")


def test_an_action_rolled_back_takes_its_entry_with_it(store: Store) -> None:
    seed(store)
    write(store, Marking.build("AMBER", ["unit:us.dea.sod"]))
    with store.reading() as conn:
        before = audit_log.size(conn)
    with pytest.raises(RuntimeError), store.transaction() as conn:
        releases.release(conn, DEA, "p1", Selector.parse("agency:mx.fgr"), "mlat", AT, "t")
        releases.grant_consent(conn, DEA, "p1", "mx.fgr", AT, "t")
        assert audit_log.size(conn) == before + 2
        raise RuntimeError("the caller fails after the action")
    with store.reading() as conn:
        assert audit_log.size(conn) == before
        assert releases.releases(conn) == [] and releases.consents(conn) == []
        assert audit_verify.first_bad(conn) is None



def test_api_tokens_created_and_revoked_are_key_changes(store: Store) -> None:
    from tearline.errors import Conflict
    from tearline.store import api_tokens

    row = api_tokens.TokenRow(
        prefix="abcd2345", owner="ana@mx.semar.uie", scopes=frozenset({"read"}),
        secret_hash="$argon2id$not-a-real-hash", label="laptop", created_at=T,
        created_by="us.dea.sod", expires_at=T + timedelta(days=30), revoked_at=None,
    )
    with store.transaction() as conn:
        start = audit_log.size(conn)
        api_tokens.insert(conn, row)
        refused(conn, Conflict, api_tokens.insert, row)
        api_tokens.revoke(conn, "abcd2345", AT)
        before = audit_log.size(conn)
        api_tokens.revoke(conn, "abcd2345", AT + timedelta(1))  # revoked already: no change
        assert audit_log.size(conn) == before
        refused(conn, NotFound, api_tokens.revoke, "zzzz2345", AT)
        made = [fields(e) for e in appended(conn, start)]
        bodies = b"".join(audit_log.entry(conn, i).body for i in range(start, start + 2))
    assert made == [
        {"kind": "key.changed", "actor": "unit:us.dea.sod", "owner": "analyst:ana@mx.semar.uie",
         "key_id": "abcd2345", "purpose": "api-token", "action": "created"},
        {"kind": "key.changed", "actor": "system", "owner": "analyst:ana@mx.semar.uie",
         "key_id": "abcd2345", "purpose": "api-token", "action": "revoked"},
    ]
    assert b"argon2" not in bodies and b"laptop" not in bodies
