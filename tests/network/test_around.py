"""The neighbourhood of a record: breadth-first from its node (or from the ends of the
links it is evidence of), within a depth and a limit, the same for the same graph."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tearline.network.around import MAX_DEPTH, around, starts
from tearline.network.graph import Entity, Facts, Reference, Relationship, build_graph

PEOPLE = tuple(Entity(f"p{i}", "Person", f"Persona {i}") for i in range(6))
# a chain p0 - p1 - p2 - p3 - p4 (associates), p5 alone; p3 and p4 share a phone too
CHAIN = Facts(PEOPLE + (Entity("ph1", "Phone", "+5266"),), tuple(
    Relationship(f"r{i}", "Associate", f"p{i}", f"p{i + 1}") for i in range(4)),
    (Reference("ph1", "user", "p3"), Reference("ph1", "user", "p4")))


def test_hops_grow_breadth_first_up_to_the_depth() -> None:
    graph = build_graph(CHAIN)
    one = around(graph, "p2", 1)
    assert one.hops == {"p2": 0, "p1": 1, "p3": 1}
    assert [(x.a, x.b) for x in one.links] == [("p1", "p2"), ("p2", "p3")]
    two = around(graph, "p2", 2)
    assert two.hops == {"p2": 0, "p1": 1, "p3": 1, "p0": 2, "p4": 2}
    assert two.left_out == 0 and len(two.links) == 4


def test_the_limit_keeps_the_nearest_and_counts_the_rest() -> None:
    near = around(build_graph(CHAIN), "p0", MAX_DEPTH, limit=3)
    assert near.hops == {"p0": 0, "p1": 1, "p2": 2}
    assert near.left_out == 2


def test_an_object_starts_from_the_actors_it_links() -> None:
    graph = build_graph(CHAIN)
    assert starts(graph, "ph1") == ["p3", "p4"]
    assert starts(graph, "r0") == ["p0", "p1"]  # a relationship record: its two ends
    near = around(graph, "ph1", 1)
    assert near.hops == {"p3": 0, "p4": 0, "p2": 1}


def test_a_record_outside_the_graph_has_no_neighbourhood() -> None:
    graph = build_graph(CHAIN)
    assert not around(graph, "p5", 2).links and around(graph, "p5", 2).hops == {"p5": 0}
    nothing = around(graph, "never-made", 2)
    assert not nothing.found and nothing.links == () and nothing.left_out == 0


def test_a_resolved_record_starts_from_its_entity() -> None:
    graph = build_graph(CHAIN, {"p5": "p0"})
    assert starts(graph, "p5") == ["p0"]
    assert around(graph, "p5", 1).hops == {"p0": 0, "p1": 1}


@given(st.sets(st.tuples(st.integers(0, 9), st.integers(0, 9))), st.integers(0, 9),
       st.integers(1, MAX_DEPTH), st.integers(1, 12))
def test_every_node_kept_is_as_far_as_its_hops_say(pairs: set[tuple[int, int]], centre: int,
                                                   depth: int, limit: int) -> None:
    people = tuple(Entity(f"n{i}", "Person") for i in range(10))
    rels = tuple(Relationship(f"r{a}-{b}", "Associate", f"n{a}", f"n{b}") for a, b in pairs)
    graph = build_graph(Facts(people, rels))
    near = around(graph, f"n{centre}", depth, limit)
    assert len(near.hops) <= limit and near.hops[f"n{centre}"] == 0
    neighbours = graph.neighbours()
    for node, hops in near.hops.items():
        assert hops <= depth
        if hops:  # one step nearer there is a kept neighbour
            assert any(near.hops.get(n) == hops - 1 for n in neighbours[node])
    assert all(x.a in near.hops and x.b in near.hops for x in near.links)
    assert near == around(graph, f"n{centre}", depth, limit)
