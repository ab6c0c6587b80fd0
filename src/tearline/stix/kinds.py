"""Which STIX object each tearline schema becomes (decided by the record alone).

The STIX type of a record depends only on its schema, never on other records in the
batch or on its values, so that a record keeps one STIX id across pulls. Whether a
person or an organization is *also* a criminal threat actor does depend on the batch
(who is a member of which trafficking organization): that view is emitted as a
separate, derived ``threat-actor`` object ``attributed-to`` the record's ``identity``,
as STIX 2.1 models a threat actor whose real identity is known.
"""

from __future__ import annotations

from typing import Any

from tearline.model.schema import get_model

#: Schema (or the schema it extends) → STIX type, first match wins.
_BY_ANCESTOR: tuple[tuple[str, str], ...] = (
    ("LegalEntity", "identity"),
    ("Address", "location"),
    ("Seizure", "incident"),
    ("Event", "incident"),
    ("Operation", "course-of-action"),
    ("Lab", "infrastructure"),
    ("Phone", "infrastructure"),
    ("Asset", "infrastructure"),  # Vehicle, Vessel, Airplane, BankAccount, RealEstate, …
)

#: Relationship schema → STIX ``relationship_type`` (STIX allows any lower-case
#: hyphenated word; ``related-to`` is STIX's own generic type).
RELATIONSHIP_TYPES: dict[str, str] = {
    "Membership": "member-of",
    "Associate": "associate-of",
    "Family": "family-of",
    "UnknownLink": "related-to",
    "Ownership": "owns",
    "Directorship": "director-of",
    "Employment": "employed-by",
    "Representation": "represents",
    "Succession": "succeeded-by",
    "Occupancy": "holds-position",
}
SCHEMA_BY_RELATIONSHIP: dict[str, str] = {v: k for k, v in RELATIONSHIP_TYPES.items()}

#: FollowTheMoney topics that mark a person or organization as criminal.
CRIMINAL_TOPICS = ("crime", "sanction")


def schema_of(name: str) -> Any:
    return get_model().get(name)


def stix_type(schema_name: str) -> str:
    """The STIX type a record of this schema is emitted as."""
    schema = schema_of(schema_name)
    if schema is None:
        return "note"
    if schema.edge and schema.edge_source and schema.edge_target:
        return "relationship"
    for ancestor, kind in _BY_ANCESTOR:
        if schema.is_a(ancestor):
            return kind
    return "note"  # Sanction, Note, Document, …: a note about the entities it names


def relationship_type(schema_name: str) -> str:
    return RELATIONSHIP_TYPES.get(schema_name, "related-to")


def identity_class(schema_name: str) -> str:
    schema = schema_of(schema_name)
    return "individual" if schema is not None and schema.is_a("Person") else "organization"


def is_criminal_topic(topic: str) -> bool:
    return any(topic == t or topic.startswith(t + ".") for t in CRIMINAL_TOPICS)


def edge_ends(schema_name: str) -> tuple[str, str] | None:
    schema = schema_of(schema_name)
    if schema is None or not (schema.edge and schema.edge_source and schema.edge_target):
        return None
    return str(schema.edge_source), str(schema.edge_target)


def entity_props(schema_name: str) -> frozenset[str]:
    schema = schema_of(schema_name)
    if schema is None:
        return frozenset()
    return frozenset(n for n, p in schema.properties.items() if p.type.name == "entity")
