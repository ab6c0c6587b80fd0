"""The administration page over ASGI: only for a session with the admin scope (the API's
refusal otherwise, audited), and its forms change the node through the store calls the
API and the command line make — parties, vettings with expiry, agreements, tokens shown
once, peers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from webworld import ADMIN, PASSWORD, SEEN, Browser, Site, build_site

from store_template import copy_to
from tearline.store import api_tokens, audit_log, parties
from tearline.web import passwords

DEA, FGR = "bob@us.dea.sod", "eva@mx.fgr.seido"
TOKEN = re.compile(r'<code class="token">(tl_[a-z2-7]{8}_[^<]+)</code>')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, store_template: Path) -> Iterator[Site]:
    # a copy of the migrated template: the site is tested, not the migrations
    made = build_site(copy_to(store_template,
                              f"sqlite:///{tmp_path_factory.mktemp('webadmin') / 'db.sqlite'}"))
    yield made
    made.store.close()


@pytest.fixture(scope="module")
def admin(site: Site) -> Iterator[Browser]:
    made = Browser(site.app)
    assert made.sign_in(ADMIN).status_code == 303
    yield made
    made.close()


def _entries(site: Site) -> list[dict[str, object]]:
    with site.store.reading() as conn:
        return [json.loads(e.body) for e in audit_log.entries(conn, None, None, None, None,
                                                              100_000)]


def test_a_non_administrator_gets_the_apis_refusal_audited(site: Site) -> None:
    person = Browser(site.app)
    person.sign_in(DEA)
    before = len(_entries(site))
    page = person.get("/web/admin")
    assert page.status_code == 403
    assert "this credential lacks the &#39;admin&#39; scope" in page.text
    refused = [e for e in _entries(site)[before:] if e["kind"] == "auth.failed"]
    assert [(e["reason"], e["channel"], e["actor"]) for e in refused] == [
        ("scope", "web", f"analyst:{DEA}")]
    assert 'href="/web/admin"' not in person.get("/web/search").text
    form = person.post("/web/admin/vettings/revoke", {"unit": "mx.semar.uie", "by": "us.dea"})
    assert form.status_code == 403
    with site.store.reading() as conn:
        assert all(v.revoked_at is None for v in parties.vettings(conn))
    person.close()


def test_the_page_shows_the_node(admin: Browser) -> None:
    page = admin.get("/web/admin")
    assert page.status_code == 200
    text = page.text
    for shown in ("mx.semar.uie", "Bilateral exchange 2024", "v-uie", ADMIN,
                  "ready: it answers and its schema is current", 'href="/web/admin"'):
        assert shown in text, shown
    assert "in force" in text  # the DEA's vetting of the UIE


def test_a_vetting_is_granted_with_its_expiry_then_revoked(admin: Browser, site: Site) -> None:
    admin.get("/web/admin")
    made = admin.post("/web/admin/vettings", {"unit": "mx.semar.log", "by": "us.dea",
                                              "valid_from": "2026-01-01",
                                              "valid_until": "2031-06-30"})
    assert made.status_code == 303
    with site.store.reading() as conn:
        granted = [v for v in parties.vettings(conn) if v.unit == "mx.semar.log"]
    assert [(v.by, v.valid_from, v.valid_until) for v in granted] == [
        ("us.dea", datetime(2026, 1, 1, tzinfo=UTC), datetime(2031, 6, 30, tzinfo=UTC))]
    assert admin.post("/web/admin/vettings/revoke",
                      {"unit": "mx.semar.log", "by": "us.dea"}).status_code == 303
    with site.store.reading() as conn:
        assert [v.revoked_at is not None for v in parties.vettings(conn)
                if v.unit == "mx.semar.log"] == [True]
    assert "revoked" in admin.get("/web/admin").text
    entries = [e for e in _entries(site) if e["kind"] == "vetting.changed"
               and e.get("unit") == "mx.semar.log"]
    assert [e["action"] for e in entries] == ["granted", "revoked"]
    assert {e["actor"] for e in entries} == {f"analyst:{ADMIN}"}


def test_parties_and_agreements_are_recorded(admin: Browser, site: Site) -> None:
    admin.get("/web/admin")
    assert admin.post("/web/admin/parties", {"kind": "unit", "id": "mx.fgr.aic",
                                             "name": "Agencia de Investigación Criminal",
                                             "of": "mx.fgr"}).status_code == 303
    assert admin.post("/web/admin/agreements", {
        "id": "mlat-2026-7", "title": "MLAT request 7", "agreement_kind": "mlat",
        "parties": "us.dea, mx.fgr", "valid_until": "2027-01-01"}).status_code == 303
    with site.store.reading() as conn:
        assert "mx.fgr.aic" in {u.id for u in parties.units(conn)}
        agreement = {a.id: a for a in parties.agreements(conn)}["mlat-2026-7"]
    assert agreement.parties == frozenset({"us.dea", "mx.fgr"})
    assert agreement.valid_until == datetime(2027, 1, 1, tzinfo=UTC)
    page = admin.get("/web/admin").text
    assert "Agencia de Investigación Criminal" in page and "MLAT request 7" in page


def test_a_token_is_shown_once_then_revoked(admin: Browser, site: Site) -> None:
    admin.get("/web/admin")
    made = admin.post("/web/admin/tokens", {"owner": DEA, "label": "laptop", "days": "7",
                                            "scope_read": "1"})
    assert made.status_code == 201
    text = TOKEN.findall(made.text)
    assert len(text) == 1
    prefix = text[0].split("_")[1]
    with site.store.reading() as conn:
        row = api_tokens.find(conn, prefix)
    assert row is not None and row.owner == DEA and row.scopes == frozenset({"read"})
    assert row.created_by == ADMIN
    assert text[0] not in admin.get("/web/admin").text  # never again
    api = admin.runner.run(admin.client.get("/api/v1/whoami",
                                            headers={"Authorization": f"Bearer {text[0]}"}))
    assert api.status_code == 200 and api.json()["subject"] == f"analyst:{DEA}"
    assert admin.post(f"/web/admin/tokens/{prefix}/revoke", {}).status_code == 303
    with site.store.reading() as conn:
        revoked = api_tokens.find(conn, prefix)
    assert revoked is not None and revoked.revoked_at is not None


def test_bad_input_is_a_page_not_a_crash(admin: Browser) -> None:
    admin.get("/web/admin")
    for url, data in (
        ("/web/admin/vettings", {"unit": "mx.semar.log", "by": "us.dea",
                                 "valid_until": "next year"}),
        ("/web/admin/vettings", {"unit": "nobody.here", "by": "us.dea",
                                 "valid_until": "2030-01-01"}),
        ("/web/admin/parties", {"kind": "planet", "id": "x", "name": "X", "of": "y"}),
        ("/web/admin/agreements", {"id": "x", "title": "X", "agreement_kind": "pact",
                                   "parties": "us.dea"}),
        ("/web/admin/tokens", {"owner": "nobody@nowhere.x", "label": "x", "days": "1",
                               "scope_read": "1"}),
        ("/web/admin/tokens", {"owner": DEA, "label": "x", "days": "many",
                               "scope_read": "1"}),
        ("/web/admin/tokens/NOT-A-PREFIX/revoke", {}),
        ("/web/admin/peers/no-such-peer/remove", {}),
    ):
        answer = admin.post(url, data)
        assert 400 <= answer.status_code < 500, (url, data, answer.status_code)
        assert "<html" in answer.text
    assert admin.post("/web/admin/vettings/revoke", {"unit": "mx.semar.log", "by": "us.dea"},
                      csrf="forged").status_code == 403


def test_the_admin_scope_alone_administers(site: Site) -> None:
    """As for the API's administration routes: the admin scope is what is asked, not read."""
    passwords.set_password(site.store, FGR, PASSWORD, frozenset({"admin"}), SEEN, "test")
    person = Browser(site.app)
    try:
        person.sign_in(FGR)
        assert person.get("/web/admin").status_code == 200
        assert person.get("/web/search").status_code == 403
    finally:
        person.close()
