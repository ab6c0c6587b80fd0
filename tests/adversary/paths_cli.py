"""The command line as the viewer uses it: reading, explaining, writing, ingesting.

Every id the viewer knows and every id a secret may create is shown; every search text
of visible and hidden names is searched; listings, counts and the exports (JSON lines,
standard STIX, a MISP feed) are read; the
viewer's writes (markings, releases, consents, recalls) are tried on records it sees and
on ids it does not; then it ingests files naming ids a secret may hold, and looks again.
``policy explain`` is the administrators' view of the whole record (docs/policy.md);
what it says about the statements the viewer sees is compared.
"""

from __future__ import annotations

import json

from adversary.cast import ANALYST, ASKED_IDS, EXISTS, OFAC_IDS, POOL, TEXTS, TRILATERAL
from adversary.paths import DATA, Cli, written, written_folder
from adversary.transcript import Transcript
from adversary.worlds import Place
from tearline.demo import scenario as sc

#: Per viewer: (a record of its own agency, a property of it, a sibling to release to).
OWN = {sc.SAN_DIEGO: ("dea-s-1", "grossWeight", "unit:us.dea.hofd", sc.MX_SEMAR),
       sc.NAVAL_POLICE: ("mx-p-ovidio", "name", "unit:mx.semar.uie", sc.MX_FGR),
       sc.FEMDO: ("fgr-p-damaso", "name", "agency:mx.fgr", sc.MX_SEMAR)}


def explained(text: str) -> str:
    """``policy explain -f json`` restricted to the rows about what the viewer sees (the
    record's own row without its reasons, which count every statement, seen or not)."""
    head, _, rest = text.partition("--- stdout\n")
    body, _, tail = rest.partition("--- stderr\n")
    try:
        rows = json.loads(body)
    except ValueError:
        return text
    seen = [({k: v for k, v in r.items() if k != "why"} if r.get("property") == "(record)"
             else r) for r in rows if r.get("visible") == "yes"]
    return f"{head}--- stdout\n{json.dumps(seen, ensure_ascii=False, indent=1)}\n"


def run_cli(place: Place, viewer: str) -> Transcript:
    out = Transcript()
    cli = Cli(place, out.asked)
    try:
        _steps(cli, out, place, viewer)
    finally:
        cli.close()
    return out


def _steps(cli: Cli, out: Transcript, place: Place, viewer: str) -> None:
    who = ["--as", ANALYST[viewer]]

    def step(*args: str) -> str:
        return out.step(" ".join(args[:6]), lambda: cli.invoke(*args, *who))

    for entity in (i for i in ASKED_IDS if i not in OFAC_IDS):  # those: after the import
        step("show", entity)
    for text in TEXTS:
        step("search", text, "-f", "json")
    step("search", "ovidio", "--limit", "1", "-f", "json")
    step("search", "guzman", "--schema", "Person", "-f", "json")
    step("list", "-f", "json")
    step("list", "--limit", "2", "-f", "json")
    step("list", "--after", "dea-p-caro", "--limit", "3", "-f", "json")
    step("list", "--schema", "Seizure", "-f", "json")
    step("stats", "-f", "json")
    exported = place.scratch / "export.jsonl"  # the same path in both worlds
    out.step("export", lambda: written(exported, lambda: cli.invoke(
        "export", "--out", str(exported), *who)))
    bundle = place.scratch / "export.stix.json"  # standard STIX: portions as objects
    out.step("export --format stix", lambda: written(bundle, lambda: cli.invoke(
        "export", "--format", "stix", "--out", str(bundle), *who)))
    feed = place.scratch / "misp-feed"  # a MISP feed: event files and manifest.json
    out.step("export --format misp", lambda: written_folder(feed, lambda: cli.invoke(
        "export", "--format", "misp", "--out", str(feed), *who)))
    for entity in EXISTS[viewer]:
        out.step(f"policy explain {entity}", lambda e=entity: explained(
            cli.invoke("policy", "explain", e, "-f", "json", *who)))
    own, prop, sibling, partner = OWN[viewer]
    for entity in ("x-person", "dea-p-red"):
        step("mark", entity, "--tlp", "AMBER+STRICT")
        step("release", entity, "--to", sibling)
        step("consent", "give", entity, "--to", partner)
        step("recall", entity)
    # two-person approval: a request is checked as the release (hidden answers as
    # missing), the agency's requests are listed, an unknown request is not found
    for entity in ("x-person", "dea-p-red", own):
        step("approval", "request", entity, "--to", "agency:us.dea", "--basis", TRILATERAL.id)
    step("approval", "list", "-f", "json")
    step("approval", "approve", "rr-0123456789abcdef")
    step("approval", "refuse", "rr-0123456789abcdef", "--reason", "no")
    # consent requests: asked about what it sees (hidden answers as missing; its own
    # agency's or a record with nothing ORCON of another: nothing to ask), listed, an
    # unknown request answered
    for entity in ("x-person", "dea-p-red", "mx-p-ovidio", "dea-s-2", "fgr-p-damaso", own):
        step("consent", "request", entity, "--to", f"agency:{partner}", "--reason", "prueba")
    step("consent", "requests", "-f", "json")
    step("consent", "answer", "cr-0123456789abcdef01234567", "--grant")
    step("consent", "answer", "cr-0123456789abcdef01234567", "--refuse", "--reason", "no")
    step("mark", "dea-p-guzman", "--property", "birthDate", "--tlp", "AMBER+STRICT")
    step("release", "dea-p-guzman", "--to", sibling)
    step("consent", "give", own, "--to", partner)
    step("mark", own, "--property", prop, "--tlp", "AMBER+STRICT")
    step("recall", own)
    # one file per record: a file is stored whole or refused whole, and what is asked
    # here is the id, not whether a value passes ingest's checks
    step("ingest", str(DATA / "ingest_person.jsonl"))
    step("ingest", str(DATA / "ingest_seizure.jsonl"))
    step("import-ofac", str(DATA / "sdn.csv"))
    for entity in (*POOL[:2], *OFAC_IDS):
        step("show", entity)
    step("search", "prueba", "-f", "json")
    step("list", "-f", "json")
    step("stats", "-f", "json")
