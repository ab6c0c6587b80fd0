"""One analysis of a viewer's facts, and its listings as plain rows (CLI, API, exports).

Everything the commands and routes show is computed here from the facts alone, in a
fixed order (ties broken by id), so the same facts always give the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from tearline.errors import ValidationError, tr
from tearline.network.communities import Broker, brokers, communities
from tearline.network.graph import Facts, LinkGraph, build_graph
from tearline.network.measures import Centrality, centrality, path_nodes, shortest_path
from tearline.network.ranking import Player, heads_and_midlevel

Measure = Literal["betweenness", "degree", "eigenvector"]
MEASURES: tuple[str, ...] = ("betweenness", "degree", "eigenvector")


@dataclass(frozen=True)
class Analysis:
    graph: LinkGraph

    @classmethod
    def of(cls, facts: Facts, same: Mapping[str, str] | None = None) -> Analysis:
        return cls(build_graph(facts, same))

    @cached_property
    def measures(self) -> dict[str, Centrality]:
        return centrality(self.graph)

    @cached_property
    def community(self) -> dict[str, int]:
        return communities(self.graph)

    @cached_property
    def brokers(self) -> list[Broker]:
        return brokers(self.graph, self.community, self.measures)

    @cached_property
    def players(self) -> list[Player]:
        return heads_and_midlevel(self.graph, self.community, self.measures)

    def _node(self, node_id: str) -> dict[str, Any]:
        node = self.graph.nodes[node_id]
        return {"id": node_id, "schema": node.schema, "caption": node.caption}

    def key_players(self, by: str = "betweenness", top: int = 20) -> list[dict[str, Any]]:
        """The ``top`` nodes by one measure (then the others, then id)."""
        if by not in MEASURES:
            raise ValidationError(tr(
                "rank by one of {MEASURES}, not {by!r}", MEASURES=', '.join(MEASURES), by=by))
        others = [m for m in MEASURES if m != by]

        def key(node_id: str) -> tuple[Any, ...]:
            m = self.measures[node_id]
            return (*(-getattr(m, name) for name in (by, *others)), node_id)

        return [{**self._node(n), **self._figures(n)}
                for n in sorted(self.measures, key=key)[:_top(top)]]

    def _figures(self, node_id: str) -> dict[str, Any]:
        m = self.measures[node_id]
        return {"community": self.community[node_id], "degree": m.degree,
                "betweenness": round(m.betweenness, 6), "eigenvector": round(m.eigenvector, 6)}

    def community_rows(self, top: int = 20) -> list[dict[str, Any]]:
        members: dict[int, list[str]] = defaultdict(list)
        for node_id, number in self.community.items():
            members[number].append(node_id)
        rows = []
        for number in sorted(members)[:_top(top)]:
            ids = sorted(members[number], key=lambda n: (-self.measures[n].betweenness, n))
            rows.append({"community": number, "size": len(ids),
                         "people": sum(self.graph.nodes[n].schema == "Person" for n in ids),
                         "central": [self.graph.nodes[n].caption or n for n in ids[:5]],
                         "members": sorted(ids)})
        return rows

    def broker_rows(self, top: int = 20) -> list[dict[str, Any]]:
        return [{**self._node(b.node), "betweenness": round(b.betweenness, 6),
                 "participation": round(b.participation, 4),
                 "communities": [c for c, _ in b.reaches], "reason": b.reason}
                for b in self.brokers[:_top(top)]]

    def player_rows(self) -> list[dict[str, Any]]:
        return [{"community": p.community, "rank": p.rank, "tier": p.tier,
                 **self._node(p.node), "reason": p.reason} for p in self.players]

    def path_rows(self, source: str, target: str) -> dict[str, Any]:
        hops = shortest_path(self.graph, source, target)
        return {
            "from": source, "to": target, "connected": hops is not None,
            "length": None if hops is None else len(hops),
            "nodes": [self._node(n) for n in path_nodes(hops or [])],
            "hops": [{"from": h.source, "to": h.target, "kinds": list(h.link.kinds),
                      "evidence": [{"record": e.record, "schema": e.schema,
                                    "detail": e.detail} for e in h.link.evidence]}
                     for h in hops or []],
        }

    def summary(self) -> dict[str, Any]:
        return {"nodes": len(self.graph.nodes), "links": len(self.graph.links),
                "communities": len(set(self.community.values())),
                "left_out_crowded": len(self.graph.crowded)}


def _top(top: int) -> int:
    if not 1 <= top <= 10_000:
        raise ValidationError(tr("top must be between 1 and 10000, not {top}", top=top))
    return top
