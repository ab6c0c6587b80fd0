"""The web application as the viewer's analyst reaches it: signed in with their API token,
every page read — search (with facets, filters and pages), record pages of every id the
viewer knows and every id a secret may create, the record's tabs (who may see it,
correlations, history), sharing (and its forms, on an id a secret may create), audit
(with the inclusion proof of an entry it shows whole, on the page and as JSON, and of an
entry it does not), the administration page and its forms (refused: the viewer is no
administrator) — and the language switch.

A page is compared as its status, redirect target, content type and HTML, with only
what is random per world taken out: the session's CSRF token (``secrets``), and, on the
audit pages, the log's indexes, sizes, roots, paths of hashes and checkpoints, public by
design (docs/policy.md: the log's size), as the audit family takes them out. A PDF is
compared by its SHA-256.

The pages that show another family's figures run in that family, against its secrets:
the Network page in ``paths_network.py``, the Seizures page and its PDF in
``paths_reports.py`` (:func:`web_visits`, on the API application of their runs).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Iterable

import httpx
from fastapi import FastAPI

from adversary import public
from adversary.cast import ASKED_IDS, NEVER, TRI
from adversary.coverage import WEB, operation
from adversary.paths import CURSOR_KEY
from adversary.paths_api import FILTERED
from adversary.transcript import Transcript
from adversary.worlds import Place
from tearline.api.app import create_app
from tearline.api.settings import ApiSettings
from tearline.keys import load_node_key
from tearline.store import audit_checkpoints
from tearline.store.store import Store
from tearline.web.settings import WebSettings
from tearline.web.site import install

#: Searches: names in visible data and in hidden data alike (of ``cast.TEXTS``).
WORDS = ("guzman", "el raton", "prueba", "GULO900329", "zambada ortiz")
#: The record tabs, each asked of a few ids (the model behind correlations is costly):
#: visible records of the originator's agency (one with a portion) and of another
#: agency, records only a secret creates, and one never created. Correlations are asked
#: of the visible people a hidden one could resolve with or screen against.
TABS = {
    "audience": ("dea-p-guzman", "dea-p-courier", "mx-p-ovidio", "x-hidden", NEVER),
    "correlations": ("dea-p-guzman", "mx-p-ovidio"),
    "history": ("dea-p-guzman", "fgr-p-damaso", "x-person"),
}
#: The administration forms, each refused to the viewer (not an administrator).
ADMIN_FORMS = (
    ("/web/admin/parties", {"kind": "unit", "id": "mx.fgr.x", "name": "X", "of": "mx.fgr"}),
    ("/web/admin/agreements", {"id": "a-1", "title": "A", "agreement_kind": "mlat",
                               "parties": "us.dea,mx.fgr"}),
    ("/web/admin/vettings", {"unit": "mx.semar.pn", "by": "us.dea", "valid_until": "2027-01-01"}),
    ("/web/admin/vettings/revoke", {"unit": "mx.semar.uie", "by": "us.dea"}),
    ("/web/admin/tokens", {"owner": "mx.semar.pn", "label": "x", "scope_admin": "1"}),
    ("/web/admin/tokens/abcdefgh/revoke", {}),
    ("/web/admin/peers/mx.semar.uie/remove", {}),
)
_CSRF = re.compile(r'(name="csrf" value=")[^"]*(")')
_INDEX = re.compile(r'<td class="index">\d+</td>')
_AFTER = re.compile(r"/web/audit\?after=\d+")
_NOTE = re.compile(r'<pre class="note-text[^"]*">.*?</pre>', re.S)
_PROOF = re.compile(r"/web/audit/proof/\d+")
_NUMBER = re.compile(r'<dd class="n">\d+</dd>')
_ROOT = re.compile(r'<code class="root">[0-9a-f]*</code>')
_HASHES = re.compile(r'<ol class="hashes">.*?</ol>', re.S)
_FILE = re.compile(r"inclusion-\d+-\d+\.json")
_MISSING = re.compile(r"no audit entry \d+ visible to you in the log of size \d+")
#: The forms' target: an id a secret creates (never created in the other world).
FORMED = "x-person"


def _public_audit(body: str) -> str:
    """An audit page with what is public by design (indexes, sizes, roots, hashes of the
    tree, checkpoints) taken out; the entries themselves stay."""
    for pattern, holder in ((_INDEX, "<index>"), (_AFTER, "<after>"), (_NOTE, "<note>"),
                            (_PROOF, "<proof>"), (_NUMBER, "<n>"), (_ROOT, "<root>"),
                            (_HASHES, "<hashes>"), (_FILE, "<file>"),
                            (_MISSING, "<missing>")):
        body = pattern.sub(holder, body)
    return body


class Pages:
    """The viewer's browser on the world's site over ASGI, recording each page."""

    def __init__(self, place: Place, viewer: str, out: Transcript,
                 app: FastAPI | None = None) -> None:
        self.store: Store | None = None
        self.place = place
        if app is None:
            self.store = Store.open(place.url)
            app = create_app(self.store, ApiSettings.from_env(
                {}, request_timeout_seconds=300.0, cursor_key=CURSOR_KEY))
            with_web(app)
        self.out, self.token = out, place.tokens()[viewer]
        self.runner = asyncio.Runner()
        transport = httpx.ASGITransport(app=app, client=("127.0.0.9", 4242))
        self.client = httpx.AsyncClient(transport=transport, base_url="http://tearline")
        self.csrf = ""

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.close()
        if self.store is not None:
            self.store.close()

    def publish(self) -> None:
        """The operator signs a checkpoint of the log as it is now (not the viewer's doing)."""
        key = load_node_key(self.place.keys)
        assert self.store is not None, "the pages run on their own store"
        with self.store.transaction() as conn:
            audit_checkpoints.sign(conn, key.name, key.private_key)

    def __call__(self, method: str, url: str, data: dict[str, str] | None = None) -> str:
        self.out.begin()
        if data is not None:
            data = {"csrf": self.csrf, **data}
        answer = self.runner.run(self.client.request(method, url, data=data))
        found = _CSRF.search(answer.text)
        if found:
            self.csrf = answer.text[found.end(1):found.start(2)]
        self.out.asked.add(operation(method, url, WEB))
        body = _CSRF.sub(r"\1<csrf>\2", answer.text)
        if answer.headers.get("content-type") == "application/pdf":  # compared by its hash
            body = hashlib.sha256(answer.content).hexdigest()
        label = f"{method} {url}"
        if url.startswith("/web/audit/proof/") and answer.status_code == 200 and \
                url.endswith("/json"):
            body = json.dumps(public.inclusion_proof(answer.json()), sort_keys=True)
        if url.startswith("/web/audit"):
            body = _public_audit(body)
            label = _PROOF.sub("/web/audit/proof/<index>", label)
        self.out.add(label, f"{answer.status_code}\n"
                     f"{answer.headers.get('location')}\n"
                     f"{answer.headers.get('content-type')}\n"
                     f"{_FILE.sub('<file>', str(answer.headers.get('content-disposition')))}"
                     f"\n{body}")
        return answer.text


def run_web(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    pages = Pages(place, viewer, out)
    try:
        web_steps(pages)
    finally:
        pages.close()
    return out


def web_steps(page: Pages) -> None:
    page("GET", "/web/search")  # no session yet: to the sign-in page
    page("GET", "/web/signin")
    page("POST", "/web/signin", {"token": page.token, "next": "/web/search"})
    page("GET", "/")
    page("GET", "/web/")
    page("GET", "/web/search")
    for text in WORDS:
        page("GET", f"/web/search?q={text}")
    for query in FILTERED:
        if query.split("=")[0] in ("drug", "country", "date_from", "originator"):
            page("GET", f"/web/search?{query}")
    page("GET", "/web/search?q=guzman&country=mx&schema=Person")
    page("GET", "/web/search?schema=Seizure&drug=fentanyl")
    for entity in ASKED_IDS:
        page("GET", f"/web/record/{entity}")
    for tab, ids in TABS.items():
        for entity in ids:
            page("GET", f"/web/record/{entity}/{tab}")
    sharing_forms(page)
    page("GET", "/web/sharing")
    for url, data in ADMIN_FORMS:
        page("POST", url, data)
    page("GET", "/web/admin")
    audit_pages(page)
    page("POST", "/web/language", {"locale": "es_MX", "next": "/web/search"})
    page("GET", "/web/search?q=ovidio")
    page("POST", "/web/record/never-created/release", {"to": "agency:mx.fgr"})
    page("POST", "/web/record/never-created/recall", {"release": ""})
    page("POST", "/web/signout", {})
    page("GET", "/web/search")


def with_web(app: FastAPI) -> None:
    """The web application added to an API application, as ``tearline serve`` adds it
    (before its first request: middleware cannot be added later)."""
    install(app, app.state.authenticator, WebSettings.from_env({}))


def web_visits(place: Place, viewer: str, out: Transcript, app: FastAPI,
               urls: Iterable[str]) -> None:
    """The viewer signs in to the web application on ``app`` (an API application given
    :func:`with_web`) and opens ``urls`` (GET): how another family's runner adds the pages
    that show its figures (network, reports), on the application its API steps use."""
    pages = Pages(place, viewer, out, app)
    try:
        pages("GET", "/web/signin")
        pages("POST", "/web/signin", {"token": pages.token, "next": "/web/search"})
        signed = out.steps[-1][1].split("\n")[:2]
        assert signed == ["303", "/web/search"], f"the viewer could not sign in: {signed}"
        for url in urls:
            pages("GET", url)
    finally:
        pages.close()


def sharing_forms(page: Pages) -> None:
    """The desk's forms on an id a secret may create (the viewer signed in with a unit's
    token: two-person steps need an officer, and answer so in either world)."""
    page("POST", "/web/sharing/mark", {"entity": FORMED, "tlp": "AMBER+STRICT"})
    page("POST", "/web/sharing/release", {"entity": FORMED, "to": "agency:mx.semar",
                                          "basis": TRI})
    page("POST", "/web/sharing/consent", {"entity": FORMED, "to": "mx.semar"})
    page("POST", "/web/sharing/recall", {"entity": FORMED, "release": "rel-0"})
    page("POST", "/web/sharing/consent/withdraw", {"consent": "con-0123456789abcdef01234567"})
    page("POST", "/web/sharing/approve", {"request": "rr-0123456789abcdef"})
    page("POST", "/web/sharing/refuse", {"request": "rr-0123456789abcdef", "reason": "no"})
    for entity in (FORMED, "mx-p-ovidio"):
        page("POST", "/web/sharing/consent/request", {"entity": entity, "to": "agency:mx.fgr",
                                                      "reason": "prueba"})
    page("POST", "/web/sharing/consent/answer", {"request": "cr-0123456789abcdef01234567",
                                                 "answer": "grant"})


def audit_pages(page: Pages) -> None:
    """The audit page before and after a checkpoint is published; the proof of the last
    entry it shows whole (page and JSON), and of an index it does not show (another
    unit's entry, or none)."""
    page("GET", "/web/audit")
    page.publish()
    shown = [int(i) for i in re.findall(r'href="/web/audit/proof/(\d+)"',
                                        page("GET", "/web/audit"))]
    for index in shown[-1:]:
        page("GET", f"/web/audit/proof/{index}")
        page("GET", f"/web/audit/proof/{index}/json")
    unseen = min(set(range(max(shown, default=0) + 2)) - set(shown))
    page("GET", f"/web/audit/proof/{unseen}")
    page("GET", f"/web/audit/proof/{unseen}/json")
