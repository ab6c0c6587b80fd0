"""The actor graph: relationships link actors; shared objects link the actors attached
to them; crowded objects link nobody; resolved records are one node."""

from __future__ import annotations

from tearline.network import graph as g
from tearline.network.graph import Entity, Facts, Reference, Relationship, build_graph

PEOPLE = tuple(Entity(f"p{i}", "Person", f"Persona {i}") for i in range(5))
THINGS = (Entity("ph1", "Phone", "+5266"), Entity("a1", "Address", "Calle 1"),
          Entity("s1", "Seizure", "fentanyl"), Entity("v1", "Vehicle", "Ford"),
          Entity("o1", "Organization", "Cártel"))


def test_relationships_and_shared_objects_become_links() -> None:
    facts = Facts(PEOPLE + THINGS, (
        Relationship("r1", "Associate", "p0", "p1", "reports to"),
        Relationship("r2", "Membership", "p1", "o1", "head"),
        Relationship("r3", "UnknownLink", "p2", "v1", "driver"),
        Relationship("r4", "UnknownLink", "p3", "v1", "registered owner"),
        Relationship("r5", "UnknownLink", "v1", "ph1", "no actor"),
    ), (Reference("ph1", "user", "p0"), Reference("ph1", "user", "p4"),
        Reference("p2", "addressEntity", "a1"), Reference("p4", "addressEntity", "a1"),
        Reference("s1", "suspect", "p3"), Reference("s1", "suspect", "p4")))
    made = build_graph(facts)
    assert set(made.nodes) == {"p0", "p1", "p2", "p3", "p4", "o1"}
    kinds = {(x.a, x.b): x.kinds for x in made.links}
    assert kinds == {("p0", "p1"): ("associate",), ("o1", "p1"): ("membership",),
                     ("p2", "p3"): ("shared vehicle",), ("p0", "p4"): ("shared phone",),
                     ("p2", "p4"): ("shared address",), ("p3", "p4"): ("seizure",)}
    phone = made.link("p4", "p0")
    assert phone is not None
    assert [e.record for e in phone.evidence] == ["ph1"]
    vehicle = made.link("p2", "p3")
    assert vehicle is not None and {e.record for e in vehicle.evidence} == {"v1", "r3", "r4"}


def test_a_crowded_object_links_nobody(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(g, "CROWD", 3)
    refs = tuple(Reference(p.id, "addressEntity", "a1") for p in PEOPLE)
    made = build_graph(Facts(PEOPLE + THINGS, (), refs))
    assert made.links == () and made.crowded == {"a1": 5}


def test_resolved_records_are_one_node() -> None:
    facts = Facts(PEOPLE, (Relationship("r1", "Associate", "p0", "p1"),
                           Relationship("r2", "Family", "p2", "p3", "brother"),
                           Relationship("r3", "Associate", "p0", "p2")))
    made = build_graph(facts, {"p2": "p0"})
    assert set(made.nodes) == {"p0", "p1", "p3", "p4"}
    assert made.nodes["p0"].records == ("p0", "p2")
    assert {(x.a, x.b) for x in made.links} == {("p0", "p1"), ("p0", "p3")}  # r3 is a loop
