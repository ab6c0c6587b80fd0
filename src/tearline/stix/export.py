"""Records → a STIX 2.1 bundle.

The caller passes records ALREADY TEAR-LINED for the recipient (the policy's
``Evaluator.tear_line`` or the store's policy-filtered reads): this module never
decides visibility, it only translates what it is given.

Each record becomes one STIX object (its type chosen by :mod:`tearline.stix.kinds`)
with a deterministic id, ``created``/``modified`` from the record, ``created_by_ref``
the originating agency's identity, ``object_marking_refs`` the record's marking, the
full record in the record extension, and one granular marking per portion marking,
whose selectors name the statement (and any standard property built from it); for a
consumer that ignores granular markings, :mod:`tearline.stix.standard`. Derived
objects follow: a ``threat-actor`` ``attributed-to`` each criminal person or
organization, a ``relationship`` per entity reference inside a record; they carry
only ``derived_from`` and every marking of the records they come from.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tearline.errors import Problem, tr
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.statement import Statement
from tearline.stix import kinds, standard
from tearline.stix.extensions import RECORD_EXTENSION_ID, fixed_objects
from tearline.stix.ids import (
    EPOCH,
    NAMESPACE,
    agency_identity_id,
    entity_key,
    format_time,
    stix_id,
)
from tearline.stix.markings import marking_id, marking_objects, marking_refs
from tearline.stix.objects import Built, build_object
from tearline.stix.wire import ordered, record_payload


@dataclass(frozen=True, slots=True)
class Export:
    """A bundle, and the records that could not be mapped (with the reason)."""

    bundle: dict[str, Any]
    skipped: tuple[Problem, ...] = ()


def object_id(record_id: str, schema: str) -> str:
    return stix_id(kinds.stix_type(schema), entity_key(record_id))


_SELECTOR_HEAD = f"extensions.{RECORD_EXTENSION_ID}.statements.["


def _selector(index: int) -> str:
    return f"{_SELECTOR_HEAD}{index}]"


def _granular(stmts: list[Statement], built: Built) -> list[dict[str, Any]]:
    selectors: dict[str, set[str]] = {}
    for index, stmt in enumerate(stmts):
        if stmt.marking is None:
            continue
        for ref in marking_refs(stmt.marking):
            selectors.setdefault(ref, set()).add(_selector(index))
    for prop, sources in built.sources.items():
        for stmt in sources:
            if stmt.marking is not None:
                for ref in marking_refs(stmt.marking):
                    selectors.setdefault(ref, set()).add(prop)
    return [{"marking_ref": ref, "selectors": sorted(sel)} for ref, sel in
            sorted(selectors.items())]


def _derived(record: Record) -> dict[str, Any]:
    """The extension of an object without statements (skipped when read back)."""
    return {"extension_type": "property-extension", "derived_from": record.id}


def _effective(record: Record, stmt: Statement | None = None) -> list[Marking]:
    out = [record.marking]
    if stmt is not None and stmt.marking is not None:
        out.append(stmt.marking)
    return out


def _refs(markings: Iterable[Marking]) -> list[str]:
    return sorted({ref for m in markings for ref in marking_refs(m)})


def _common(record: Record, stix_type: str, sid: str) -> dict[str, Any]:
    created = record.created_at or min(s.first_seen for s in record.statements)
    modified = max(record.modified_at or created, created)
    return {
        "type": stix_type,
        "spec_version": "2.1",
        "id": sid,
        "created_by_ref": agency_identity_id(record.originator),
        "created": format_time(created),
        "modified": format_time(modified),
    }


class _Exporter:
    def __init__(self, records: list[Record], refs: Mapping[str, str], granular: bool) -> None:
        self.records = records
        self.granular = granular
        self.by_id = {r.id: r for r in records}
        self.schemata = {**refs, **{r.id: r.schema for r in records}}
        self.objects: dict[str, dict[str, Any]] = {}
        self.markings: dict[str, Marking] = {}
        self.agencies: set[str] = set()
        self.skipped: list[Problem] = []
        #: entity id → its object's id: each record is named by itself, by the
        #: relationships and references to it and by its threat actor.
        self.sids: dict[str, str] = {}

    def resolve(self, entity_id: str) -> str | None:
        sid = self.sids.get(entity_id)
        if sid is None:
            schema = self.schemata.get(entity_id)
            if schema is None:
                return None
            sid = self.sids[entity_id] = object_id(entity_id, schema)
        return sid

    def own_id(self, record: Record) -> str:
        """The id of the record's object (the one ``resolve`` gives, unless the batch
        holds another record of the same id with another schema)."""
        if self.schemata.get(record.id) == record.schema:
            sid = self.resolve(record.id)
            assert sid is not None
            return sid
        return object_id(record.id, record.schema)

    def add(self, obj: dict[str, Any], markings: Iterable[Marking]) -> None:
        for m in markings:
            self.markings[marking_id(m)] = m
        self.objects[obj["id"]] = obj

    def record(self, record: Record) -> None:
        part = standard.Split(record, (), ()) if self.granular else standard.split(record)
        built, stmts = build_object(shown := part.shown, self.resolve), ordered(part.shown)
        if built is None:
            self.skipped.append(Problem(
                tr(
                    "{schema} {id}: an end of the relationship is neither in the batch nor among "
                    "the known references", schema=record.schema, id=record.id), column=record.id))
            return
        if not self.granular and (why := standard.unsent(record, built.stix_type, self.by_id)):
            self.skipped.append(why)
            return
        obj = _common(record, built.stix_type, sid := self.own_id(record))
        obj.update(built.props)
        obj["object_marking_refs"] = (_refs([record.marking, *part.raised]) if part.raised
                                      else marking_refs(record.marking))
        granular = _granular(stmts, built)
        if granular:
            obj["granular_markings"] = granular
        obj["extensions"] = {RECORD_EXTENSION_ID: record_payload(shown) if shown.statements
                             else _derived(record)}
        self.agencies.add(record.originator)
        self.add(obj, [record.marking, *part.raised] + [s.marking for s in stmts if s.marking])
        for stmt in part.alone if obj["type"] not in standard.UNSENT else ():
            self.portion(record, stmt, obj)
        self.derived_links(record, sid)

    def portion(self, record: Record, stmt: Statement, main: dict[str, Any]) -> None:
        """A portion as an object of its own, at least as strict as the portion."""
        markings = _effective(record, stmt)
        obj = _common(record, main["type"], stix_id(main["type"], f"portion:{stmt.id}"))
        obj.update(standard.portion_props(record, stmt, main))
        obj["object_marking_refs"] = _refs(markings)
        obj["extensions"] = {RECORD_EXTENSION_ID: _derived(record)}
        self.add(obj, markings)

    def derived_links(self, record: Record, sid: str) -> None:
        """A relationship for each entity reference inside a non-relationship record."""
        if kinds.edge_ends(record.schema):
            return
        props = kinds.entity_props(record.schema)
        for stmt in ordered(record):
            target = self.resolve(stmt.value) if stmt.prop in props else None
            if target is None:
                continue
            markings = _effective(record, stmt)
            obj = _common(record, "relationship", stix_id("relationship", f"prop:{stmt.id}"))
            obj.update(
                relationship_type=_kebab(stmt.prop),
                source_ref=sid,
                target_ref=target,
                object_marking_refs=_refs(markings),
                extensions={RECORD_EXTENSION_ID: {"extension_type": "property-extension",
                                                  "derived_from": record.id}},
            )
            self.add(obj, markings)

    def threat_actors(self) -> None:
        """A criminal ``threat-actor`` attributed to each criminal person or organization."""
        because: dict[str, list[tuple[Record, Statement | None]]] = {}
        for record in self.records:
            if kinds.stix_type(record.schema) != "identity":
                continue
            for stmt in record.statements:
                if stmt.prop == "topics" and kinds.is_criminal_topic(stmt.value):
                    because.setdefault(record.id, []).append((record, stmt))
        for record in self.records:  # members of criminal organizations
            if record.schema != "Membership":
                continue
            members, orgs = record.values("member"), record.values("organization")
            if any(o in because for o in orgs):
                for member in members:
                    person = self.by_id.get(member)
                    if person is not None and kinds.identity_class(person.schema) == "individual":
                        because.setdefault(member, []).append((record, None))
        for entity_id, reasons in sorted(because.items()):
            self.threat_actor(self.by_id[entity_id], reasons)

    def threat_actor(self, record: Record, reasons: list[tuple[Record, Statement | None]]) -> None:
        identity = self.own_id(record)
        markings = [m for rec, stmt in reasons for m in _effective(rec, stmt)]
        markings += _effective(record)
        source = self.objects.get(identity)
        if source is None:
            return
        person = kinds.identity_class(record.schema) == "individual"
        ta = _common(record, "threat-actor", stix_id("threat-actor", f"criminal:{record.id}"))
        ta.update(
            name=source["name"],
            threat_actor_types=["criminal" if person else "crime-syndicate"],
            resource_level="individual" if person else "organization",
            object_marking_refs=_refs(markings),
            extensions={RECORD_EXTENSION_ID: {"extension_type": "property-extension",
                                              "derived_from": record.id}},
        )
        name_marks = [g for g in source.get("granular_markings", []) if "name" in g["selectors"]]
        if name_marks:
            ta["granular_markings"] = [{"marking_ref": g["marking_ref"], "selectors": ["name"]}
                                       for g in name_marks]
        link = _common(record, "relationship", stix_id("relationship", f"attributed:{record.id}"))
        link.update(relationship_type="attributed-to", source_ref=ta["id"], target_ref=identity,
                    object_marking_refs=ta["object_marking_refs"],
                    extensions=ta["extensions"])
        self.add(ta, markings)
        self.add(link, markings)

    def bundle(self) -> dict[str, Any]:
        support: dict[str, dict[str, Any]] = {o["id"]: o for o in fixed_objects()}
        for agency in sorted(self.agencies):
            support[agency_identity_id(agency)] = agency_identity(agency)
        defs = {obj["id"]: obj for m in self.markings.values() for obj in marking_objects(m)}
        objects = list(support.values()) + [defs[k] for k in sorted(defs)]
        objects += [self.objects[k] for k in sorted(self.objects)]
        key = "\n".join(f"{o['id']}@{o.get('modified', o['created'])}" for o in objects)
        return {"type": "bundle", "id": f"bundle--{uuid.uuid5(NAMESPACE, key)}",
                "objects": objects}


def agency_identity(agency: str, name: str | None = None) -> dict[str, Any]:
    """The identity of an agency: ``created_by_ref`` of the records it originates."""
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": agency_identity_id(agency),
        "created": format_time(EPOCH),
        "modified": format_time(EPOCH),
        "name": name or agency,
        "identity_class": "organization",
        "sectors": ["government-public-services"],
        "description": f"tearline agency {agency}",
    }


@lru_cache(maxsize=1024)
def _kebab(prop: str) -> str:
    out = "".join("-" + c.lower() if c.isupper() else c for c in prop)
    return out.strip("-") or "related-to"


def to_stix(records: Iterable[Record], refs: Mapping[str, str] | None = None, *,
            granular: bool = True) -> Export:
    """Map tear-lined records to one STIX 2.1 bundle.

    ``granular=False`` (any consumer but a tearline node): each portion travels as an
    object of its own with its own object-level marking (:mod:`tearline.stix.standard`).

    ``refs`` maps entity ids referenced by the records but not among them to their
    schema (so a relationship to them gets the right STIX type); a relationship whose
    end is unknown is reported in :attr:`Export.skipped`, never guessed.
    """
    exporter = _Exporter(list(records), refs or {}, granular)
    for record in exporter.records:
        exporter.record(record)
    exporter.threat_actors()
    return Export(exporter.bundle(), tuple(exporter.skipped))
