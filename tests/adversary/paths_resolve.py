"""Entity resolution as a viewer reaches it: `resolve run`, `review`, `show` (a record it
sees, a record it may not see, one that never existed) and `judge`, then the same over
the API (`/resolve/pairs`, `/resolve/entities/{id}`, `POST /resolve/judgements`).

What the viewer gets is computed from the Person records it may see and the judgements
it may see about them; nothing any other unit holds or judges may change it.
"""

from __future__ import annotations

from adversary.cast import ANALYST, NEVER
from adversary.paths import Api, Cli
from adversary.paths_api import Asking
from adversary.transcript import Transcript
from adversary.worlds import Place
from tearline.store.store import Store


def run_resolve(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    cli = Cli(place, out.asked)
    who = ["--as", ANALYST[viewer]]

    def step(*args: str) -> str:
        return out.step(" ".join(args[:6]), lambda: cli.invoke(*args, *who))

    try:
        step("resolve", "run", "-f", "json")
        step("resolve", "review", "-f", "json")
        for entity in ("dea-p-caro", "x-person", NEVER):
            step("resolve", "show", entity, "-f", "json")
        step("resolve", "judge", "dea-p-caro", "x-person", "match", "--reason", "asked anyway")
        step("resolve", "judge", "dea-p-caro", "dea-p-guzman", "no-match", "--reason",
             "checked by the viewer")
        step("resolve", "run", "-f", "json")
    finally:
        cli.close()
    store = Store.open(place.url)
    api = Api(store, place.tokens()[viewer])
    try:
        _over_the_api(Asking(api, out, viewer))
    finally:
        api.close()
        store.close()
    return out


def _over_the_api(ask: Asking) -> None:
    ask("GET", "/resolve/pairs")
    for entity in ("dea-p-caro", "x-person", NEVER):
        ask("GET", f"/resolve/entities/{entity}")
    ask("POST", "/resolve/judgements", {"left": "dea-p-caro", "right": "x-person",
                                         "judgement": "match", "reason": "asked anyway"})
    ask("POST", "/resolve/judgements", {"left": "dea-p-caro", "right": "dea-p-guzman",
                                         "judgement": "unsure", "reason": "over the API"})
    ask("GET", "/resolve/pairs")
