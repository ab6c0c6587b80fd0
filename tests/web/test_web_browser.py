"""The web application in real Chromium (Debian's ``chromium``, driven by Playwright).

One browser and one served site for the module. Each test opens its own context (its
own cookies), records console errors and page errors, and fails on any. The pages are
photographed in both languages into ``docs/web/`` (shown in docs/web.md), and checked
with axe-core (vendored: tests/web/vendor) and by walking them with the keyboard.

Skipped only where ``/usr/bin/chromium`` is missing outside CI; in CI ``dev.py test``
installs it (dev.py, SYSTEM_PACKAGES) and the tests must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from webworld import ADMIN, PASSWORD, Site, add_links, build_site

from serving import serving
from store_template import copy_to
from tearline.model.marking import Marking
from tearline.store import audit_checkpoints, release_approvals, set_marking

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed (dev.py test installs it; CI must run "
                "these tests)", allow_module_level=True)

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402  # after the skip

pytestmark = pytest.mark.slow  # handed out first in a parallel run (tests/conftest.py)

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "web"
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
VETTED, UNVETTED, DEA = "ana@mx.semar.uie", "luis@mx.semar.log", "bob@us.dea.sod"
WIDTH = 1280


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, store_template: Path) -> Iterator[Site]:
    # a copy of the migrated template: the site is tested, not the migrations
    made = build_site(copy_to(store_template,
                              f"sqlite:///{tmp_path_factory.mktemp('webui') / 'db.sqlite'}"))
    add_links(made.store)  # the Network page's links
    yield made
    made.store.close()


@pytest.fixture(scope="module")
def base(site: Site) -> Iterator[str]:
    with serving(site.app) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM),
                                       args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


class Person:
    """A browser context (one person's cookies) and its page, with its console errors."""

    def __init__(self, chromium: Browser, base: str, locale: str = "en-US") -> None:
        self.base = base
        self.context: BrowserContext = chromium.new_context(
            viewport={"width": WIDTH, "height": 900}, locale=locale)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def go(self, path: str) -> Page:
        self.page.goto(self.base + path)
        return self.page

    def sign_in(self, name: str) -> None:
        self.go("/web/signin")
        self.page.fill("#name", name)
        self.page.fill("#password", PASSWORD)
        self.page.click("form:has(#password) button[type=submit]")
        self.page.wait_for_url("**/web/search")

    def shot(self, name: str) -> None:
        lang = self.page.locator("html").get_attribute("lang") or "xx"
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}-{lang}.png"), full_page=True)

    def axe(self) -> list[dict[str, Any]]:
        """axe-core's violations on the page (run through the debugger protocol, which the
        page's Content-Security-Policy does not govern)."""
        self.page.evaluate(AXE)
        found: list[dict[str, Any]] = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html)}))")
        return found

    def close(self) -> None:
        self.context.close()
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture
def person(chromium: Browser, base: str) -> Iterator[Person]:
    made = Person(chromium, base)
    yield made
    made.close()


def test_sign_in_search_and_open_a_record_with_its_tear_line(chromium: Browser,
                                                             base: str) -> None:
    seen = {}
    for analyst in (VETTED, UNVETTED):
        person = Person(chromium, base)
        person.sign_in(analyst)
        person.page.fill("#q", "guzman")
        person.page.press("#q", "Enter")  # htmx swaps the results in and pushes the URL
        person.page.wait_for_url("**q=guzman**")
        person.page.get_by_role("link", name="Ovidio Guzman Lopez").click()
        person.page.wait_for_url("**/web/record/dea-p-guzman")
        seen[analyst] = person.page.locator("table.tearline").inner_text()
        person.close()
    assert "El Raton" in seen[VETTED] and "El Raton" not in seen[UNVETTED]
    assert "GULO900329HSLZPV05" in seen[UNVETTED]


def test_release_and_recall(person: Person) -> None:
    person.sign_in(DEA)
    page = person.go("/web/record/dea-o-chapitos")
    page.fill("#to", "agency:mx.fgr")
    page.select_option("#basis", "fgr-us-2025")
    page.click("form[action$='/release'] button")
    page.wait_for_url("**/web/record/dea-o-chapitos")
    assert "in force" in page.locator("table").nth(1).inner_text()
    page.click("form[action$='/recall'] button")
    page.wait_for_url("**/web/record/dea-o-chapitos")
    assert "recalled" in page.locator("table").nth(1).inner_text()


def test_a_second_officer_approves_in_the_browser(chromium: Browser, base: str,
                                                  site: Site) -> None:
    with site.store.transaction() as conn:
        release_approvals.set_required(conn, "mx-us-2024", True, "system", datetime.now(UTC))
    first, second = Person(chromium, base), Person(chromium, base)
    try:
        first.sign_in(VETTED)
        page = first.go("/web/sharing")
        page.fill("#rel-entity", "semar-s-1")
        page.fill("#rel-to", "agency:us.dea")
        page.select_option("#rel-basis", "mx-us-2024")
        page.click("form[action$='/sharing/release'] button")
        page.wait_for_url("**/web/sharing")
        assert "yours: another officer approves" in page.locator("table.approvals").inner_text()
        second.sign_in(UNVETTED)
        desk = second.go("/web/sharing")
        desk.locator("table.approvals form[action$='/sharing/approve'] button").first.click()
        desk.wait_for_url("**/web/sharing")
        assert "approved" in desk.locator("table.approvals").inner_text()
        assert "semar-s-1" in first.go("/web/sharing").locator("table.releases").inner_text()
    finally:
        with site.store.transaction() as conn:
            release_approvals.set_required(conn, "mx-us-2024", False, "system",
                                           datetime.now(UTC))
        first.close()
        second.close()


def test_a_consent_is_asked_and_granted_in_the_browser(chromium: Browser, base: str,
                                                       site: Site) -> None:
    """The DEA asks SEMAR's unit for consent to pass two ORCON records on; SEMAR's unit
    grants one in the browser (the other stays pending: the Sharing page's photographs
    show both); the DEA sees the answer, photographed in both languages."""
    orcon = Marking.build("AMBER", ["agency:us.dea"], orcon=True, legal_basis="mx-us-2024")
    with site.store.transaction() as conn:
        for entity in ("semar-p-guzman", "semar-s-2"):
            set_marking(conn, site.store.subject(VETTED), entity, None, orcon,
                        datetime.now(UTC))
    asker, originator = Person(chromium, base), Person(chromium, base)
    try:
        asker.sign_in(DEA)
        page = asker.go("/web/sharing")
        for entity, why in (("semar-p-guzman", "Proceso en Sinaloa"),
                            ("semar-s-2", "Cruce en Nogales")):
            page.fill("#ask-entity", entity)
            page.fill("#ask-to", "agency:mx.fgr")
            page.fill("#ask-reason", why)
            page.click("form[action$='/sharing/consent/request'] button")
            page.wait_for_url("**/web/sharing#consent-requests")
        assert page.locator("table.consent-requests.sent").inner_text().count("pending") == 2
        originator.sign_in(VETTED)
        desk = originator.go("/web/sharing")
        asked = desk.locator("table.consent-requests.received tr", has_text="semar-p-guzman")
        assert "Proceso en Sinaloa" in asked.inner_text()
        asked.locator("form:has(input[value=grant]) button").click()
        desk.wait_for_url("**/web/sharing#consent-requests")
        assert "granted" in desk.locator("table.consent-requests.received").inner_text()
        sent = asker.go("/web/sharing").locator("table.consent-requests.sent")
        assert "granted" in sent.inner_text() and "pending" in sent.inner_text()
        asker.page.locator("#consent-requests").scroll_into_view_if_needed()
        asker.shot("consent-requests")
        _choose_language(asker.page, "es-MX")
        asker.go("/web/sharing")
        assert "otorgada" in asker.page.locator("table.consent-requests.sent").inner_text()
        asker.shot("consent-requests")
    finally:
        asker.close()
        originator.close()


def test_switch_language(person: Person) -> None:
    person.sign_in(VETTED)
    page = person.page
    page.select_option("#locale", "es_MX")
    page.click("form[action='/web/language'] button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es-MX"
    assert page.get_by_role("heading", level=1).inner_text() == "Búsqueda"
    page.select_option("#locale", "en_US")
    page.click("form[action='/web/language'] button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en-US"


def test_a_forged_form_and_an_expired_session_are_refused(person: Person, site: Site) -> None:
    person.sign_in(DEA)
    page = person.go("/web/record/dea-o-chapitos")
    page.eval_on_selector("form[action$='/release'] input[name=csrf]", "e => e.value = 'x'")
    page.fill("#to", "agency:mx.fgr")
    # The browser logs the refused request's status as a console error, after the
    # response arrives: wait for that message too, then forget it.
    with page.expect_console_message(lambda m: "403" in m.text), \
            page.expect_response("**/release") as answer:
        page.click("form[action$='/release'] button")
    assert answer.value.status == 403
    person.errors.remove(next(e for e in person.errors if "403" in e))
    site.clock.offset = timedelta(minutes=site.app.state.web.settings.session_minutes)
    try:
        person.go("/web/search")
        assert "/web/signin" in page.url
    finally:
        site.clock.offset = timedelta(0)


def test_the_network_is_drawn_and_a_node_opens_its_own(person: Person) -> None:
    person.sign_in(VETTED)
    page = person.go("/web/network/semar-p-guzman")
    page.wait_for_selector("#graph canvas")  # Cytoscape drew, under the strict policy
    drawn = page.evaluate("() => tearlineNetwork.nodes().map(n => n.id()).sort()")
    assert drawn == ["dea-o-chapitos", "dea-p-guzman", "semar-p-guzman"]
    box = page.locator("#graph").bounding_box()
    at = page.evaluate("() => tearlineNetwork.$id('dea-p-guzman').renderedPosition()")
    assert box is not None
    with page.expect_navigation():
        page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    assert page.url.endswith("/web/network/dea-p-guzman")


PAGES = (("signin", None), ("search", "/web/search?q=guzman"),
         ("record", "/web/record/dea-p-guzman"), ("sharing", "/web/sharing"),
         ("audit", "/web/audit"), ("proof", "a.proof"), ("seizures", "/web/seizures"),
         ("network", "/web/network/dea-p-guzman?to=dea-o-chapitos"))
#: Seen by the node's administrator, a DEA analyst: the administration page, and the tabs
#: of a record its agency originated (who may see it is shown to the originator only).
ADMIN_PAGES = (("admin", "/web/admin"), ("audience", "/web/record/dea-p-guzman/audience"),
               ("correlations", "/web/record/dea-p-guzman/correlations"),
               ("history", "/web/record/dea-p-guzman/history"))


@pytest.mark.parametrize("locale", ["en-US", "es-MX"])
def test_every_page_photographed_accessible_and_keyboard_reachable(
        chromium: Browser, base: str, site: Site, locale: str) -> None:
    for analyst, pages in ((VETTED, PAGES), (ADMIN, ADMIN_PAGES)):
        person = Person(chromium, base, locale)
        try:
            for name, path in pages:
                if path is None:
                    person.go("/web/signin")
                elif path == "a.proof":  # the first proof the audit page offers
                    with site.store.transaction() as conn:  # the operator publishes the log
                        audit_checkpoints.sign(conn, "tearline.test/log",
                                               Ed25519PrivateKey.generate())
                    person.go("/web/audit").locator(path).first.click()
                    person.page.wait_for_url("**/web/audit/proof/*")
                else:
                    if "tearline_session" not in {c["name"] for c in person.context.cookies()}:
                        person.sign_in(analyst)
                        _choose_language(person.page, locale)
                    person.go(path)
                assert person.page.locator("html").get_attribute("lang") == locale
                person.shot(name)
                violations = person.axe()
                assert not violations, f"{name} ({locale}): {violations}"
                if locale == "en-US":  # the same controls in either language
                    _keyboard_reaches_every_control(person.page, name)
        finally:
            person.close()


def _choose_language(page: Page, locale: str) -> None:
    """The analyst's own choice, kept with their account (the switch in the header)."""
    page.select_option("#locale", locale.replace("-", "_"))
    page.click("form[action='/web/language'] button")
    page.wait_for_load_state()


def _keyboard_reaches_every_control(page: Page, name: str) -> None:
    """Tab from the top of the page reaches every visible link, button and form control."""
    wanted = page.evaluate(
        "() => { window.reached = new Set(); document.addEventListener('focusin',"
        " e => window.reached.add(e.target)); document.activeElement?.blur();"
        " return Array.from(document.querySelectorAll('a[href], button,"
        " input:not([type=hidden]), select')).filter(e => e.offsetParent !== null).length; }")
    reached = 0
    for _ in range(3):  # a date field is three stops (day, month, year): up to three rounds
        for _ in range(wanted + 2):
            page.keyboard.press("Tab")
        reached = page.evaluate("() => window.reached.size")
        if reached >= wanted:
            break
    assert reached >= wanted, f"{name}: the keyboard reached {reached} of {wanted}"
