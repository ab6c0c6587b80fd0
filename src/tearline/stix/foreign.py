"""Standard STIX from other platforms → records, where a tearline schema fits.

=================  ==============================================================
STIX object        record
=================  ==============================================================
identity           ``Person`` (``identity_class`` individual) or ``Organization``
                   (organization); other classes are skipped
threat-actor       ``Person`` when ``resource_level`` is individual, otherwise
                   ``Organization``; ``criminal``/``crime-syndicate`` → topic crime
location           ``Address``
relationship       ``Membership``, ``Associate``, ``Family``, … for tearline's own
                   relationship types, otherwise ``UnknownLink`` with the type as
                   its role; only between objects that map to records
report, note       ``Note`` naming the mapped objects it refers to
anything else      skipped, with the reason (indicators, malware, patterns, SCOs…)
=================  ==============================================================

Provenance: a ``created_by_ref`` that is the identity of an agency this node knows
makes that agency the originator (and author); anything else is attributed to
the origin ``external``. Grading is F6 (cannot be judged). Marking: the TLP level
of ``object_marking_refs`` (TLP 2.0 or 1.0 ids; the strictest if several), and
AMBER+STRICT when there is none, the safe default; a granular marking on a mapped
property becomes that statement's portion marking when it is not wider.
The record id is the STIX id; references to tearline objects in the same bundle
use their entity ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from tearline.errors import InputError
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import Record, build_record
from tearline.model.statement import Provenance, StatementKeyer
from tearline.stix.extensions import RECORD_EXTENSION_ID, TEARLINE_IDENTITY_ID
from tearline.stix.ids import agency_identity_id, parse_time
from tearline.stix.kinds import SCHEMA_BY_RELATIONSHIP, edge_ends
from tearline.stix.markings import DEFAULT_FOREIGN, read_marking

EXTERNAL = "external"
_META = {"marking-definition", "extension-definition", "language-content"}
_ENDS = {"identity", "threat-actor", "location"}


@dataclass(frozen=True, slots=True)
class ForeignContext:
    agency_of: Mapping[str, str]  # identity id → agency id
    markings: Mapping[str, Marking]
    entity_of: Mapping[str, str]  # STIX id of a tearline object → its entity id
    silent: frozenset[str]  # identities that are tearline's own bookkeeping
    keyer: StatementKeyer  # the statement ids' (the receiving store's)

    @classmethod
    def of(cls, objects: Iterable[Mapping[str, Any]], agencies: Iterable[str],
           markings: Mapping[str, Marking], keyer: StatementKeyer) -> ForeignContext:
        objects = list(objects)
        entity_of: dict[str, str] = {}
        silent = {TEARLINE_IDENTITY_ID}
        for obj in objects:
            ext = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
            if isinstance(ext, Mapping) and isinstance(ext.get("entity_id"), str):
                entity_of[obj["id"]] = ext["entity_id"]
                if isinstance(obj.get("created_by_ref"), str):
                    silent.add(obj["created_by_ref"])
        agency_of = {agency_identity_id(a): a for a in agencies}
        return cls(agency_of, markings, entity_of, frozenset(silent | set(agency_of)), keyer)


def _texts(*values: object) -> list[str]:
    out: list[str] = []
    for value in values:
        items = value if isinstance(value, list) else [value]
        out.extend(str(v) for v in items if isinstance(v, str | int | float) and str(v).strip())
    return out


def _props(obj: Mapping[str, Any], ctx: ForeignContext
           ) -> tuple[str, dict[str, list[str]], dict[str, str]] | str:
    """(schema, FtM properties, STIX property → FtM property) or the reason to skip."""
    kind = obj["type"]
    if kind == "identity":
        cls = obj.get("identity_class", "unknown")
        if cls not in ("individual", "organization"):
            return f"identity_class {cls!r} has no tearline schema"
        schema = "Person" if cls == "individual" else "Organization"
        props = {"name": _texts(obj.get("name")), "description": _texts(obj.get("description"))}
        return schema, props, {"name": "name", "description": "description"}
    if kind == "threat-actor":
        person = obj.get("resource_level") == "individual"
        types = set(obj.get("threat_actor_types") or [])
        props = {"name": _texts(obj.get("name")), "alias": _texts(obj.get("aliases")),
                 "description": _texts(obj.get("description")),
                 "topics": ["crime"] if types & {"criminal", "crime-syndicate"} else []}
        return ("Person" if person else "Organization"), props, {
            "name": "name", "aliases": "alias", "description": "description"}
    if kind == "location":
        props = {"full": _texts(obj.get("street_address") or obj.get("name")),
                 "city": _texts(obj.get("city")), "postalCode": _texts(obj.get("postal_code")),
                 "region": _texts(obj.get("administrative_area")),
                 "country": _texts(str(obj.get("country", "")).lower()),
                 "latitude": _texts(obj.get("latitude")),
                 "longitude": _texts(obj.get("longitude")),
                 "description": _texts(obj.get("description"))}
        return "Address", props, {"street_address": "full", "name": "full", "city": "city",
                                  "country": "country", "description": "description"}
    if kind == "relationship":
        source, target = obj.get("source_ref", ""), obj.get("target_ref", "")
        for end in (source, target):
            if end not in ctx.entity_of and str(end).split("--")[0] not in _ENDS:
                return f"relationship end {end} is not mapped to a record"
        ends = [ctx.entity_of.get(e, e) for e in (source, target)]
        rtype = str(obj.get("relationship_type", ""))
        schema = SCHEMA_BY_RELATIONSHIP.get(rtype, "UnknownLink")
        src_prop, dst_prop = edge_ends(schema) or ("subject", "object")
        props = {src_prop: [ends[0]], dst_prop: [ends[1]],
                 "description": _texts(obj.get("description"))}
        if schema == "UnknownLink":
            props["role"] = [rtype]
        return schema, props, {"description": "description"}
    if kind in ("report", "note"):
        refs = [ctx.entity_of.get(r, r) for r in obj.get("object_refs") or []
                if r in ctx.entity_of or str(r).split("--")[0] in _ENDS]
        name = obj.get("name") or obj.get("abstract")
        props = {"name": _texts(name), "entity": refs,
                 "description": _texts(obj.get("description") or obj.get("content"))}
        return "Note", props, {"name": "name", "abstract": "name", "description": "description",
                               "content": "description"}
    return f"STIX type {kind!r} has no tearline mapping"


def _portions(obj: Mapping[str, Any], ctx: ForeignContext, marking: Marking,
              fields: Mapping[str, str]) -> dict[str, Marking]:
    refs: dict[str, list[str]] = {}
    for granular in obj.get("granular_markings") or []:
        for selector in granular.get("selectors") or []:
            if selector in fields and isinstance(granular.get("marking_ref"), str):
                refs.setdefault(fields[selector], []).append(granular["marking_ref"])
    out: dict[str, Marking] = {}
    for prop, prop_refs in refs.items():
        portion = read_marking(prop_refs, ctx.markings)
        if portion is not None and portion.is_narrower_or_equal(marking):
            out[prop] = portion
    return out


def map_foreign(obj: Mapping[str, Any], ctx: ForeignContext) -> tuple[Record | None, str | None]:
    """The record for one foreign object, or ``None`` and why (``None`` when not worth saying)."""
    if obj["type"] in _META or obj["id"] in ctx.silent:
        return None, None
    mapped = _props(obj, ctx)
    if isinstance(mapped, str):
        return None, mapped
    schema, props, fields = mapped
    origin = ctx.agency_of.get(str(obj.get("created_by_ref")), EXTERNAL)
    try:
        created = parse_time(obj.get("created"))
        modified = parse_time(obj.get("modified", obj.get("created")))
    except ValueError as exc:
        return None, f"bad timestamp: {exc}"
    marking = read_marking(obj.get("object_marking_refs") or [], ctx.markings) or DEFAULT_FOREIGN
    provenance = Provenance(origin, origin, modified, Reliability.F, Credibility.CANNOT_JUDGE)
    try:
        record = build_record(obj["id"], schema, {k: v for k, v in props.items() if v},
                              provenance, marking, _portions(obj, ctx, marking, fields),
                              keyer=ctx.keyer)
    except InputError as exc:
        return None, "; ".join(p.message for p in exc.problems) or exc.message
    return replace(record, created_at=created, modified_at=modified), None
