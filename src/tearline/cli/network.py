"""Link analysis over what the acting unit may see: ``tearline network …``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tearline.cli.common import (
    STATE,
    AsOption,
    AtOption,
    Format,
    FormatOption,
    acting,
    app,
    at_time,
    console,
    emit,
)
from tearline.cli.language import _
from tearline.files import write_private

if TYPE_CHECKING:  # igraph, leidenalg and networkx load when a network command runs
    from tearline.network.analysis import Analysis

network_app = typer.Typer(
    help="Link analysis: key players, communities, brokers, heads, paths, exports.",
    no_args_is_help=True)
app.add_typer(network_app, name="network")

TopOption = Annotated[int, typer.Option("--top", help="How many rows to show.")]


class By(StrEnum):
    betweenness = "betweenness"
    degree = "degree"
    eigenvector = "eigenvector"


class GraphFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    i2 = "i2"


def _analysis(as_: str | None, at: str | None) -> Analysis:
    from tearline.network.analysis import Analysis

    subject = acting(as_)
    return Analysis.of(STATE.store().network(subject, at_time(at)))


@network_app.command("players")
def players(as_: AsOption = None, at: AtOption = None, top: TopOption = 20,
            by: Annotated[By, typer.Option(help="The measure to rank by.")] = By.betweenness,
            fmt: FormatOption = Format.table) -> None:
    """Key players: degree, betweenness and eigenvector centrality, best first."""
    rows = _analysis(as_, at).key_players(by.value, top)
    emit(rows, fmt, ["id", "schema", "caption", "community", "degree", "betweenness",
                     "eigenvector"], title=_("Key players by {measure}").format(measure=by.value))


@network_app.command("communities")
def communities(as_: AsOption = None, at: AtOption = None, top: TopOption = 20,
                fmt: FormatOption = Format.table) -> None:
    """Communities (Leiden), largest first, with their most central members."""
    rows = _analysis(as_, at).community_rows(top)
    emit(rows, fmt, ["community", "size", "people", "central"], title=_("Communities"))


@network_app.command("brokers")
def brokers(as_: AsOption = None, at: AtOption = None, top: TopOption = 20,
            fmt: FormatOption = Format.table) -> None:
    """Brokers: people and organizations linked into more than one community."""
    rows = _analysis(as_, at).broker_rows(top)
    emit(rows, fmt, ["id", "caption", "betweenness", "participation", "reason"],
         title=_("Brokers between communities"))


@network_app.command("heads")
def heads(as_: AsOption = None, at: AtOption = None, fmt: FormatOption = Format.table) -> None:
    """Each community's heads and mid-level members, ranked, with the reason."""
    rows = _analysis(as_, at).player_rows()
    emit(rows, fmt, ["community", "rank", "tier", "id", "caption", "reason"],
         title=_("Heads and mid-level"))


@network_app.command("path")
def path(source: Annotated[str, typer.Argument(help="The entity to start from.")],
         target: Annotated[str, typer.Argument(help="The entity to reach.")],
         as_: AsOption = None, at: AtOption = None, fmt: FormatOption = Format.table) -> None:
    """A shortest path between two entities, with the evidence of each link."""
    found = _analysis(as_, at).path_rows(source, target)
    if fmt in (Format.json, Format.jsonl):
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
        return
    if not found["connected"]:
        console.print(_("{source} and {target} are not connected in the network you may "
                        "see").format(source=source, target=target))
        return
    rows: list[dict[str, Any]] = [
        {"from": h["from"], "to": h["to"], "kinds": h["kinds"],
         "evidence": [f"{e['schema']} {e['record']}" + (f" ({e['detail']})" if e["detail"]
                                                         else "") for e in h["evidence"]]}
        for h in found["hops"]]
    emit(rows, fmt, ["from", "to", "kinds", "evidence"],
         title=_("{n} link(s) from {source} to {target}").format(
             n=found["length"], source=source, target=target))


@network_app.command("export")
def export(out: Annotated[Path, typer.Option(
               help="File to write (graphml, gexf); a folder for i2 (nodes.csv, links.csv).")],
           as_: AsOption = None, at: AtOption = None,
           fmt: Annotated[GraphFormat, typer.Option(
               "--format", "-f", help="graphml, gexf (Gephi) or i2 (CSV for Analyst's "
               "Notebook).")] = GraphFormat.graphml) -> None:
    """Export the network the acting unit may see, with communities and measures."""
    from tearline.network.export import gexf, graphml, i2_links, i2_nodes

    when = at_time(at)
    done = _analysis(as_, when.isoformat())
    args = (done.graph, done.community, done.measures)
    if fmt is GraphFormat.i2:
        out.mkdir(parents=True, exist_ok=True)
        write_private(out / "nodes.csv", i2_nodes(*args).encode())
        write_private(out / "links.csv", i2_links(done.graph).encode())
    else:
        write_private(out, graphml(*args) if fmt is GraphFormat.graphml
                      else gexf(*args, when.date()))
    summary = done.summary()
    console.print(_("{nodes:,} nodes and {links:,} links written to {out}").format(
        nodes=summary["nodes"], links=summary["links"], out=out))
