"""A network's heads and mid-level, ranked, each with the reason.

Within each community (:mod:`communities`), the people are ranked:

1. **stated roles first**: a Membership (or another relationship) whose role the viewer
   sees names a head (:data:`HEAD_WORDS`) or a mid-level member (:data:`MID_WORDS`);
   what an agency wrote outranks what the structure suggests;
2. then **position** within the community: betweenness over the community's own links
   (a contact with another network does not make a member its head), then eigenvector
   centrality, then id. Heads of trafficking networks keep few direct contacts but sit
   on the paths that join the network's branches; mid-level members carry the paths
   between the head and the members. So without a stated head, the person with the
   highest betweenness is the head; the others whose betweenness is above zero are
   mid-level; the rest are members (not listed).

Each ranked person comes with the reason: the stated role and the record stating it,
and the measures with the person's place among the community's people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from tearline.network.graph import LinkGraph
from tearline.network.measures import Centrality, betweenness_within, to_igraph

HEAD_WORDS = ("head", "leader", "boss", "kingpin", "jefe", "líder", "lider", "cabecilla")
MID_WORDS = ("mid-level", "lieutenant", "lugarteniente", "operador", "operator",
             "plaza", "encargado", "manager")
TIERS = ("head", "mid-level")


@dataclass(frozen=True, slots=True)
class Player:
    node: str
    community: int
    tier: str
    #: 1 for the first of the community's ranked people
    rank: int
    reason: str


def _stated(graph: LinkGraph) -> dict[str, tuple[str, str]]:
    """Person → (tier, "role 'x' in <schema> <record>") from the roles the viewer sees."""
    found: dict[str, tuple[str, str]] = {}
    for link in graph.links:
        for proof in link.evidence:
            role = proof.detail.casefold()
            tier = ("head" if any(w in role for w in HEAD_WORDS)
                    else "mid-level" if any(w in role for w in MID_WORDS) else None)
            if tier is None or proof.schema not in ("Membership", "Associate", "UnknownLink",
                                                   "Employment"):
                continue
            for end in (link.a, link.b):
                if graph.nodes[end].schema == "Person":
                    said = (tier, f"role {proof.detail!r} in {proof.schema} {proof.record}")
                    # a Membership's role is the member's; else only a lone person end
                    other = link.b if end == link.a else link.a
                    if proof.schema == "Membership" or graph.nodes[other].schema != "Person":
                        best = found.get(end)
                        if best is None or TIERS.index(tier) < TIERS.index(best[0]):
                            found[end] = said
    return found


def heads_and_midlevel(graph: LinkGraph, community: Mapping[str, int],
                       measures: Mapping[str, Centrality]) -> list[Player]:
    """The ranked heads and mid-level members of every community, community by community."""
    stated = _stated(graph)
    made = to_igraph(graph)
    index = {node: i for i, node in enumerate(made[1])}
    groups: dict[int, list[str]] = defaultdict(list)
    for node_id, number in community.items():
        groups[number].append(node_id)
    people: dict[int, list[str]] = defaultdict(list)
    for node_id, node in graph.nodes.items():
        if node.schema == "Person":
            people[community[node_id]].append(node_id)
    out: list[Player] = []
    for number in sorted(people):
        members = people[number]
        if len(members) < 3:
            continue
        within = betweenness_within(made, index, groups[number])
        by_position = sorted(members, key=lambda n: (-within[n], -measures[n].eigenvector, n))
        place = {n: i + 1 for i, n in enumerate(by_position)}
        has_head = any(stated.get(n, ("",))[0] == "head" for n in members)

        def tier(n: str, has_head: bool = has_head, first: str = by_position[0],
                 within: dict[str, float] = within) -> str:
            if n in stated:
                return stated[n][0]
            if not has_head and n == first:
                return "head"
            return "mid-level" if within[n] > 0 else "member"

        ranked = sorted(members, key=lambda n: (_tier_order(tier(n)), place[n]))
        rank = 0
        for n in ranked:
            chosen = tier(n)
            if chosen == "member":
                continue
            rank += 1
            m = measures[n]
            why = [stated[n][1]] if n in stated else [
                "highest betweenness among the community's people" if chosen == "head"
                else "on shortest paths between other members"]
            why.append(f"betweenness in the community {within[n]:.4f} ({_ordinal(place[n])} "
                       f"of {len(members)} people in community {number}), in the whole "
                       f"network {m.betweenness:.4f}; eigenvector {m.eigenvector:.4f}, "
                       f"degree {m.degree}")
            out.append(Player(n, number, chosen, rank, "; ".join(why)))
    return out


def _tier_order(tier: str) -> int:
    return TIERS.index(tier) if tier in TIERS else len(TIERS)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
