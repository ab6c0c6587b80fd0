"""Entity resolution as a viewer reaches it: `resolve run`, `review`, `show` (a record it
sees, a record it may not see, one that never existed) and `judge`.

What the viewer gets is computed from the Person records it may see and the judgements
it may see about them; nothing any other unit holds or judges may change it.
"""

from __future__ import annotations

from adversary.cast import ANALYST, NEVER
from adversary.paths import Cli
from adversary.transcript import Transcript
from adversary.worlds import Place


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
    return out
