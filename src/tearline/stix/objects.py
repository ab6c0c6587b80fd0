"""The standard STIX properties of one record's object, and the statements they come from.

What a consumer that ignores the tearline extension sees: a ``name`` (the record's
caption), a ``description`` listing the schema's featured values, and the few typed
properties STIX has for the type (``identity_class``; ``country``, ``latitude``,
``longitude``, ``city``, ``street_address``, ``postal_code`` of a location;
``relationship_type``, ``source_ref``, ``target_ref`` of a relationship; ``content``
and ``object_refs`` of a note). ``sources`` names, per property, the statements it
was built from, so that a stricter portion marking also marks that property.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tearline.model.record import Record
from tearline.model.statement import Statement
from tearline.stix import kinds
from tearline.stix.ids import agency_identity_id
from tearline.stix.wire import ordered

Resolve = Callable[[str], "str | None"]


@dataclass
class Built:
    stix_type: str
    props: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, list[Statement]] = field(default_factory=dict)

    def put(self, prop: str, value: Any, stmts: list[Statement]) -> None:
        self.props[prop] = value
        if stmts:
            self.sources[prop] = stmts


def _first(stmts: list[Statement], *props: str) -> Statement | None:
    for prop in props:
        for stmt in stmts:
            if stmt.prop == prop:
                return stmt
    return None


def _name(record: Record, stmts: list[Statement], built: Built) -> None:
    schema = kinds.schema_of(record.schema)
    caption = list(schema.caption) if schema is not None else []
    stmt = _first(stmts, *caption, "name")
    built.put("name", stmt.value if stmt else record.id, [stmt] if stmt else [])


def _description(record: Record, stmts: list[Statement], built: Built, key: str) -> None:
    schema = kinds.schema_of(record.schema)
    featured = [p for p in (schema.featured if schema is not None else []) if p != "name"]
    used = [s for p in featured for s in stmts if s.prop == p]
    if used:
        text = "; ".join(f"{s.prop}: {s.value}" for s in used)
        built.put(key, f"{record.schema}. {text}", used)
    elif key == "content":
        built.put(key, f"{record.schema} {built.props.get('name', record.id)}", [])


def _location(stmts: list[Statement], built: Built) -> None:
    country = _first(stmts, "country")
    if country is not None and len(country.value) == 2:
        built.put("country", country.value.upper(), [country])
    lat, lon = _first(stmts, "latitude"), _first(stmts, "longitude")
    if lat is not None and lon is not None:
        try:
            built.put("latitude", max(-90.0, min(90.0, float(lat.value))), [lat])
            built.put("longitude", max(-180.0, min(180.0, float(lon.value))), [lon])
        except ValueError:
            built.props.pop("latitude", None)
    for prop, stix_prop in (("city", "city"), ("street", "street_address"),
                            ("postalCode", "postal_code"), ("region", "administrative_area")):
        stmt = _first(stmts, prop)
        if stmt is not None:
            built.put(stix_prop, stmt.value, [stmt])
    if not ({"country", "latitude"} & set(built.props)):
        # STIX requires a region, a country or coordinates; an address without any
        # is placed in the "unknown" region rather than dropped.
        built.put("region", "unknown", [])


def build_object(record: Record, resolve: Resolve) -> Built | None:
    """The standard part of the record's STIX object; ``None`` if an edge end is unknown."""
    stmts = ordered(record)
    built = Built(kinds.stix_type(record.schema))
    ends = kinds.edge_ends(record.schema)
    if ends is not None:
        source, target = _first(stmts, ends[0]), _first(stmts, ends[1])
        source_ref = resolve(source.value) if source else None
        target_ref = resolve(target.value) if target else None
        if source is None or target is None or source_ref is None or target_ref is None:
            return None
        built.put("relationship_type", kinds.relationship_type(record.schema), [])
        built.put("source_ref", source_ref, [source])
        built.put("target_ref", target_ref, [target])
        _description(record, [s for s in stmts if s.prop not in ends], built, "description")
        return built
    _name(record, stmts, built)
    if built.stix_type == "identity":
        built.put("identity_class", kinds.identity_class(record.schema), [])
    if built.stix_type == "location":
        _location(stmts, built)
    if built.stix_type == "note":
        _description(record, stmts, built, "content")
        refs = kinds.entity_props(record.schema)
        targets = [(s, resolve(s.value)) for s in stmts if s.prop in refs]
        found = [(s, ref) for s, ref in targets if ref is not None]
        if found:
            built.put("object_refs", sorted({ref for _, ref in found}), [s for s, _ in found])
        else:  # a note must refer to something: the originating agency's identity
            built.put("object_refs", [agency_identity_id(record.originator)], [])
        built.put("abstract", built.props.pop("name"), built.sources.pop("name", []))
    else:
        _description(record, stmts, built, "description")
    return built
