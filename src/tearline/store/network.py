"""The facts of the link graph, read through the policy (``network/`` builds the graph).

Three queries fetch only statements the subject may see (``vis.statement``): the
entities that can be nodes or shared objects (with whether each has a visible value of
its own, and its caption candidates), the references between them, and the two ends
and the role of the relationship records (:data:`tearline.network.graph.RELATIONS`).

The actors resolution merged (:func:`resolved`) come from the judgements the viewer
may see about records that exist for it.

Existence at every depth (``store/existence.py``, ``docs/policy.md``) is then decided
over what was fetched, as the SQL predicate decides it, instead of one correlated walk
per row: an entity with a visible value of its own exists; a relationship exists when
both its ends have visible statements and every record they name exists (a
relationship naming a relationship is followed, and a cycle of relationships that
never reaches a standing record does not exist); a reference is shown when the entity
it names exists. Whatever the fetched rows do not settle — an end naming a record of
another schema, an entity made only of references — is asked of the SQL predicate
itself (:func:`tearline.store.reader.visible_entities`), so the answer is the
reader's on every record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Select, case, func, select

from tearline.model.schema import get_model
from tearline.network.graph import (
    ACTORS,
    OBJECTS,
    RELATIONS,
    Entity,
    Facts,
    Reference,
    Relationship,
)
from tearline.store import reader, resolve_judgements
from tearline.store import tables as t
from tearline.store.existence import relationship_ends
from tearline.store.references import is_reference
from tearline.store.visibility import Predicates, Visibility

NODE_SCHEMAS: tuple[str, ...] = tuple(sorted(ACTORS | set(OBJECTS)))
#: the properties of an entity that attach it to another (a phone's user, an address)
REFERENCES: tuple[str, ...] = ("addressEntity", "operator", "owner", "suspect", "user",
                               "vehicle")
ROLES: tuple[str, ...] = ("relationship", "role")
#: ids per query when looking records up by id
CHUNK = 5_000


@dataclass(frozen=True)
class NetworkRead:
    facts: Facts
    #: how many records the facts came from (entities and relationships)
    records: int


def _captions() -> dict[str, tuple[str, ...]]:
    model = get_model()
    return {name: tuple(model.get(name).caption) for name in NODE_SCHEMAS}


def read_network(conn: Connection, vis: Predicates) -> NetworkRead:
    """The subject's network facts: every entity, relationship and reference shown exists
    for it. (``vis``: the subject's :class:`~tearline.store.visibility.Visibility`; a
    benchmark passes predicates that are all true, to time the same reads without it.)"""
    captions = _captions()
    s, r = t.statements, t.records
    params = vis.params
    own = func.max(case((is_reference(r.c.schema, s.c.prop), 0), else_=1))
    entity_rows = _fetch(
        conn, select(r.c.id, r.c.schema, own.label("own"))
        .join(s, s.c.entity_id == r.c.id)
        .where(r.c.schema.in_(NODE_SCHEMAS), vis.record(r), vis.portion(s, r))
        .group_by(r.c.id, r.c.schema), params)
    wanted = sorted({p for props in captions.values() for p in props} | set(REFERENCES))
    value_rows = _fetch(
        conn, select(s.c.entity_id, s.c.prop, s.c.value)
        .join(r, r.c.id == s.c.entity_id)
        .where(r.c.schema.in_(NODE_SCHEMAS), s.c.prop.in_(wanted), vis.record(r),
               vis.portion(s, r)),
        params)
    ends = {name: relationship_ends()[name] for name in RELATIONS}
    end_props = sorted({p for pair in ends.values() for p in pair} | set(ROLES))
    edge_rows = _fetch(
        conn, select(s.c.entity_id, r.c.schema, s.c.prop, s.c.value)
        .join(r, r.c.id == s.c.entity_id)
        .where(r.c.schema.in_(list(RELATIONS)), s.c.prop.in_(end_props),
               vis.record(r), vis.portion(s, r)), params)

    schema = {entity_id: kind for entity_id, kind, _ in entity_rows}
    alone = {entity_id for entity_id, _, has_own in entity_rows if has_own}
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entity_id, prop, value in value_rows:
        values[entity_id][prop].append(value)
    edges: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for entity_id, kind, prop, value in edge_rows:
        edge = edges.get(entity_id)
        if edge is None:
            edges[entity_id] = (kind, {prop: [value]})
        elif prop in edge[1]:
            edge[1][prop].append(value)
        else:
            edge[1][prop] = [value]

    named = {v for e in edges.values() for p in ends[e[0]] for v in e[1].get(p, ())}
    named |= {v for props in values.values() for p in REFERENCES for v in props.get(p, ())}
    unknown = _unsettled(conn, named - alone - set(edges)) | (set(schema) - alone)
    exists = alone | reader.visible_entities(conn, vis, unknown)
    exists |= _standing_edges(edges, ends, exists)

    entities = tuple(Entity(i, schema[i], _caption(values.get(i, {}), captions[schema[i]]))
                     for i in sorted(schema) if i in exists)
    relationships = tuple(
        Relationship(rid, kind, a, b, min(props.get("role", props.get("relationship", [""]))))
        for rid, (kind, props) in ((i, edges[i]) for i in sorted(exists.intersection(edges)))
        for a in _sorted(props[ends[kind][0]]) for b in _sorted(props[ends[kind][1]]))
    references = tuple(
        Reference(holder, prop, target) for holder in sorted(values) if holder in exists
        for prop in REFERENCES for target in sorted(values[holder].get(prop, ()))
        if target in exists)
    return NetworkRead(Facts(entities, relationships, references),
                       len(entities) + len(relationships))


def _fetch(conn: Connection, query: Select[Any], params: dict[str, Any]
           ) -> list[tuple[Any, ...]]:
    """The query's rows as the driver's tuples: a million rows skip a million Row objects
    (plain strings and integers here, which need no conversion on either backend)."""
    result = conn.execute(query, params)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def resolved(conn: Connection, vis: Visibility, facts: Facts) -> Facts:
    """``facts`` with the actors merged that resolution says are one: the pairs whose
    latest judgement the viewer may see is ``match`` (``store/resolve_judgements.py``:
    a judgement it may see, about two records that exist for it). The model's own
    matches do not merge nodes: a false merge invents paths and brokers, so a node of
    the network is merged only by a person's decision."""
    from tearline.resolve.clusters import merged  # DuckDB and pyarrow: only when merging

    actors = {e.id for e in facts.entities if e.schema in ACTORS}
    matches = [pair for pair, j in resolve_judgements.visible(conn, vis).items()
               if j.judgement == "match" and pair[0] in actors and pair[1] in actors]
    return replace(facts, same=tuple(sorted(merged(matches).items())))


def _unsettled(conn: Connection, ids: set[str]) -> set[str]:
    """Of ``ids`` (named, and neither an entity the queries found standing nor a
    relationship they fetched), those whose existence only the SQL predicate can settle:
    records of other schemata. A record of the entities' or relationships' schemata that
    the queries did not return has no statement the subject may see, or is not visible
    itself, so it does not exist for the subject; an id of no record names nothing."""
    r = t.records
    kinds = set(NODE_SCHEMAS) | set(RELATIONS)
    found: set[str] = set()
    wanted = sorted(ids)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start:start + CHUNK]
        found.update(row.id for row in conn.execute(
            select(r.c.id).where(r.c.id.in_(chunk), r.c.schema.notin_(sorted(kinds)))))
    return found


def _standing_edges(edges: dict[str, tuple[str, dict[str, list[str]]]],
                    ends: dict[str, tuple[str, ...]], exists: set[str]) -> set[str]:
    """The relationships that exist: both ends visible, and no record reached through
    their ends (relationships followed, cycles included) that does not stand."""
    settled: set[str] = set()  # both ends name records already known to exist
    rests: dict[str, set[str]] = {}
    for rid, (kind, props) in edges.items():
        source, target = ends[kind]
        first, second = props.get(source), props.get(target)
        if not first or not second:
            continue
        if (first[0] in exists and second[0] in exists if len(first) == len(second) == 1
                else exists.issuperset(first) and exists.issuperset(second)):
            settled.add(rid)
        else:
            rests[rid] = {*first, *second}
    named_by: dict[str, set[str]] = defaultdict(set)
    falls: list[str] = []
    for rid, named in rests.items():
        for n in named:
            if n in exists or n in settled:
                continue
            if n in rests:
                named_by[n].add(rid)
            else:
                falls.append(rid)
    fallen = set(falls)
    while falls:
        for other in named_by.pop(falls.pop(), ()):
            if other not in fallen:
                fallen.add(other)
                falls.append(other)
    return settled | (set(rests) - fallen)


def _sorted(values: list[str]) -> list[str]:
    return values if len(values) == 1 else sorted(values)


def _caption(props: dict[str, list[str]], order: Iterable[str]) -> str:
    """The first caption property with a visible value, its smallest value."""
    for prop in order:
        if props.get(prop):
            return min(props[prop])
    return ""
