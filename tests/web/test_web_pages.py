"""The web pages over ASGI: sign-in, sessions, CSRF, the policy on every page, the audit
log, the language, the security headers (the browser tests drive the same in Chromium)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from webworld import PASSWORD, Browser, Site, build_site

from store_template import copy_to
from tearline.store import audit_log, release_reads, releases

VETTED, UNVETTED, DEA = "ana@mx.semar.uie", "luis@mx.semar.log", "bob@us.dea.sod"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, store_template: Path) -> Iterator[Site]:
    # a copy of the migrated template: the site is tested, not the migrations
    made = build_site(copy_to(store_template,
                              f"sqlite:///{tmp_path_factory.mktemp('web') / 'db.sqlite'}"))
    yield made
    made.store.close()


@pytest.fixture
def person(site: Site) -> Iterator[Browser]:
    made = Browser(site.app)
    yield made
    made.close()


def _kinds(site: Site) -> list[dict[str, object]]:
    """Every entry of the log, as its canonical JSON."""
    with site.store.reading() as conn:
        return [json.loads(e.body) for e in audit_log.entries(conn, None, None, None, None,
                                                              100_000)]


def test_a_page_without_a_session_sends_to_sign_in(person: Browser) -> None:
    answer = person.get("/web/record/dea-p-guzman", follow=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/web/signin?next=/web/record/dea-p-guzman"


def test_sign_in_with_a_password_then_out(person: Browser, site: Site) -> None:
    answer = person.sign_in(VETTED)
    assert answer.status_code == 303 and answer.headers["location"] == "/web/search"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    page = person.get("/web/search")
    assert page.status_code == 200 and VETTED in page.text
    assert person.post("/web/signout", {}).status_code == 303
    assert person.get("/web/search", follow=False).status_code == 303


def test_a_wrong_password_is_refused_and_audited(person: Browser, site: Site) -> None:
    before = len(_kinds(site))
    answer = person.sign_in(VETTED, "not the password at all")
    assert answer.status_code == 401
    assert "Wrong sign-in name, password or token." in answer.text
    unknown = person.sign_in("nobody@mx.semar.uie", PASSWORD)
    assert unknown.status_code == 401 and unknown.text == answer.text
    failed = [e for e in _kinds(site)[before:] if e.get("kind") == "auth.failed"]
    assert [e["channel"] for e in failed] == ["web", "web"]


def test_password_guessing_is_held_back_at_its_address_only(site: Site) -> None:
    """After the API's per-credential number of wrong passwords for one name from one
    address, that address may not try the name again (not even with the right password,
    and without an audit entry per try); the analyst signs in from elsewhere."""
    victim = "eva@mx.fgr.seido"
    allowed = site.app.state.authenticator.limits.credentials.limit
    guesser, analyst = Browser(site.app, address="192.0.2.66"), Browser(site.app)
    try:
        for _ in range(allowed):
            assert guesser.sign_in(victim, "guess guess guess").status_code == 401
        before = len(_kinds(site))
        held = guesser.sign_in(victim)
        assert held.status_code == 429
        assert "tearline_session" not in held.headers.get("set-cookie", "")
        assert len(_kinds(site)) == before
        assert guesser.get("/web/search", follow=False).status_code == 303
        assert analyst.sign_in(victim).status_code == 303
    finally:
        guesser.close()
        analyst.close()


def test_sign_in_with_an_api_token(person: Browser, site: Site) -> None:
    person.get("/web/signin")
    answer = person.post("/web/signin", {"token": site.tokens[DEA], "next": "/web/sharing"})
    assert answer.status_code == 303 and answer.headers["location"] == "/web/sharing"
    assert DEA in person.get("/web/sharing").text
    person.get("/web/signin")
    refused = person.post("/web/signin", {"token": "tl_aaaaaaaa_" + "x" * 43})
    assert refused.status_code == 401


def test_forms_without_the_csrf_token_are_refused(person: Browser, site: Site) -> None:
    person.get("/web/signin")
    assert person.post("/web/signin", {"name": VETTED, "password": PASSWORD},
                       csrf="forged").status_code == 403
    person.sign_in(DEA)
    person.get("/web/record/dea-p-guzman")
    refused = person.post("/web/record/dea-p-guzman/release",
                          {"to": "agency:mx.fgr"}, csrf="")
    assert refused.status_code == 403
    with site.store.reading() as conn:
        assert not [r for r in releases.releases(conn, ["dea-p-guzman"])
                    if str(r.to) == "agency:mx.fgr"]


def test_a_session_expires(site: Site) -> None:
    person = Browser(site.app)
    try:
        person.sign_in(VETTED)
        assert person.get("/web/search", follow=False).status_code == 200
        site.clock.offset = timedelta(minutes=site.app.state.web.settings.session_minutes)
        answer = person.get("/web/search", follow=False)
        assert answer.status_code == 303 and "/web/signin" in answer.headers["location"]
    finally:
        site.clock.offset = timedelta(0)
        person.close()


def test_the_vetted_unit_sees_the_portion_the_unvetted_does_not(site: Site) -> None:
    texts = {}
    for analyst in (VETTED, UNVETTED):
        person = Browser(site.app)
        person.sign_in(analyst)
        texts[analyst] = person.get("/web/record/dea-p-guzman").text
        person.close()
    assert "El Raton" in texts[VETTED] and "GULO900329HSLZPV05" in texts[VETTED]
    assert "El Raton" not in texts[UNVETTED] and "GULO900329HSLZPV05" in texts[UNVETTED]


def test_a_hidden_record_is_missing_like_a_missing_one(person: Browser) -> None:
    person.sign_in("eva@mx.fgr.seido")
    hidden = person.get("/web/record/dea-p-guzman")
    missing = person.get("/web/record/never-made")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text.replace("never-made", "dea-p-guzman")


def test_search_facets_count_what_the_viewer_sees(person: Browser) -> None:
    person.sign_in(UNVETTED)
    page = person.get("/web/search?q=guzman").text
    assert "Ovidio Guzman Lopez" in page and "Ivan Archivaldo Guzman Salazar" in page
    everything = person.get("/web/search").text
    fentanyl = re.search(r'drug=fentanyl[^>]*>fentanyl</a> <span class="count">(\d+)', everything)
    assert fentanyl and fentanyl.group(1) == "1"
    narrowed = person.get("/web/search?drug=fentanyl").text
    assert "Decomiso Culiacan fentanilo" in narrowed and "Los Chapitos" not in narrowed


def test_pages_read_through_the_audit_log(person: Browser, site: Site) -> None:
    person.sign_in(VETTED)
    before = len(_kinds(site))
    person.get("/web/record/dea-p-guzman")
    person.get("/web/search?q=chapitos")
    events = _kinds(site)[before:]
    reads = [e for e in events if e.get("kind") == "record.read"]
    assert {(e["entity_id"], e["path"]) for e in reads} >= {("dea-p-guzman", "web"),
                                                           ("dea-o-chapitos", "search")}
    assert any(e.get("kind") == "aggregate.read" and e["path"] == "web" for e in events)


def test_release_and_recall_through_the_forms(person: Browser, site: Site) -> None:
    person.sign_in(DEA)
    person.get("/web/record/dea-o-chapitos")
    made = person.post("/web/record/dea-o-chapitos/release",
                       {"to": "agency:mx.fgr", "basis": "fgr-us-2025"})
    assert made.status_code == 303
    page = person.get("/web/record/dea-o-chapitos").text
    assert "agency:mx.fgr" in page and "in force" in page
    assert person.post("/web/record/dea-o-chapitos/recall", {"release": ""}).status_code == 303
    assert "recalled" in person.get("/web/record/dea-o-chapitos").text
    assert "dea-o-chapitos" in person.get("/web/sharing").text
    with site.store.reading() as conn:  # the page's read: the agency's own, recalled too
        every = releases.releases(conn, ["dea-o-chapitos"])
        assert release_reads.made_by(conn, "dea-o-chapitos", "us.dea") == [
            r for r in every if r.by_agency == "us.dea"] != []
        assert release_reads.made_by(conn, "dea-o-chapitos", "mx.fgr") == []


def test_the_language_follows_the_analyst_then_the_browser(site: Site) -> None:
    spanish = Browser(site.app, accept_language="es-MX,es;q=0.9")
    try:
        signin = spanish.get("/web/signin")
        assert '<html lang="es-MX">' in signin.text and "Iniciar sesión" in signin.text
        spanish.sign_in("eva@mx.fgr.seido")
        page = spanish.get("/web/search?q=decomiso").text
        assert "Decomiso" in page and "fentanilo" in page and "Búsqueda" in page
        spanish.post("/web/language", {"locale": "en_US", "next": "/web/search"})
    finally:
        spanish.close()
    again = Browser(site.app, accept_language="es-MX")
    try:
        again.sign_in("eva@mx.fgr.seido")
        page = again.get("/web/search").text
        assert '<html lang="en-US">' in page and "Search" in page  # the saved preference
    finally:
        again.close()


def test_a_refused_release_and_bad_input_read_in_spanish(site: Site) -> None:
    spanish = Browser(site.app, accept_language="es-MX")
    try:
        spanish.sign_in(DEA)
        spanish.get("/web/record/dea-p-guzman")
        refused = spanish.post("/web/record/dea-p-guzman/release", {"to": "agency:mx.fgr"})
        bad = spanish.get("/web/search?q=a+b+c+d+e+f+g+h+i")  # the web's own errors too
    finally:
        spanish.close()
    assert bad.status_code == 422 and "consulta demasiado compleja" in bad.text
    assert "palabras" in bad.text and "words" not in bad.text
    assert refused.status_code == 403
    said = " ".join(refused.text.split())
    assert ("usted no puede difundir dea-p-guzman a agency:mx.fgr: una difusión fuera de "
            "us.dea requiere un fundamento legal") in said
    assert "<li>una difusión fuera de us.dea requiere un fundamento legal</li>" in said
    assert "needs a legal basis" not in said


def test_every_page_is_sent_under_a_strict_policy(person: Browser) -> None:
    person.sign_in(VETTED)
    for url in ("/web/signin", "/web/search", "/web/record/semar-s-1", "/web/sharing",
                "/web/audit"):
        answer = person.get(url)
        assert answer.status_code == 200, url
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert answer.headers["cache-control"] == "no-store"
        assert "<script>" not in answer.text and " style=" not in answer.text
    assert person.get("/web/static/vendor/htmx.min.js").status_code == 200


def test_bad_input_gets_a_page_not_a_crash(person: Browser) -> None:
    person.sign_in(VETTED)
    for url in ("/web/search?drug=aspirin", "/web/search?date_from=yesterday",
                "/web/search?q=a+b+c+d+e+f+g+h+i", "/web/search?q=x&after=zz",
                "/web/search?schema=Nope", "/web/audit?after=-1", "/web/record/%00"):
        answer = person.get(url)
        assert 400 <= answer.status_code < 500, url
        assert "text/html" in answer.headers["content-type"]


def test_a_page_is_routed_before_the_api_routes_are_tried(site: Site, person: Browser) -> None:
    """The pages sit behind one prefix match ahead of the API's routes: a page is not
    tried against every API route first, and an API path passes it by."""
    from starlette.routing import Match

    first = site.app.router.routes[0]

    def scope(path: str) -> dict[str, object]:
        return {"type": "http", "path": path, "method": "GET", "root_path": "", "headers": []}

    assert all(first.matches(scope(p))[0] == Match.FULL
               for p in ("/web/search", "/web/record/x", "/web/static/tearline.css"))
    assert first.matches(scope("/api/v1/entities/x"))[0] == Match.NONE
    assert person.get("/web/static/tearline.css").status_code == 200
    missing = person.get("/web/no-such-page")
    assert missing.status_code == 404 and "<html" in missing.text
