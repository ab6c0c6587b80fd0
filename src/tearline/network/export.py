"""Exports a person can open: GraphML and GEXF (Gephi), CSV nodes and links (i2).

Every export carries the same columns: a node's schema, caption, community and
measures; a link's kinds, weight (records supporting it) and the ids of those records.
The GEXF file's ``lastmodifieddate`` is the day of the view (``at``), not the day the
file was written, so the same view always exports the same bytes.

i2 Analyst's Notebook imports entities and links from two CSV files through an import
specification: ``nodes.csv`` (``Entity ID, Entity Type, Label, …``) and ``links.csv``
(``From ID, To ID, Link Type, …``); the column names are the ones its import wizard
maps without editing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date

import networkx as nx

from tearline.network.graph import LinkGraph
from tearline.network.measures import Centrality

NODE_COLUMNS = ("Entity ID", "Entity Type", "Label", "Community", "Degree", "Betweenness",
                "Eigenvector")
LINK_COLUMNS = ("From ID", "To ID", "Link Type", "Weight", "Evidence")


def to_networkx(graph: LinkGraph, community: Mapping[str, int],
                measures: Mapping[str, Centrality]) -> nx.Graph:
    g = nx.Graph()
    for node_id in sorted(graph.nodes):
        node, m = graph.nodes[node_id], measures[node_id]
        g.add_node(node_id, label=node.caption or node_id, schema=node.schema,
                   community=community[node_id], degree=m.degree,
                   betweenness=m.betweenness, eigenvector=m.eigenvector)
    for link in graph.links:
        g.add_edge(link.a, link.b, kinds=" ".join(k.replace(" ", "_") for k in link.kinds),
                   weight=link.weight,
                   evidence=" ".join(e.record for e in link.evidence))
    return g


def graphml(graph: LinkGraph, community: Mapping[str, int],
            measures: Mapping[str, Centrality]) -> bytes:
    return "\n".join(nx.generate_graphml(to_networkx(graph, community, measures))).encode()


def gexf(graph: LinkGraph, community: Mapping[str, int],
         measures: Mapping[str, Centrality], at: date) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(to_networkx(graph, community, measures), out)
    return re.sub(rb'lastmodifieddate="[^"]*"',
                  f'lastmodifieddate="{at.isoformat()}"'.encode(), out.getvalue(), count=1)


def i2_nodes(graph: LinkGraph, community: Mapping[str, int],
             measures: Mapping[str, Centrality]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(NODE_COLUMNS)
    for node_id in sorted(graph.nodes):
        node, m = graph.nodes[node_id], measures[node_id]
        writer.writerow((node_id, node.schema, _cell(node.caption or node_id),
                         community[node_id], m.degree, f"{m.betweenness:.6f}",
                         f"{m.eigenvector:.6f}"))
    return out.getvalue()


def i2_links(graph: LinkGraph) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LINK_COLUMNS)
    for link in graph.links:
        writer.writerow((link.a, link.b, "; ".join(link.kinds), link.weight,
                         " ".join(e.record for e in link.evidence)))
    return out.getvalue()


def _cell(text: str) -> str:
    """A spreadsheet never reads a caption as a formula (``=``, ``+``, ``-``, ``@``)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
