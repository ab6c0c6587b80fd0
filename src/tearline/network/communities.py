"""Communities (Leiden) and the brokers between them.

Communities are found with the Leiden algorithm (leidenalg: modularity with the
resolution :data:`RESOLUTION`, a fixed seed), over the graph with its vertices in node
id order, so the same graph always gives the same partition; they are numbered by size
(largest first), then by their smallest id.

The resolution is coarser than modularity's usual 1.0 because a trafficking
organization is a hierarchy shaped like a tree (a head, mid-level members, their
members), which modularity at 1.0 cuts into its branches — one "community" per
mid-level member. At 0.2 two such organizations joined by one contact come out as two
communities, each whole (``tests/network/test_analysis.py``).

A **broker** is a node with links into more than one community: it is how one network
reaches another. Brokers are ranked by betweenness, and each comes with the
communities it links and its participation coefficient ``1 - Σ (k_c / k)²`` (``k_c``:
its links into community ``c``; 0 for a node linked within one community, towards 1
for one spread evenly over many).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import leidenalg

from tearline.network.graph import LinkGraph
from tearline.network.measures import Centrality, to_igraph

SEED = 17
RESOLUTION = 0.2


def communities(graph: LinkGraph) -> dict[str, int]:
    """Node id → community number (0: the largest)."""
    g, ids = to_igraph(graph)
    if not ids:
        return {}
    found = leidenalg.find_partition(g, leidenalg.RBConfigurationVertexPartition,
                                     resolution_parameter=RESOLUTION, seed=SEED,
                                     n_iterations=-1)
    groups: dict[int, list[str]] = {}
    for vertex, label in enumerate(found.membership):
        groups.setdefault(label, []).append(ids[vertex])
    ordered = sorted(groups.values(), key=lambda members: (-len(members), min(members)))
    return {node: number for number, members in enumerate(ordered) for node in members}


@dataclass(frozen=True, slots=True)
class Broker:
    node: str
    betweenness: float
    participation: float
    #: community number → this node's links into it
    reaches: tuple[tuple[int, int], ...]

    @property
    def reason(self) -> str:
        into = ", ".join(f"community {c} ({k} link{'s' * (k != 1)})" for c, k in self.reaches)
        return (f"links {len(self.reaches)} communities: {into}; betweenness "
                f"{self.betweenness:.4f}, participation {self.participation:.2f}")


def brokers(graph: LinkGraph, community: Mapping[str, int],
            measures: Mapping[str, Centrality]) -> list[Broker]:
    """Nodes linked into more than one community, by betweenness (then id)."""
    out: list[Broker] = []
    for node, near in graph.neighbours().items():
        counts = Counter(community[n] for n in near)
        if len(counts) < 2:
            continue
        k = len(near)
        participation = 1.0 - sum((c / k) ** 2 for c in counts.values())
        out.append(Broker(node, measures[node].betweenness, participation,
                          tuple(sorted(counts.items()))))
    out.sort(key=lambda b: (-b.betweenness, b.node))
    return out
