"""The HTTP API as the viewer's analyst token reaches it (read and write scopes, no admin).

Every operation of the app's OpenAPI document that ``coverage.API`` gives this family is
asked (the audit and report operations are asked by their own families): reads of every
id the viewer knows and every id a secret may create, listings and searches followed page
by page, the viewer's own writes, the administrators' operations (refused for this
token), and malformed and unknown requests.
"""

from __future__ import annotations

from typing import Any

from adversary.cast import ASKED_IDS, EXISTS, OFAC_IDS, T_BASE, T_SECRET, TEXTS, TRILATERAL
from adversary.coverage import API, operation
from adversary.paths import Api
from adversary.paths_cli import OWN
from adversary.transcript import Transcript
from adversary.worlds import Place
from tearline.store.store import Store

PREFIX = "/api/v1"


class Asking:
    """The viewer's API client recording each answer in a transcript."""

    def __init__(self, api: Api, out: Transcript, unit: str) -> None:
        self.api, self.out, self.unit = api, out, unit

    def __call__(self, method: str, path: str, body: Any = None, label: str | None = None,
                 token: str | None = None) -> Any:
        self.out.begin()
        answer = self.api.raw(method, PREFIX + path, body, token)
        self.note(method, path)
        try:
            data = answer.json()
        except ValueError:
            data = answer.text
        shown = data
        if isinstance(data, dict) and data.get("next_cursor"):
            shown = {**data, "next_cursor": "<sealed "
                     + self.api.unseal(data["next_cursor"], self.unit, path) + ">"}
        self.out.add(label or f"{method} {path}", self.api.text(answer, shown))
        return data

    def note(self, method: str, path: str) -> None:
        self.out.asked.add(operation(method, PREFIX + path, API))

    def pages(self, path: str, label: str) -> None:
        """A listing, followed cursor by cursor (at most four pages)."""
        data = self("GET", path, label=label)
        for n in range(3):
            if not (isinstance(data, dict) and data.get("next_cursor")):
                return
            sep = "&" if "?" in path else "?"
            data = self("GET", f"{path}{sep}cursor={data['next_cursor']}",
                        label=f"{label} (page {n + 2})")


def run_api(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    store = Store.open(place.url)
    api = Api(store, place.tokens()[viewer])
    try:
        ask = Asking(api, out, viewer)
        api_steps(ask, viewer)
    finally:
        api.close()
        store.close()
    return out


def api_steps(ask: Asking, viewer: str) -> None:
    for path in ("/health", "/ready", "/whoami"):
        ask("GET", path)
    for entity in (i for i in ASKED_IDS if i not in OFAC_IDS):
        ask("GET", f"/entities/{entity}")
    for entity in (*EXISTS[viewer][:4], "x-person", "x-shared", "dea-p-red", "never-created"):
        ask("GET", f"/entities/{entity}/marking")
    ask.pages("/entities?limit=2", "list by two")
    for schema in ("Person", "Note"):
        ask("GET", f"/entities?schema={schema}")
    for text in TEXTS:
        ask("GET", f"/search?q={text}")
    ask.pages("/search?q=guzman&limit=1", "search by one")
    ask("GET", "/search?q=ovidio&schema=Person")
    for text in ("guzman", "caro quintero"):  # the facets: counted over what V sees
        ask("GET", f"/search?q={text}&facets=true")
    ask.pages("/search?q=guzman&limit=1&facets=true", "search by one, with facets")
    _filtered(ask)
    ask("GET", "/stats")
    _writes(ask, viewer)
    _refused(ask)
    ask("GET", "/stats")
    ask.pages("/entities?limit=5", "list by five, after the writes")


#: Filters of lists and searches, on values the viewer sees and values a secret may hide
#: (kinds.py: a hidden portion holding a drug, a country or a date; a hidden change).
FILTERED = ("drug=fentanyl", "drug=cocaine", "drug=heroin", "country=mx", "country=cn",
            "country=co", "date_from=2025-11-01&date_to=2025-11-30",
            "date_from=2024-01-01&date_to=2024-12-31", "date_to=1970-01-01",
            "originator=mx.semar", "tlp=GREEN", "tlp=RED", "tlp=AMBER_STRICT",
            f"modified_since={T_BASE:%Y-%m-%dT%H:%M:%SZ}",
            f"modified_since={T_SECRET:%Y-%m-%dT%H:%M:%SZ}")


def _filtered(ask: Asking) -> None:
    """Every filter on the listing, some on searches, and filtered pages followed."""
    for query in FILTERED:
        ask("GET", f"/entities?{query}")
    for text, query in (("guzman", "country=mx"), ("ovidio", "tlp=GREEN"),
                        ("guzman", f"modified_since={T_SECRET:%Y-%m-%dT%H:%M:%SZ}"),
                        ("caro quintero", "date_to=1960-12-31")):
        ask("GET", f"/search?q={text}&{query}")
    ask.pages("/entities?drug=fentanyl&limit=1", "fentanyl by one")
    ask.pages("/entities?originator=us.dea&date_from=2025-11-01&limit=2",
              "the DEA's since November by two")
    ask.pages("/search?q=guzman&originator=us.dea&limit=1", "the DEA's guzman by one")
    ask("GET", "/search?q=guzman&country=mx&facets=true")


def _writes(ask: Asking, viewer: str) -> None:
    own, prop, sibling, partner = OWN[viewer]
    mine = {"tlp": "AMBER+STRICT"}
    made = ask("POST", "/entities", {"schema": "Person", "marking": mine, "properties": {
        "name": ["Prueba Api"], "birthDate": ["1970-01-01"]}})
    new = made.get("id", "missing") if isinstance(made, dict) else "missing"
    for entity in ("x-person", "dea-p-red", new):
        ask("POST", f"/entities/{entity}/statements", {"properties": {"alias": ["Otro"]}},
            label=f"amend {entity}")
        ask("PUT", f"/entities/{entity}/portions/birthDate", {"tlp": "RED", "releasable_to":
            [f"unit:{viewer}"]}, label=f"portion {entity}")
        ask("POST", f"/entities/{entity}/releases", {"to": sibling}, label=f"release {entity}")
        ask("POST", f"/entities/{entity}/consents", {"to_agency": partner},
            label=f"consent {entity}")
        ask("DELETE", f"/entities/{entity}/releases", label=f"recall {entity}")
        ask("PUT", f"/entities/{entity}/marking", mine, label=f"mark {entity}")
    # the viewer's own statements on what it sees: a record of its agency, another's, a Note
    for entity in (own, "dea-p-guzman", "dea-n-assoc"):
        ask("POST", f"/entities/{entity}/statements", {"properties": {"notes": ["visto"]},
            "marking": mine}, label=f"amend {entity}")
    ask("PUT", "/entities/dea-p-guzman/portions/birthDate", mine, label="portion of hidden")
    ask("PUT", f"/entities/{own}/portions/{prop}", mine, label="portion of own")
    released = ask("POST", "/entities/dea-p-guzman/releases", {"to": sibling},
                   label="release shared")
    rel = released.get("id", "rel-0") if isinstance(released, dict) else "rel-0"
    ask("DELETE", f"/entities/dea-p-guzman/releases?release_id={rel}", label="recall own")
    given = ask("POST", f"/entities/{own}/consents", {"to_agency": partner},
                label="consent own")
    con = given.get("id", "con-0") if isinstance(given, dict) else "con-0"
    ask("DELETE", f"/consents/{con}", label="withdraw own")
    ask("DELETE", "/consents/con-0123456789abcdef01234567", label="withdraw none")
    # two-person approval: requested (checked as the release: hidden answers as missing),
    # listed, an unknown request approved and refused
    for entity in ("x-person", "dea-p-red", own):
        ask("POST", f"/entities/{entity}/release-requests",
            {"to": "agency:us.dea", "basis": TRILATERAL.id}, label=f"request {entity}")
    ask("GET", "/release-requests")
    ask("POST", "/release-requests/rr-0123456789abcdef/approval", label="approve none")
    ask("POST", "/release-requests/rr-0123456789abcdef/refusal", {"reason": "no"},
        label="refuse none")
    # consent requests: asked of what it sees (hidden answers as missing; nothing ORCON
    # of another agency: nothing to ask), listed, an unknown request answered
    for entity in ("x-person", "dea-p-red", "mx-p-ovidio", "dea-s-2", "fgr-p-damaso", own):
        ask("POST", f"/entities/{entity}/consent-requests",
            {"to": f"agency:{partner}", "reason": "prueba"}, label=f"ask consent {entity}")
    ask("GET", "/consent-requests")
    ask("POST", "/consent-requests/cr-0123456789abcdef01234567/answer", {"answer": "grant"},
        label="grant none")
    ask("POST", "/consent-requests/cr-0123456789abcdef01234567/answer",
        {"answer": "refuse", "reason": "no"}, label="refuse none")
    ask("DELETE", f"/entities/{new}", label="retract own")


def _refused(ask: Asking) -> None:
    """Operations this token may not use, and requests that are wrong: the same refusal."""
    for entity in ("dea-p-red", "x-person", "dea-p-caro", "never-created"):
        ask("GET", f"/policy/explain/{entity}")
    ask("GET", "/parties")
    ask("POST", "/parties/agencies", {"id": "zz.test", "name": "Z", "country": "mx"})
    ask("POST", "/parties/units", {"id": "zz.test.u", "agency": "zz.test", "name": "U"})
    ask("POST", "/parties/analysts", {"id": "z@zz.test.u", "unit": "zz.test.u", "name": "Z"})
    ask("POST", "/parties/agreements", {"id": "zz", "title": "Z", "kind": "other",
                                        "parties": ["us.dea"]})
    ask("POST", "/vettings", {"unit": "mx.semar.pn", "by": "us.dea",
                              "valid_until": "2030-01-01T00:00:00Z"})
    ask("POST", "/vettings/revocations", {"unit": "mx.semar.uie", "by": "us.dea"})
    ask("GET", "/tokens")
    ask("POST", "/tokens", {"owner": "mx.semar.pn", "scopes": ["admin"]})
    ask("DELETE", "/tokens/abcdefgh")
    ask("GET", "/trace/alerts")
    ask("GET", "/entities/bad%20id!")
    ask("GET", "/nowhere")
    ask("PATCH", "/entities/x-person")
    ask("GET", "/entities/x-person", token="tl_abcdefgh_wrong")
