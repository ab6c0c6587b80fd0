"""Communities, brokers, heads and mid-level, listings and exports of one analysis."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date

import networkx as nx
import pytest

from tearline.errors import NotFound, ValidationError
from tearline.network.analysis import Analysis
from tearline.network.export import gexf, graphml, i2_links, i2_nodes
from tearline.network.graph import Entity, Facts, Relationship


def _hierarchy(prefix: str, org: str, stated: bool) -> tuple[list[Entity], list[Relationship]]:
    """A head, three mid-level members with four members each."""
    people = [Entity(f"{prefix}-h", "Person", f"Jefe {prefix}")]
    rels = []
    for m in range(3):
        mid = f"{prefix}-m{m}"
        people.append(Entity(mid, "Person", f"Operador {prefix}{m}"))
        rels.append(Relationship(f"{mid}-r", "Associate", mid, f"{prefix}-h", "reports to"))
        for k in range(4):
            member = f"{prefix}-m{m}-{k}"
            people.append(Entity(member, "Person", f"Halcón {prefix}{m}{k}"))
            rels.append(Relationship(f"{member}-r", "Associate", member, mid, "reports to"))
    if stated:
        rels.append(Relationship(f"{prefix}-mem", "Membership", f"{prefix}-m2-3", org, "jefe"))
    return people, rels


@pytest.fixture(scope="module")
def done() -> Analysis:
    a_people, a_rels = _hierarchy("a", "org-a", stated=False)
    b_people, b_rels = _hierarchy("b", "org-b", stated=True)
    bridge = Relationship("bridge", "Associate", "a-m0-0", "b-m1-1", "business contact")
    orgs = [Entity("org-a", "Organization", "=Cártel A"), Entity("org-b", "Organization", "B")]
    return Analysis.of(Facts(tuple(a_people + b_people + orgs),
                             tuple(a_rels + b_rels + [bridge])))


def test_two_networks_are_two_communities_joined_by_their_brokers(done: Analysis) -> None:
    community = done.community
    assert len({community[n] for n in done.graph.nodes if n.startswith("a-")}) == 1
    assert community["a-h"] != community["b-h"]
    brokers = {b.node for b in done.brokers}
    assert {"a-m0-0", "b-m1-1"} <= brokers
    row = next(r for r in done.broker_rows() if r["id"] == "a-m0-0")
    assert "links 2 communities" in row["reason"]


def test_heads_and_midlevel_by_position_and_by_stated_role(done: Analysis) -> None:
    rows = done.player_rows()
    a = [r for r in rows if r["id"].startswith("a-")]
    assert (a[0]["id"], a[0]["tier"], a[0]["rank"]) == ("a-h", "head", 1)
    assert "highest betweenness" in a[0]["reason"]
    assert {r["id"] for r in a if r["tier"] == "mid-level"} >= {"a-m0", "a-m1", "a-m2"}
    b = [r for r in rows if r["id"].startswith("b-")]
    assert (b[0]["id"], b[0]["tier"]) == ("b-m2-3", "head")  # a Membership says "jefe"
    assert "role 'jefe' in Membership b-mem" in b[0]["reason"]


def test_paths_carry_their_evidence(done: Analysis) -> None:
    found = done.path_rows("a-h", "b-h")
    assert found["connected"] and found["length"] == 5
    assert [h["evidence"][0]["record"] for h in found["hops"]][2] == "bridge"
    assert [n["id"] for n in found["nodes"]] == ["a-h", "a-m0", "a-m0-0", "b-m1-1", "b-m1",
                                                 "b-h"]
    with pytest.raises(NotFound):
        done.path_rows("a-h", "nobody")
    with pytest.raises(ValidationError):
        done.key_players("pagerank")
    with pytest.raises(ValidationError):
        done.key_players(top=0)


def test_exports_open_in_gephi_and_i2(done: Analysis) -> None:
    args = (done.graph, done.community, done.measures)
    read = nx.read_graphml(io.BytesIO(graphml(*args)))
    assert read.number_of_nodes() == len(done.graph.nodes)
    assert read.number_of_edges() == len(done.graph.links)
    assert read.nodes["a-h"]["schema"] == "Person"
    made = gexf(*args, date(2026, 1, 8))
    assert b'lastmodifieddate="2026-01-08"' in made
    assert gexf(*args, date(2026, 1, 8)) == made
    ET.fromstring(made)
    nodes = list(csv.DictReader(io.StringIO(i2_nodes(*args))))
    assert {r["Entity ID"] for r in nodes} == set(done.graph.nodes)
    assert next(r for r in nodes if r["Entity ID"] == "org-a")["Label"] == "'=Cártel A"
    links = list(csv.DictReader(io.StringIO(i2_links(done.graph))))
    assert next(r for r in links if "bridge" in r["Evidence"])["Link Type"] == "associate"
