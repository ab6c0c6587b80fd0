"""``tearline demo``: a fresh workspace with three agencies, real OFAC entries, synthetic
field data under mixed markings, and a guided tour of what each unit may see."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tearline.cli.common import STATE, app, console
from tearline.cli.language import _
from tearline.cli.placing import write_all, write_placed
from tearline.cli.policy import side_by_side
from tearline.demo import scenario
from tearline.errors import InputError, NotFound, tr
from tearline.files import write_private
from tearline.keys import NodeKey, create_node_key
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.statement import Provenance
from tearline.policy.subject import Subject
from tearline.store import Store, audit_checkpoints, audit_verify, parties

#: The three units the tour compares: the U.S. agency's own unit, the Mexican navy
#: unit it has vetted, and the attorney-general unit it has not.
DEMO_MARKER = ".tearline-demo"
TOUR_UNITS = (scenario.SOD, scenario.UIE, scenario.FEMDO)


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the synthetic data.")] = 7,
    scale: Annotated[float, typer.Option(help="Fraction of CBP monthly totals.")] = 0.01,
    keep: Annotated[bool, typer.Option(help="Keep an existing workspace.")] = False,
    serve: Annotated[
        bool | None,
        typer.Option(help="Start the node's API at the end (default: when interactive)."),
    ] = None,
    federation: Annotated[bool, typer.Option(
        "--federation",
        help="Instead (with --seed): three nodes (us.dea.sod, mx.semar.uie, mx.fgr.femdo), "
        "each its own workspace under the demo folder (default demo-federation) and "
        "listener on loopback, share over mutual TLS, sync, and a recall is purged and "
        "acknowledged.",
    )] = False,
) -> None:
    """Build a demo workspace and tour it: the same intelligence, seen by three units."""
    if federation:
        _federation(seed)
        return
    if STATE.workspace is None and "TEARLINE_WORKSPACE" not in os.environ:
        STATE.workspace = Path("demo-workspace")
    settings = STATE.settings
    marker = settings.workspace / DEMO_MARKER
    if settings.workspace.exists() and any(settings.workspace.iterdir()) and not keep:
        if not marker.exists():
            raise InputError(
                tr(
                    "{workspace} exists and is not a demo workspace; choose another with "
                    "--workspace", workspace=settings.workspace)
            )
        shutil.rmtree(settings.workspace)
    from tearline.demo.load import demo_records, seed_parties  # Faker: only when run
    from tearline.ingest.ofac_import import read_sdn

    settings.make_workspace()
    write_private(marker, b"created by `tearline demo`; deleted and rebuilt by it\n")
    store = Store.open(settings.db_url)
    STATE._store = store
    now = datetime.now(UTC)
    console.rule(Text("tearline demo", style="bold"))
    console.print(_("workspace: {path}").format(path=settings.workspace) + "\n")
    key, _public = create_node_key(settings.keys_dir)
    seed_parties(store, now)
    _parties_table(store, now)

    ofac = settings.data_dir / "ofac" / "sdn_2024-05-03.csv"
    prov = Provenance(scenario.US_DEA, scenario.SOD, now, Reliability.A, Credibility.CONFIRMED)
    # As `tearline import-ofac --as us.dea.sod` would: the ids are that unit's.
    write_placed(
        store,
        store.subject(scenario.SOD),
        now,
        read_sdn(ofac, prov, Marking.build("CLEAR")),
        "OFAC SDN narcotics entries (public, TLP:CLEAR)",
        shown=2,
    )
    # The synthetic records of all three agencies are the operator's seed of a
    # workspace this command made: no party writes them (docs/ingest.md).
    records = list(demo_records(seed, settings.data_dir, scale, keyer=store.keyer))
    write_all(store, records, f"synthetic field data, seed {seed} (flagged SYNTHETIC)")
    _tour(store, now)
    _network(store, now)
    _assessments(store, now, settings.workspace, settings.data_dir)
    _audit(store, key)
    _api(store, serve)


def _federation(seed: int) -> None:
    from tearline.demo.federation import run
    from tearline.demo.federation_nodes import prepare_root

    if STATE.workspace is None and "TEARLINE_WORKSPACE" not in os.environ:
        STATE.workspace = Path("demo-federation")
    settings = STATE.settings
    prepare_root(settings.workspace)
    run(settings.workspace, settings.data_dir, console, seed)


def _parties_table(store: Store, now: datetime) -> None:
    with store.reading() as conn:
        table = Table(title=_("Parties"), show_lines=False)
        for col in ("unit", "agency", "vetted by us.dea now?"):
            table.add_column(col)
        vetted = {v.unit for v in parties.vettings(conn)
                  if v.by == scenario.US_DEA and v.active_at(now)}
        for unit in parties.units(conn):
            table.add_row(unit.id, unit.agency, "yes" if unit.id in vetted else "no")
    console.print(table)


def _tour(store: Store, now: datetime) -> None:
    subjects = [store.subject(u) for u in TOUR_UNITS]
    console.rule(_("What each unit may see"))
    counts = {s.unit: store.stats(s, now) for s in subjects}
    schemas = sorted({k for c in counts.values() for k in c})
    table = Table(title=_("Records visible to each unit (the policy runs inside every query)"))
    table.add_column("schema")
    for s in subjects:
        table.add_column(s.unit, justify="right")
    for schema in schemas:
        table.add_row(schema, *(f"{counts[s.unit].get(schema, 0):,}" for s in subjects))
    console.print(table)

    console.rule(_("Search: the same query, three answers"))
    for s in subjects:
        found = store.search(s, now, "beltran leyva", limit=5)
        names = ", ".join(r.caption() + (" [synthetic]" if r.synthetic else "") for r in found)
        names = names or "(nothing)"
        console.print(Text.assemble((s.unit, "bold"), ": ", names))

    sample = _shared_sample(store, subjects, now)
    if sample is None:
        console.rule(_("One record, three tear lines"))
        console.print(
            _("no synthetic Person that both {first} and {second} see has a portion marked "
              "apart: there is no record to compare side by side").format(
                  first=subjects[0].unit, second=subjects[1].unit),
            highlight=False,
        )
        return
    console.rule(_("One record, three tear lines: {id}").format(id=sample))
    console.print(side_by_side(store, sample, TOUR_UNITS, now))


def _network(store: Store, now: datetime) -> None:
    """Link analysis over OFAC's `Linked To` relationships and the synthetic field data,
    as each unit may see them."""
    from tearline.network.analysis import Analysis

    console.rule(_("Link analysis: OFAC's Linked To and the field's links, per unit"))
    for unit in TOUR_UNITS:
        done = Analysis.of(store.network(store.subject(unit), now))
        size = done.summary()
        heads = [r for r in done.player_rows() if r["tier"] == "head"][:3]
        console.print(Text.assemble(
            (unit, "bold"), f": {size['nodes']:,} people and organizations, "
            f"{size['links']:,} links, {size['communities']:,} communities; heads: ",
            ", ".join(f"{r['caption']} ({r['reason'].split(';')[0]})" for r in heads)
            or "(none)"))
    console.print(_("more: tearline network heads | brokers | path A B | export -f gexf "
                    "--as UNIT (docs/network.md)"), highlight=False)


def _assessments(store: Store, now: datetime, workspace: Path, data_dir: Path) -> None:
    from tearline.reports.build import write_assessments  # heavy: charts and PDF

    console.rule(_("Threat assessments, one per unit, from what each may see"))
    paths = write_assessments(store, TOUR_UNITS, workspace / "reports", now, data_dir)
    for path in paths:
        console.print(f"  {path}")


def _audit(store: Store, key: NodeKey) -> None:
    console.rule(_("Audit log: every read above is an entry"))
    with store.transaction() as conn:
        note = audit_checkpoints.sign(conn, key.name, key.private_key, None)
    with store.reading() as conn:
        done = audit_verify.verify(conn, key.private_key.public_key(), key.name)
    console.print(_("signed checkpoint:") + f"\n{note}", highlight=False, soft_wrap=True)
    console.print(_("verified {n:,} entries, root {root}").format(n=done.size,
                                                                  root=done.root.hex()),
                  highlight=False)


def _api(store: Store, serve: bool | None) -> None:
    from tearline.api.auth import Scope, issue_token
    from tearline.cli.serve import run_server

    console.rule(_("HTTP API"))
    port = 8700
    for unit in TOUR_UNITS:
        analyst = next(a.id for a in scenario.ANALYSTS if a.unit == unit)
        text, _row = issue_token(
            store, analyst, frozenset({Scope.read}), timedelta(days=7), "demo", created_by="demo"
        )
        console.print("# " + _("as {unit}").format(unit=unit), highlight=False)
        curl = (f"curl -s -H 'Authorization: Bearer {text}' "
                f"'http://127.0.0.1:{port}/api/v1/search?q=beltran+leyva'")
        console.print(curl, highlight=False, soft_wrap=True)
    _web_sign_ins(store, port)
    if serve is None:
        serve = sys.stdin.isatty() and sys.stdout.isatty()
    workspace = STATE.settings.workspace
    if not serve:
        console.print(
            _("start the node with: {command}").format(
                command=f"tearline -w {workspace} serve --port {port}"), highlight=False
        )
        _next()
        return
    console.print(_("serving on {url} (Ctrl-C to stop)").format(url=f"http://127.0.0.1:{port}"))
    run_server(store, "127.0.0.1", port)


def _web_sign_ins(store: Store, port: int) -> None:
    """A web password for one analyst of each tour unit, printed with the address."""
    import secrets

    from tearline.web.passwords import set_password

    console.rule(_("Web application"))
    console.print(_("open {url} and sign in as:").format(url=f"http://127.0.0.1:{port}/web/"),
                  highlight=False)
    for unit in TOUR_UNITS:
        analyst = next(a.id for a in scenario.ANALYSTS if a.unit == unit)
        password = secrets.token_urlsafe(12)
        set_password(store, analyst, password, frozenset({"read", "write"}),
                     datetime.now(UTC), "demo")
        console.print(f"  {analyst}  " + _("password {password}").format(password=password),
                      highlight=False)


def _shared_sample(store: Store, subjects: list[Subject], now: datetime) -> str | None:
    """A synthetic record the U.S. unit and the vetted unit both see, with a hidden portion."""
    us, vetted = subjects[0], subjects[1]
    for rec in store.page(us, now, "Person", limit=200):
        if not rec.synthetic or not any(s.marking for s in rec.statements):
            continue
        try:
            store.read(vetted, now, rec.id)
        except NotFound:
            continue
        return rec.id
    return None


def _next() -> None:
    console.rule(_("Next"))
    workspace = STATE.settings.workspace
    commands = (f"tearline --workspace {workspace} search 'el barbas' --as mx.semar.uie\n"
                f"     tearline --workspace {workspace} show us.dea.sod..ofac-10899 "
                "--as mx.fgr.femdo")
    console.print(_("Try:") + " " + commands)
