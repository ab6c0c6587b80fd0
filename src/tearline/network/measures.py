"""Key players and paths: degree, betweenness and eigenvector centrality; shortest paths.

Computed with igraph (C), chosen over networkx on measurement (``docs/benchmarks.md``,
*Link analysis*); each measure is defined as networkx defines it, and a property test
holds the two to the same values on random graphs:

* **degree**: the number of neighbours, and ``degree / (n - 1)`` (networkx's
  ``degree_centrality``);
* **betweenness**: the share of shortest paths between other pairs that pass through
  a node, normalized by ``(n - 1)(n - 2) / 2`` (networkx's ``betweenness_centrality``).
  Above :data:`EXACT_LIMIT` nodes it is estimated from :data:`SAMPLES` source nodes
  drawn with a fixed seed from the sorted node ids (Brandes' pivots, as networkx's
  ``k``), so the same graph always gives the same estimate;
* **eigenvector**: influence through well-connected neighbours, per connected
  component (unit Euclidean norm within it, as networkx's ``eigenvector_centrality``
  on that component): on a disconnected graph the whole-graph vector would give every
  network but the densest a zero. A node without links scores 0.

Paths are breadth-first over neighbours in id order, so a tie always resolves the same
way; each hop carries its link's kinds and evidence.
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import igraph

from tearline.errors import NotFound, tr
from tearline.network.graph import Link, LinkGraph

EXACT_LIMIT = 5_000
SAMPLES = 500
SEED = 17


@dataclass(frozen=True, slots=True)
class Centrality:
    node: str
    degree: int
    degree_centrality: float
    betweenness: float
    eigenvector: float


def to_igraph(graph: LinkGraph) -> tuple[igraph.Graph, list[str]]:
    """The graph in igraph, its vertices in node id order (returned)."""
    ids = sorted(graph.nodes)
    index = {node: i for i, node in enumerate(ids)}
    made = igraph.Graph(n=len(ids), edges=[(index[x.a], index[x.b]) for x in graph.links])
    return made, ids


def centrality(graph: LinkGraph) -> dict[str, Centrality]:
    """Every node's measures."""
    g, ids = to_igraph(graph)
    n = len(ids)
    if n == 0:
        return {}
    degrees = g.degree()
    between = _betweenness(g, n)
    eigen = _eigenvector(g)
    scale = 1.0 / (n - 1) if n > 1 else 0.0
    return {node: Centrality(node, degrees[i], degrees[i] * scale, between[i], eigen[i])
            for i, node in enumerate(ids)}


def betweenness_within(made: tuple[igraph.Graph, list[str]], index: dict[str, int],
                       nodes: Sequence[str]) -> dict[str, float]:
    """Betweenness over the links among ``nodes`` only (a community's own paths), in the
    graph ``made`` by :func:`to_igraph` (``index``: node id → its vertex)."""
    g, ids = made
    chosen = sorted(index[n] for n in nodes)
    sub = g.induced_subgraph(chosen)
    values = _betweenness(sub, len(chosen))
    return {ids[v]: values[i] for i, v in enumerate(chosen)}


def _betweenness(g: igraph.Graph, n: int) -> list[float]:
    if n < 3:
        return [0.0] * n
    norm = 2.0 / ((n - 1) * (n - 2))
    if n <= EXACT_LIMIT:
        return [b * norm for b in g.betweenness(directed=False)]
    pivots = sorted(random.Random(SEED).sample(range(n), SAMPLES))
    # the paths from the sampled sources only: scaled up to every source
    raw = g.betweenness(directed=False, sources=pivots, targets=None)
    factor = n / SAMPLES
    return [b * factor * norm for b in raw]


def _eigenvector(g: igraph.Graph) -> list[float]:
    out = [0.0] * g.vcount()
    for component in g.connected_components():
        if len(component) < 2:
            continue
        sub = g.induced_subgraph(component)
        values = sub.eigenvector_centrality()
        norm = math.sqrt(sum(v * v for v in values)) or 1.0
        for vertex, value in zip(component, values, strict=True):
            out[vertex] = abs(value) / norm
    return out


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path: from ``source`` to ``target`` over ``link``."""

    source: str
    target: str
    link: Link


def shortest_path(graph: LinkGraph, source: str, target: str) -> list[Hop] | None:
    """A shortest path from ``source`` to ``target`` with each hop's link; ``None`` if
    they are not connected. :class:`NotFound` if either is not a node of the graph (the
    viewer's graph: a hidden entity and one that does not exist answer alike)."""
    for end in (source, target):
        if end not in graph.nodes:
            raise NotFound(tr("no entity {end!r} in the network", end=end))
    previous = _bfs(graph.neighbours(), source, target)
    if target not in previous:
        return None
    nodes: list[str] = [target]
    while nodes[-1] != source:
        nodes.append(previous[nodes[-1]])
    nodes.reverse()
    return [_hop(graph, x, y) for x, y in zip(nodes, nodes[1:], strict=False)]


def _hop(graph: LinkGraph, x: str, y: str) -> Hop:
    link = graph.link(x, y)
    if link is None:  # pragma: no cover - the search only walks links
        raise AssertionError(f"no link {x} – {y}")
    return Hop(x, y, link)


def _bfs(neighbours: dict[str, list[str]], source: str, target: str) -> dict[str, str]:
    previous: dict[str, str] = {source: source}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target:
            break
        for nxt in neighbours[node]:
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return previous


def path_nodes(hops: Sequence[Hop]) -> list[str]:
    return [hops[0].source, *(h.target for h in hops)] if hops else []
