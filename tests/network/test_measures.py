"""Centrality and shortest paths agree with networkx on random graphs (Hypothesis)."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tearline.errors import NotFound
from tearline.network import measures
from tearline.network.graph import Entity, Facts, Relationship, build_graph


@st.composite
def graphs(draw: st.DrawFn, max_nodes: int = 25) -> tuple[int, list[tuple[int, int]]]:
    n = draw(st.integers(1, max_nodes))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=60)) if pairs else []
    return n, edges


def _ours(n: int, edges: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    facts = Facts(
        entities=tuple(Entity(f"p{i:02d}", "Person", f"P {i}") for i in range(n)),
        relationships=tuple(Relationship(f"r{a}-{b}", "Associate", f"p{a:02d}", f"p{b:02d}")
                            for a, b in edges))
    return build_graph(facts)


def _theirs(n: int, edges: list[tuple[int, int]]) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(f"p{i:02d}" for i in range(n))
    g.add_edges_from((f"p{a:02d}", f"p{b:02d}") for a, b in edges)
    return g


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_degree_and_betweenness_agree_with_networkx(drawn: tuple[int, list[tuple[int, int]]]
                                                    ) -> None:
    ours = measures.centrality(_ours(*drawn))
    g = _theirs(*drawn)
    between = nx.betweenness_centrality(g, normalized=True)
    degree = nx.degree_centrality(g) if len(g) > 1 else {n: 0.0 for n in g}
    for node in g:
        assert ours[node].degree == g.degree(node)
        assert ours[node].degree_centrality == pytest.approx(degree[node])
        assert ours[node].betweenness == pytest.approx(between[node], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_eigenvector_agrees_with_networkx_on_each_component(
        drawn: tuple[int, list[tuple[int, int]]]) -> None:
    ours = measures.centrality(_ours(*drawn))
    g = _theirs(*drawn)
    for component in nx.connected_components(g):
        if len(component) < 2:
            assert all(ours[n].eigenvector == 0.0 for n in component)
            continue
        theirs = nx.eigenvector_centrality(g.subgraph(component), max_iter=100_000, tol=1e-12)
        for node in component:
            assert ours[node].eigenvector == pytest.approx(abs(theirs[node]), abs=1e-6)


@settings(max_examples=80, deadline=None)
@given(graphs(), st.data())
def test_shortest_paths_agree_with_networkx(drawn: tuple[int, list[tuple[int, int]]],
                                            data: st.DataObject) -> None:
    n, _ = drawn
    graph, g = _ours(*drawn), _theirs(*drawn)
    a = f"p{data.draw(st.integers(0, n - 1)):02d}"
    b = f"p{data.draw(st.integers(0, n - 1)):02d}"
    hops = measures.shortest_path(graph, a, b)
    if not nx.has_path(g, a, b):
        assert hops is None
        return
    assert hops is not None
    assert len(hops) == nx.shortest_path_length(g, a, b)
    nodes = measures.path_nodes(hops)
    assert not hops or (nodes[0], nodes[-1]) == (a, b)
    for hop in hops:
        assert g.has_edge(hop.source, hop.target)
        assert {hop.link.a, hop.link.b} == {hop.source, hop.target}
        assert hop.link.evidence[0].record == "r{}-{}".format(
            *sorted(int(x[1:]) for x in (hop.source, hop.target)))


def test_sampled_betweenness_estimates_the_exact_values(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    edges = list(nx.connected_watts_strogatz_graph(400, 6, 0.2, seed=3).edges())
    graph = _ours(400, edges)
    exact = measures.centrality(graph)
    monkeypatch.setattr(measures, "EXACT_LIMIT", 100)
    monkeypatch.setattr(measures, "SAMPLES", 200)
    estimate = measures.centrality(graph)
    top_exact = sorted(exact, key=lambda n: -exact[n].betweenness)[:20]
    top_estimate = sorted(estimate, key=lambda n: -estimate[n].betweenness)[:20]
    assert len(set(top_exact) & set(top_estimate)) >= 14
    total = sum(e.betweenness for e in exact.values())
    assert sum(e.betweenness for e in estimate.values()) == pytest.approx(total, rel=0.1)


def test_a_path_to_an_entity_outside_the_graph_is_not_found() -> None:
    graph = _ours(3, [(0, 1)])
    with pytest.raises(NotFound):
        measures.shortest_path(graph, "p00", "hidden")
    assert measures.shortest_path(graph, "p00", "p02") is None
    assert measures.shortest_path(graph, "p00", "p00") == []
