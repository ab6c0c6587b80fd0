"""The part of a viewer's graph around one record: what the web's Network page draws.

A record is *in* the graph as a node (a person or organization, or one of the records
a resolved node merges), or *under* it as evidence (a phone, a seizure, a relationship
record that links actors): its neighbourhood starts from that node, or from the ends of
the links the record supports. From there it grows breadth-first, neighbours in id
order, up to ``depth`` hops and ``limit`` nodes, so the same graph always gives the
same picture; the links kept are those between the nodes kept.

Pure: a function of the graph alone (itself a function of the viewer's facts).
"""

from __future__ import annotations

from dataclasses import dataclass

from tearline.network.graph import Link, LinkGraph

#: Hops from the record, by default and at most.
DEPTH, MAX_DEPTH = 2, 4
#: Nodes drawn at most: a picture of more says nothing a table does not.
LIMIT = 150


@dataclass(frozen=True)
class Around:
    """Nodes kept (id → hops from the record, in the order found) and their links."""

    record: str
    hops: dict[str, int]
    links: tuple[Link, ...]
    #: nodes left out by ``limit`` (reachable within ``depth`` but not drawn)
    left_out: int

    @property
    def found(self) -> bool:
        return bool(self.hops)


def starts(graph: LinkGraph, record: str) -> list[str]:
    """The nodes a record's neighbourhood starts from (sorted; empty if it is neither a
    node's record nor evidence of a link)."""
    for node in graph.nodes.values():
        if node.id == record or record in node.records:
            return [node.id]
    ends = {end for link in graph.links if any(e.record == record for e in link.evidence)
            for end in (link.a, link.b)}
    return sorted(ends)


def around(graph: LinkGraph, record: str, depth: int = DEPTH, limit: int = LIMIT) -> Around:
    """The neighbourhood of ``record`` in ``graph`` (see the module's docstring)."""
    depth = min(max(depth, 0), MAX_DEPTH)
    hops = {node: 0 for node in starts(graph, record)[:limit]}
    neighbours = graph.neighbours()
    frontier = list(hops)
    reachable = set(hops)
    for level in range(1, depth + 1):
        nxt = []
        for node in frontier:
            for other in neighbours[node]:
                if other in reachable:
                    continue
                reachable.add(other)
                nxt.append(other)
                if len(hops) < limit:
                    hops[other] = level
        frontier = nxt
    links = tuple(link for link in graph.links if link.a in hops and link.b in hops)
    return Around(record, hops, links, len(reachable) - len(hops))
