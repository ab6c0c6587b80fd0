"""Which STIX object each tearline schema becomes (decided by the record alone).

The STIX type of a record depends only on its schema, never on other records in the
batch or on its values, so that a record keeps one STIX id across pulls. Whether a
person or an organization is *also* a criminal threat actor does depend on the batch
(who is a member of which trafficking organization): that view is emitted as a
separate, derived ``threat-actor`` object ``attributed-to`` the record's ``identity``,
as STIX 2.1 models a threat actor whose real identity is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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


@dataclass(frozen=True, slots=True)
class SchemaInfo:
    """Everything the mapping asks of one schema, worked out once.

    An export asks these questions for every record (and a model lookup alone costs
    more than building a statement's payload); the answers depend on the schema
    name and the model only.
    """

    stix_type: str
    identity_class: str
    edge_ends: tuple[str, str] | None
    entity_props: frozenset[str]
    caption: tuple[str, ...]
    featured: tuple[str, ...]


@lru_cache(maxsize=1024)
def _info(model: Any, schema_name: str) -> SchemaInfo:
    # Keyed by the model too: a test (or a reload) that builds a new model gets
    # answers from it, not from the one before.
    schema = model.get(schema_name)
    if schema is None:
        return SchemaInfo("note", "organization", None, frozenset(), (), ())
    ends = None
    if schema.edge and schema.edge_source and schema.edge_target:
        ends = (str(schema.edge_source), str(schema.edge_target))
    kind = "relationship" if ends is not None else next(
        (k for ancestor, k in _BY_ANCESTOR if schema.is_a(ancestor)),
        "note")  # Sanction, Note, Document, …: a note about the entities it names
    return SchemaInfo(
        stix_type=kind,
        identity_class="individual" if schema.is_a("Person") else "organization",
        edge_ends=ends,
        entity_props=frozenset(n for n, p in schema.properties.items()
                               if p.type.name == "entity"),
        caption=tuple(schema.caption),
        featured=tuple(schema.featured),
    )


def info(schema_name: str) -> SchemaInfo:
    return _info(get_model(), schema_name)


def stix_type(schema_name: str) -> str:
    """The STIX type a record of this schema is emitted as."""
    return info(schema_name).stix_type


def relationship_type(schema_name: str) -> str:
    return RELATIONSHIP_TYPES.get(schema_name, "related-to")


def identity_class(schema_name: str) -> str:
    return info(schema_name).identity_class


@lru_cache(maxsize=4096)
def is_criminal_topic(topic: str) -> bool:
    return any(topic == t or topic.startswith(t + ".") for t in CRIMINAL_TOPICS)


def edge_ends(schema_name: str) -> tuple[str, str] | None:
    return info(schema_name).edge_ends


def entity_props(schema_name: str) -> frozenset[str]:
    return info(schema_name).entity_props
