"""The record's tabs over ASGI: who may see it (its originating agency only, value by
value, the values it originated), correlations (resolution candidates and sanctions hits
among what the viewer may see), and history (the record's changes the viewer may read).

The world is the web world plus ``data/correlations.json``: a designation everyone may
see that names the DEA's Person, a designation only the DEA's SOD may see, and a SEMAR
Person that is the same man as the DEA's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from webworld import Browser, Site, build_site, records_of

from store_template import copy_to

pytestmark = pytest.mark.slow  # handed out first in a parallel run (tests/conftest.py)

VETTED, UNVETTED, DEA = "ana@mx.semar.uie", "luis@mx.semar.log", "bob@us.dea.sod"
FGR = "eva@mx.fgr.seido"
DATA = Path(__file__).parent / "data" / "correlations.json"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, store_template: Path) -> Iterator[Site]:
    # a copy of the migrated template: the site is tested, not the migrations
    made = build_site(copy_to(store_template,
                              f"sqlite:///{tmp_path_factory.mktemp('webpanels') / 'db.sqlite'}"))
    made.store.write(records_of(json.loads(DATA.read_text(encoding="utf-8"))["records"]))
    yield made
    made.store.close()


@pytest.fixture(scope="module")
def people(site: Site) -> Iterator[dict[str, Browser]]:
    made = {name: Browser(site.app) for name in (VETTED, UNVETTED, DEA, FGR)}
    for name, person in made.items():
        person.sign_in(name)
    yield made
    for person in made.values():
        person.close()


def rows(html: str, caption: str) -> dict[str, tuple[str, str]]:
    """unit → (sees it, why) of the audience table whose caption starts with ``caption``."""
    table = html.split(f"<caption>{caption}", 1)[1].split("</table>", 1)[0]
    return {unit: (sees, why) for unit, sees, why in re.findall(
        r'<th scope="row"><code>([^<]+)</code></th><td>([^<]+)</td><td>([^<]*)</td>', table)}


def test_the_originator_sees_who_may_see_each_value(people: dict[str, Browser]) -> None:
    page = people[DEA].get("/web/record/dea-p-guzman/audience")
    assert page.status_code == 200
    alias = rows(page.text, "alias: El Raton")
    assert alias["mx.semar.uie"][0] == "yes" and "vetted by us.dea" in alias["mx.semar.uie"][1]
    assert alias["mx.semar.log"][0] == "no"
    assert alias["us.dea.sod"][0] == "yes"
    ident = rows(page.text, "idNumber: GULO900329HSLZPV05")
    assert ident["mx.semar.log"][0] == "yes" and ident["mx.fgr.seido"][0] == "no"
    assert 'href="/web/record/dea-p-guzman/audience"' in people[DEA].get(
        "/web/record/dea-p-guzman").text


def test_no_one_else_learns_the_audience(people: dict[str, Browser]) -> None:
    for name in (VETTED, UNVETTED):
        refused = people[name].get("/web/record/dea-p-guzman/audience")
        assert refused.status_code == 403 and "El Raton" not in refused.text
        assert "/audience" not in people[name].get("/web/record/dea-p-guzman").text
    # the SEMAR originator's own record: its tab, its values only
    own = people[VETTED].get("/web/record/semar-p-ovidio/audience")
    assert own.status_code == 200 and "name: Ovidio Guzmán López" in own.text


def test_a_hidden_record_has_no_tabs(people: dict[str, Browser]) -> None:
    person = people[FGR]
    for tab in ("audience", "correlations", "history"):
        missing = person.get(f"/web/record/never-made/{tab}")
        hidden = person.get(f"/web/record/dea-p-guzman/{tab}")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.text == missing.text.replace("never-made", "dea-p-guzman")


def test_correlations_are_what_the_viewer_may_see(people: dict[str, Browser]) -> None:
    dea = people[DEA].get("/web/record/dea-p-guzman/correlations").text
    assert 'href="/web/record/semar-p-ovidio"' in dea  # the same man, SEMAR's record
    assert "ofac-7001" in dea and "ILLICIT-DRUGS-EO14059" in dea
    listed = people[DEA].get("/web/record/semar-p-guzman/correlations").text
    assert "ofac-7002" in listed and "SDNTK" in listed
    unlisted = people[UNVETTED].get("/web/record/semar-p-guzman/correlations").text
    assert "ofac-7002" not in unlisted and "SDNTK" not in unlisted
    assert "No sanctions hit among what you may see." in unlisted
    # a designation lists the parties the viewer may see that it names
    assert "dea-p-guzman" in people[UNVETTED].get("/web/record/ofac-7001/correlations").text


def test_history_is_the_records_changes(people: dict[str, Browser]) -> None:
    dea = people[DEA]
    dea.get("/web/record/dea-o-chapitos")
    dea.post("/web/record/dea-o-chapitos/release", {"to": "agency:mx.fgr",
                                                    "basis": "fgr-us-2025"})
    text = dea.get("/web/record/dea-o-chapitos/history").text
    kinds = re.findall(r"<td><code>([a-z.]+)</code></td>", text)
    assert kinds == ["record.created", "release.created"]
    other = people[VETTED].get("/web/record/dea-o-chapitos/history").text
    assert "release.created" not in other  # another agency's release is not theirs
