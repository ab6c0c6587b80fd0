"""Blind deconfliction as a viewer reaches it: the command line (`deconflict check`,
`register`, `events`, `withdraw`) and, as a peer node, the index feed and the
evaluation endpoint of our node's listener.

The viewer checks the phone SOD registered (a hit, by design: pointers are what
deconfliction gives) and one nobody registered, registers one of its own, lists its
events, withdraws, and lists again. As a peer it pulls the index page by page and has
a fixed element evaluated. Nothing else any unit does may change what it gets.
"""

from __future__ import annotations

import json
import re
from typing import Any

from adversary import public
from adversary.cast import ANALYST
from adversary.deconflict_acts import ASKED
from adversary.paths import Api, Cli
from adversary.paths_api import Asking
from adversary.paths_taxii import ROOT, Peer
from adversary.transcript import Transcript
from adversary.worlds import Place
from tearline.deconflict import oprf
from tearline.federation.signing import b64url
from tearline.store.store import Store

#: A blinded element with a fixed blind: its evaluation is the same in every world.
ELEMENT = oprf.blind(b"adversary element", (7).to_bytes(32, "little")).element
_REGISTRATION = re.compile(r"dr-[0-9a-f]{32}")


def run_deconflict_peer(place: Place, viewer: str) -> Transcript:
    """The viewer is a peer node (its unit's node pulling from ours)."""
    out = Transcript()
    store = Store.open(place.url)
    peer = Peer(place, store, viewer, out)
    try:
        _as_peer(peer, viewer)
    finally:
        peer.close()
        store.close()
    return out


def run_deconflict(place: Place, viewer: str) -> Transcript:
    """The viewer is a unit on our node: at the command line, then over the API."""
    out = Transcript()
    cli = Cli(place, out.asked)
    try:
        _on_the_command_line(cli, out, viewer)
    finally:
        cli.close()
    store = Store.open(place.url)
    api = Api(store, place.tokens()[viewer])
    api.app.state.deconflict_keys = place.keys
    try:
        _over_the_api(Asking(api, out, viewer))
    finally:
        api.close()
        store.close()
    return out


def _over_the_api(ask: Asking) -> None:
    phones = [{"kind": "phone", "value": p} for p in ASKED]
    ask("POST", "/deconflict/checks", {"selectors": phones})
    ask("POST", "/deconflict/checks", {"selectors": [{"kind": "phone", "value": "x"}]})
    made = ask("POST", "/deconflict/registrations", {
        "selectors": [{"kind": "phone", "value": "+52 667 700 0008"}], "contact": "desk"})
    ask("GET", "/deconflict/events")
    mine = made.get("registered", []) if isinstance(made, dict) else []
    ask("DELETE", f"/deconflict/registrations/{mine[0] if mine else 'dr-' + '0' * 32}")
    ask("DELETE", "/deconflict/registrations/dr-" + "0" * 32)
    ask("GET", "/deconflict/events")


def _on_the_command_line(cli: Cli, out: Transcript, viewer: str) -> None:
    who = ["--as", ANALYST[viewer]]

    def step(*args: str) -> str:
        return out.step(" ".join(args[:5]), lambda: cli.invoke(*args, *who))

    step("deconflict", "check", "--kind", "phone", *ASKED, "-f", "json")
    step("deconflict", "check", "--kind", "phone", "not a phone")
    said = step("deconflict", "register", "--kind", "phone", "+52 667 700 0009",
                "--contact", f"desk of {viewer}", "-f", "json")
    step("deconflict", "events", "-f", "json")
    mine = _REGISTRATION.findall(said)
    step("deconflict", "withdraw", mine[0] if mine else "dr-" + "0" * 32)
    step("deconflict", "withdraw", "dr-" + "0" * 32)
    step("deconflict", "events", "-f", "json")


def _as_peer(peer: Peer, viewer: str) -> None:
    def opened(data: Any) -> Any:
        return public.sealed(data, "next", lambda c: peer.cursors.open(
            c, peer.name, "deconflict-index", {}))

    data = peer("GET", ROOT + "tearline/deconflict/index/", shown=opened)
    for n in range(5):
        if not (isinstance(data, dict) and data.get("next")):
            break
        data = peer("GET", ROOT + f"tearline/deconflict/index/?next={data['next']}",
                    label=f"index page {n + 2}", shown=opened)
    body = json.dumps({"elements": [b64url(ELEMENT)]}).encode()
    peer("POST", ROOT + "tearline/deconflict/evaluate/", body, label="evaluate")
    peer("POST", ROOT + "tearline/deconflict/evaluate/", b'{"elements": ["AAAA"]}',
         label="evaluate a bad element")
