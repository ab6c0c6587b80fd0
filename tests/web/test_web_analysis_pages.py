"""The Network and Seizures pages over ASGI: what each unit's page shows is the network
and the assessment of what it may see, through the same core as the CLI and the API,
audited; bad filters get a page, not a crash (the browser tests draw them in Chromium)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
from webworld import Browser, Site, add_links, build_site

from store_template import copy_to
from tearline.network.analysis import Analysis
from tearline.reports.assessment import AssessmentParams, build_assessment
from tearline.reports.build import assessment_input
from tearline.store import audit_log

VETTED, UNVETTED, FGR = "ana@mx.semar.uie", "luis@mx.semar.log", "eva@mx.fgr.seido"
GRAPH = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)
LINKS = re.compile(r'<table class="links">(.*?)</table>', re.S)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, store_template: Path) -> Iterator[Site]:
    # a copy of the migrated template: the site is tested, not the migrations
    made = build_site(copy_to(store_template,
                              f"sqlite:///{tmp_path_factory.mktemp('webnet') / 'db.sqlite'}"))
    add_links(made.store)
    yield made
    made.store.close()


@pytest.fixture(scope="module")
def people(site: Site) -> Iterator[dict[str, Browser]]:
    made = {who: Browser(site.app) for who in (VETTED, UNVETTED, FGR)}
    for who, person in made.items():
        person.sign_in(who)
    yield made
    for person in made.values():
        person.close()


def _entries(site: Site) -> list[dict[str, object]]:
    with site.store.reading() as conn:
        return [json.loads(e.body) for e in audit_log.entries(conn, None, None, None, None,
                                                              100_000)]


def test_the_network_shows_the_links_each_unit_may_see(people: dict[str, Browser]) -> None:
    vetted = people[VETTED].get("/web/network/dea-p-guzman").text
    unvetted = people[UNVETTED].get("/web/network/dea-p-guzman").text
    # the membership record is for DEA-vetted units only; the family record is SEMAR's
    assert "dea-m-chapitos" in LINKS.search(vetted).group(1)  # type: ignore[union-attr]
    assert "dea-m-chapitos" not in unvetted
    for page in (vetted, unvetted):
        assert "semar-f-guzman" in LINKS.search(page).group(1)  # type: ignore[union-attr]
    drawn = json.loads(unescape(GRAPH.search(vetted).group(1)))  # type: ignore[union-attr]
    assert {n["id"] for n in drawn["nodes"]} == {"dea-p-guzman", "dea-o-chapitos",
                                                  "semar-p-guzman"}
    assert {(e["source"], e["target"], e["label"]) for e in drawn["edges"]} == {
        ("dea-o-chapitos", "dea-p-guzman", "membership"),
        ("dea-p-guzman", "semar-p-guzman", "family")}
    # every node drawn is a row of the nodes table (the page reads without the canvas)
    table = re.search(r'<table class="nodes">(.*?)</table>', vetted, re.S)
    assert table and all(f'href="/web/record/{n["id"]}"' in table.group(1)
                         for n in drawn["nodes"])


def test_the_links_read_in_the_readers_language(site: Site) -> None:
    spanish = Browser(site.app, "es-MX")
    try:
        spanish.sign_in(VETTED)
        page = spanish.get("/web/network/dea-p-guzman").text
        seizures = " ".join(spanish.get("/web/seizures?drug=methamphetamine&origins=mx")
                            .text.split())
    finally:
        spanish.close()
    assert "Evaluamos con confianza baja que" in seizures  # the key judgments, in Spanish
    assert "We assess" not in seizures and "confidence" not in seizures
    assert "pertenencia" in LINKS.search(page).group(1)  # type: ignore[union-attr]
    drawn = json.loads(unescape(GRAPH.search(page).group(1)))  # type: ignore[union-attr]
    assert {e["label"] for e in drawn["edges"]} == {"pertenencia", "familia"}


def test_the_figures_are_the_network_cores(people: dict[str, Browser], site: Site) -> None:
    subject = site.store.subject(VETTED)
    done = Analysis.of(site.store.network(subject, datetime.now(UTC)))
    page = people[VETTED].get("/web/network/semar-p-guzman").text
    players = re.search(r'<table class="players">(.*?)</table>', page, re.S)
    assert players is not None
    names = re.findall(r'<a href="/web/network/([^"]+)">', players.group(1))
    assert names == [p["id"] for p in done.key_players("betweenness", 10)]
    assert names[0] == "dea-p-guzman"  # the one between the other two


def test_a_path_between_two_chosen_records(people: dict[str, Browser]) -> None:
    url = "/web/network/semar-p-guzman?to=dea-o-chapitos"
    found = people[VETTED].get(url).text
    hops = re.search(r'<ol class="hops">(.*?)</ol>', found, re.S)
    assert hops is not None and hops.group(1).count("<li>") == 2
    assert "membership" in hops.group(1) and "dea-m-chapitos" in hops.group(1)
    drawn = json.loads(unescape(GRAPH.search(found).group(1)))  # type: ignore[union-attr]
    assert {n["id"] for n in drawn["nodes"] if n["path"]} == {
        "semar-p-guzman", "dea-p-guzman", "dea-o-chapitos"}
    assert "not connected in the network you may see" in people[UNVETTED].get(url).text
    missing = people[VETTED].get("/web/network/semar-p-guzman?to=never-made").text
    assert "No such record in the network you may see." in missing
    alone = people[VETTED].get("/web/network/semar-f-guzman?from=dea-p-guzman&to=dea-p-guzman")
    assert alone.status_code == 200 and '<ol class="hops">' in alone.text


def test_a_hidden_record_has_no_network_like_a_missing_one(people: dict[str, Browser]) -> None:
    hidden = people[FGR].get("/web/network/dea-p-guzman")
    missing = people[FGR].get("/web/network/never-made")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text.replace("never-made", "dea-p-guzman")


def test_the_network_page_is_audited_like_the_network_commands(
        people: dict[str, Browser], site: Site) -> None:
    before = len(_entries(site))
    people[VETTED].get("/web/network/dea-o-chapitos")
    events = _entries(site)[before:]
    assert any(e.get("kind") == "aggregate.read" and e["path"] == "network" for e in events)
    assert any(e.get("kind") == "record.read" and e["entity_id"] == "dea-o-chapitos"
               and e["path"] == "web" for e in events)


def test_the_seizures_page_is_the_viewers_assessment(people: dict[str, Browser],
                                                      site: Site) -> None:
    now = datetime.now(UTC)
    data = assessment_input(site.store, site.store.subject(UNVETTED), now)
    expected = build_assessment(data, AssessmentParams(drug="methamphetamine", origins=("mx",)))
    page = people[UNVETTED].get("/web/seizures?drug=methamphetamine&origins=mx").text
    assert expected.records.events == 1 and expected.records.kg == 800.0
    assert "methamphetamine: 1 seizure events, 800 kg" in page
    assert expected.banner in page and expected.digest in page
    assert re.search(r'<img class="chart" alt="[^"]+" src="data:image/svg\+xml;base64,', page)
    assert 'href="/web/seizures/pdf?drug=methamphetamine&amp;period=&amp;origins=mx' in page


def test_the_pdf_is_the_report_and_is_audited(people: dict[str, Browser], site: Site) -> None:
    before = len(_entries(site))
    answer = people[VETTED].get("/web/seizures/pdf?drug=fentanyl&period=2025")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert answer.headers["content-type"] == "application/pdf"
    reads = [e for e in _entries(site)[before:] if e.get("kind") == "record.read"]
    assert {(e["entity_id"], e["path"]) for e in reads} >= {("semar-s-1", "report"),
                                                           ("semar-s-2", "report")}


@pytest.mark.parametrize("url", [
    "/web/seizures?drug=aspirin", "/web/seizures?period=yesterday",
    "/web/seizures?period=2999", "/web/seizures?origins=mexico",
    "/web/seizures?weight=heavy", "/web/seizures?years=lunar",
    "/web/seizures/pdf?drug=aspirin", "/web/network/dea-p-guzman?depth=9",
    "/web/network/dea-p-guzman?to=a%20b", "/web/network/%00"])
def test_bad_filters_get_a_page_not_a_crash(people: dict[str, Browser], url: str) -> None:
    answer = people[VETTED].get(url)
    assert 400 <= answer.status_code < 500, url
    assert "text/html" in answer.headers["content-type"]


def test_the_pages_are_linked_and_sent_under_the_strict_policy(
        people: dict[str, Browser]) -> None:
    person = people[VETTED]
    assert 'href="/web/network/dea-p-guzman"' in person.get("/web/record/dea-p-guzman").text
    for url in ("/web/network/dea-p-guzman", "/web/seizures"):
        answer = person.get(url)
        assert 'href="/web/seizures"' in answer.text  # the navigation
        assert "unsafe-inline" not in answer.headers["content-security-policy"]
        assert "<script>" not in answer.text and " style=" not in answer.text
        for src in re.findall(r'<script src="([^"]+)"', answer.text):
            assert person.get(src).status_code == 200, src
