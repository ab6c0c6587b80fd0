"""Link analysis and sanctions screening as the viewer gets them: ``tearline network
players | communities | brokers | heads | path | export`` and ``tearline screen`` (the
store, and a partner's file), ``GET /network``, ``/network/path``, ``/network/export``,
``GET`` and ``POST /screening``, and the web's Network page around every id a secret may
create and a few the viewer knows, with its paths. Measures, communities, paths with
their evidence, exports, scores and evidence must not depend on a record, a portion or a
link the viewer may not see — nor may a merge of two records into one node (the
judgements it may see, about records it sees: its own judgement below merges two of
them).

The viewer first imports four real SDN entries (``data/sdn_network.csv``: Rafael Caro
Quintero, Joaquín Guzmán Loera, Ovidio Guzmán López and an entry linked to the first),
so that the base world's people hit designations whose birth dates are the ones hidden
portions of the worlds hold.
"""

from __future__ import annotations

from adversary.cast import ANALYST, NEVER, POOL
from adversary.paths import DATA, Api, Cli, written, written_folder
from adversary.paths_api import Asking
from adversary.paths_web import web_visits, with_web
from adversary.transcript import Transcript
from adversary.worlds import Place

PATHS = (("dea-p-caro", "dea-p-guzman"), ("dea-p-guzman", "dea-o-sinaloa"),
         ("dea-p-caro", "x-person"), ("dea-p-courier", "mx-p-ovidio"),
         ("never-created", "dea-p-caro"))
#: Network pages opened: every id a secret may create, a relationship record, a seizure
#: and a partner's person of the base world, and the paths' people (each page analyses
#: the whole view: a page per id the viewer knows would only repeat that work).
AROUND = (*POOL, NEVER, "dea-l-caro", "dea-s-2", "mx-p-ovidio")
PARTNER = {"entities": [
    {"id": "q-1", "schema": "Person", "properties": {"name": ["Rafael Caro Quintero"],
                                                     "birthDate": ["1952-10-03"]}},
    {"id": "q-2", "schema": "Person", "properties": {"name": ["Ovidio Guzman Lopez"]}},
    {"id": "q-3", "schema": "Organization", "properties": {"name": ["Cártel de Sinaloa"]}}]}


def run_network(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    cli = Cli(place, out.asked)
    api = Api(cli.store, place.tokens()[viewer])
    with_web(api.app)
    who = ("--as", ANALYST[viewer])
    try:
        def step(*args: str) -> None:
            out.step(" ".join(args), lambda: cli.invoke(*args, *who))

        step("import-ofac", str(DATA / "sdn_network.csv"))
        # the viewer's own judgement: the network merges the two records into one node
        step("resolve", "judge", "dea-p-courier", "dea-p-caro", "match", "--reason",
             "one man in two files")
        step("network", "players", "-f", "json")
        step("network", "players", "--by", "eigenvector", "--top", "3", "-f", "json")
        step("network", "communities", "-f", "json")
        step("network", "brokers", "-f", "json")
        step("network", "heads", "-f", "json")
        for source, target in PATHS:
            step("network", "path", source, target, "-f", "json")
        for fmt in ("graphml", "gexf"):
            path = place.scratch / f"network.{fmt}"
            out.step(f"network export -f {fmt}", lambda f=fmt, p=path: written(
                p, lambda: cli.invoke("network", "export", "--out", str(p), "-f", f, *who)))
        folder = place.scratch / "network-i2"
        out.step("network export -f i2", lambda: written_folder(folder, lambda: cli.invoke(
            "network", "export", "--out", str(folder), "-f", "i2", *who)))
        step("screen", "-f", "json")
        step("screen", "--min-score", "0.5", "-f", "json")
        step("screen", str(DATA / "screen_partner.csv"), "-f", "json")
        ask = Asking(api, out, viewer)
        ask("GET", "/network")
        ask("GET", "/network?by=degree&top=2")
        for source, target in PATHS:
            ask("GET", f"/network/path?source={source}&target={target}")
        for fmt in ("graphml", "gexf", "i2-nodes", "i2-links"):
            ask("GET", f"/network/export?format={fmt}")
        ask("GET", "/screening")
        ask("GET", "/screening?min_score=0.5")
        ask("POST", "/screening", PARTNER)
        ask("POST", "/screening", {"entities": [{"id": "x", "schema": "Note",
                                                 "properties": {}}]})
        web_visits(place, viewer, out, api.app, (
            *(f"/web/network/{entity}" for entity in AROUND),
            *(f"/web/network/{source}?to={target}" for source, target in PATHS),
            "/web/network/dea-p-caro?depth=4"))
    finally:
        api.close()
        cli.close()
    return out
