"""The actor graph: people and organizations, linked by what the viewer may see.

Facts come in three kinds (:class:`Facts`): entities (id, schema, caption),
relationships (a relationship record between two entities: Associate, Membership,
Family, UnknownLink, Ownership, Employment, …) and references (a property of one
entity naming another: ``Phone.user``, ``Person.addressEntity``, ``Seizure.suspect``).

**Actors** are people and organizations (:data:`ACTORS`); **objects** are the things
actors share (:data:`OBJECTS`: phones, vehicles, vessels, aircraft, addresses, and
seizures). A relationship between two actors is a link of its own kind; a relationship
or reference between an actor and an object *attaches* the actor to the object, and
two actors attached to the same object are linked ("shared phone", "shared vehicle",
"shared address", "seizure" for co-occurrence in one seizure). An object with more than
:data:`CROWD` actors attached (a public place, a prison, a switchboard) links nobody:
sharing it says nothing about a pair. Relationships between two objects are not links
between actors and are left out.

**Resolved entities**: ``same`` (:attr:`Facts.same` unless given) maps a record id to
the id of the entity it was judged to be (entity resolution); the records of one entity
are one node, named by that id, and a link between two records of the same entity
disappears.

Every link keeps its evidence: the records (relationship, shared object, references'
holders) it rests on, so that a path can be shown hop by hop with its sources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import Any

#: Schemata whose records are nodes of the graph (FollowTheMoney's legal entities).
ACTORS: frozenset[str] = frozenset({"Person", "Organization", "Company", "LegalEntity",
                                    "PublicBody"})
#: Schemata of the things actors share → the kind of link sharing one makes.
OBJECTS: Mapping[str, str] = {
    "Phone": "shared phone", "Vehicle": "shared vehicle", "Vessel": "shared vehicle",
    "Airplane": "shared vehicle", "Address": "shared address", "Seizure": "seizure",
}
#: Relationship schema → the kind of link it makes between two actors.
RELATIONS: Mapping[str, str] = {
    "Associate": "associate", "Membership": "membership", "Family": "family",
    "UnknownLink": "link", "Ownership": "ownership", "Employment": "employment",
    "Directorship": "directorship", "Representation": "representation",
}
#: Objects shared by more actors than this link nobody.
CROWD = 25


@dataclass(frozen=True, slots=True)
class Entity:
    """One record the viewer may see: its id, schema and caption (as the viewer sees it)."""

    id: str
    schema: str
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Relationship:
    """A relationship record between two entities, with its role as the viewer sees it."""

    id: str
    schema: str
    source: str
    target: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class Reference:
    """Entity ``holder``'s property ``prop`` names entity ``target``."""

    holder: str
    prop: str
    target: str


@dataclass(frozen=True)
class Facts:
    """What the store read for the viewer; every id named here exists for it."""

    entities: tuple[Entity, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    references: tuple[Reference, ...] = ()
    #: (record id, resolved entity id) of the actors resolution merged, sorted
    same: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """One record a link rests on: its id, schema and what it says (role, property)."""

    record: str
    schema: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    schema: str
    caption: str
    #: the record ids merged into this node (itself alone without resolution)
    records: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """An undirected link between two nodes (``a < b``): its kinds and evidence."""

    a: str
    b: str
    kinds: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def weight(self) -> int:
        """How many records support the link."""
        return len(self.evidence)


@dataclass(frozen=True)
class LinkGraph:
    """Nodes by id, and links sorted by their ends (one per pair of nodes)."""

    nodes: Mapping[str, Node]
    links: tuple[Link, ...]
    #: objects left out because too many actors share them (id → actors attached)
    crowded: Mapping[str, int] = field(default_factory=dict)

    def link(self, x: str, y: str) -> Link | None:
        a, b = sorted((x, y))
        return self._by_pair.get((a, b))

    def neighbours(self) -> dict[str, list[str]]:
        """Each node's neighbours, sorted (every node present, isolated ones too)."""
        out: dict[str, list[str]] = {n: [] for n in self.nodes}
        for link in self.links:
            out[link.a].append(link.b)
            out[link.b].append(link.a)
        for values in out.values():
            values.sort()
        return out

    @cached_property
    def _by_pair(self) -> dict[tuple[str, str], Link]:
        return {(link.a, link.b): link for link in self.links}


def build_graph(facts: Facts, same: Mapping[str, str] | None = None) -> LinkGraph:
    """The actor graph of ``facts``; ``same``: record id → resolved entity id (by
    default the facts' own, :attr:`Facts.same`)."""
    same = dict(facts.same) if same is None else same
    schema = {e.id: e.schema for e in facts.entities}
    node_of = {e.id: same.get(e.id, e.id) for e in facts.entities if e.schema in ACTORS}
    nodes = _nodes(facts.entities, node_of)
    # a pair's kinds and evidence: a tuple while one fact supports it (most pairs), lists
    # once a second one does
    pairs: dict[tuple[str, str], Any] = {}
    attached: dict[str, dict[str, set[Evidence]]] = defaultdict(lambda: defaultdict(set))

    def add(x: str, y: str, kind: str, evidence: tuple[Evidence, ...]) -> None:
        if x == y:
            return
        key = (x, y) if x < y else (y, x)
        entry = pairs.get(key)
        if entry is None:
            pairs[key] = (kind, evidence)
        elif type(entry) is tuple:
            pairs[key] = [[entry[0], kind], [*entry[1], *evidence]]
        else:
            entry[0].append(kind)
            entry[1].extend(evidence)

    def attach(actor: str, thing: str, evidence: Evidence) -> None:
        attached[thing][node_of[actor]].add(evidence)

    for rel in facts.relationships:
        source, target = node_of.get(rel.source), node_of.get(rel.target)
        if source is not None and target is not None:
            add(source, target, RELATIONS.get(rel.schema) or rel.schema.lower(),
                (Evidence(rel.id, rel.schema, rel.role),))
        elif source is not None and schema.get(rel.target) in OBJECTS:
            attach(rel.source, rel.target, Evidence(rel.id, rel.schema, rel.role))
        elif target is not None and schema.get(rel.source) in OBJECTS:
            attach(rel.target, rel.source, Evidence(rel.id, rel.schema, rel.role))
    for ref in facts.references:
        for actor, thing in ((ref.holder, ref.target), (ref.target, ref.holder)):
            if actor in node_of and schema.get(thing) in OBJECTS:
                attach(actor, thing, Evidence(ref.holder, schema[ref.holder], ref.prop))
    crowded: dict[str, int] = {}
    for thing in sorted(attached):
        holders = attached[thing]
        if len(holders) > CROWD:
            crowded[thing] = len(holders)
            continue
        kind = OBJECTS[schema[thing]]
        shared = Evidence(thing, schema[thing], kind)
        for x, y in combinations(sorted(holders), 2):
            add(x, y, kind, (shared, *(e for e in (*holders[x], *holders[y])
                                       if e.record != thing)))
    links = []
    for key in sorted(pairs):
        kinds, found = pairs[key]
        if type(kinds) is str and len(found) == 1:  # one fact, one record: nothing to sort
            links.append(Link(key[0], key[1], (kinds,), found))
        else:
            links.append(Link(key[0], key[1], _once([kinds] if type(kinds) is str else kinds),
                              _once(found)))
    return LinkGraph(nodes, tuple(links), crowded)


def _once(items: Iterable[Any]) -> tuple[Any, ...]:
    """Sorted, each once."""
    return tuple(sorted(set(items)))


def _nodes(entities: Iterable[Entity], node_of: Mapping[str, str]) -> dict[str, Node]:
    members: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        if entity.id in node_of:
            members[node_of[entity.id]].append(entity)
    out: dict[str, Node] = {}
    for node_id in sorted(members):
        group = sorted(members[node_id], key=lambda e: e.id)
        named = next((e for e in group if e.id == node_id), group[0])
        out[node_id] = Node(node_id, named.schema, named.caption, tuple(e.id for e in group))
    return out
