"""tearline's STIX 2.1 extension definitions and the identity that publishes them.

Two property-extensions (STIX 2.1 section 7.3), both created by the fixed tearline
identity and versioned ``1.0.0``; their ``schema`` property holds the normative JSON
Schema text itself, so a peer can check an object without fetching anything:

* :data:`MARKING_EXTENSION_ID` on a ``marking-definition``: the tearline marking
  (TLP level, ``releasable_to`` selectors, ORCON, legal basis, caveats, expiry);
* :data:`RECORD_EXTENSION_ID` on every object tearline emits: the full record
  (schema, originator, author, version, synthetic flag, timestamps and every
  statement with its provenance and grading), or, on an object derived from a
  record for foreign consumers, only ``derived_from`` (the record's entity id).

No new-SDO extension is defined: see the package docstring for why.
"""

from __future__ import annotations

import json
from typing import Any

from tearline.stix.ids import EPOCH, format_time, stix_id

EXTENSION_VERSION = "1.0.0"
TEARLINE_IDENTITY_ID = stix_id("identity", "tearline")
RECORD_EXTENSION_ID = stix_id("extension-definition", "tearline:record:1")
MARKING_EXTENSION_ID = stix_id("extension-definition", "tearline:marking:1")

_TIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"}
_PARTY = {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$"}
_ENTITY = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"}

STATEMENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "prop", "value", "origin", "author", "reliability", "credibility",
                 "first_seen", "last_seen"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "schema": {"type": "string", "description": "only when it differs from the record's"},
        "prop": {"type": "string", "minLength": 1},
        "value": {"type": "string", "minLength": 1, "maxLength": 65536},
        "original_value": {"type": "string"},
        "origin": {"type": "string", "minLength": 1},
        "author": {"type": "string", "minLength": 1},
        "reliability": {"enum": ["A", "B", "C", "D", "E", "F"]},
        "credibility": {"enum": ["1", "2", "3", "4", "5", "6"]},
        "first_seen": _TIME,
        "last_seen": _TIME,
    },
}

RECORD_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "tearline record (STIX 2.1 property-extension)",
    "description": (
        "The full tearline record behind a STIX object. A statement's portion marking "
        "travels as a granular marking whose selector is "
        "extensions.<this extension id>.statements.<index>."
    ),
    "type": "object",
    "required": ["extension_type"],
    "properties": {"extension_type": {"const": "property-extension"}},
    "oneOf": [
        {
            "required": ["entity_id", "schema", "originator", "author", "version",
                         "synthetic", "retracted", "statements"],
            "properties": {
                "extension_type": {"const": "property-extension"},
                "entity_id": _ENTITY,
                "schema": {"type": "string", "minLength": 1},
                "originator": _PARTY,
                "author": _PARTY,
                "version": {"type": "integer", "minimum": 1},
                "synthetic": {"type": "boolean"},
                "retracted": {"type": "boolean"},
                "created_at": _TIME,
                "modified_at": _TIME,
                "extra": {"type": "object"},
                "statements": {"type": "array", "items": STATEMENT_SCHEMA, "minItems": 1},
                # the recipient's copy mark (docs/trace.md); readers ignore it
                "copy": {"type": "string",
                         "pattern": "^TL-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$"},
            },
            "additionalProperties": False,
        },
        {
            "required": ["derived_from"],
            "properties": {"extension_type": {"const": "property-extension"},
                           "derived_from": _ENTITY},
            "additionalProperties": False,
        },
    ],
}

MARKING_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "tearline marking (STIX 2.1 property-extension on marking-definition)",
    "description": (
        "A tearline dissemination control. Objects carrying it also carry the standard "
        "TLP 2.0 marking-definition of the same level."
    ),
    "type": "object",
    "required": ["extension_type", "tlp", "orcon"],
    "additionalProperties": False,
    "properties": {
        "extension_type": {"const": "property-extension"},
        "tlp": {"enum": ["clear", "green", "amber", "amber+strict", "red"]},
        "releasable_to": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^(agency|unit|vetted-by):[a-z][a-z0-9._-]*$"},
            "minItems": 1,
        },
        "orcon": {"type": "boolean"},
        "legal_basis": {"type": "string", "minLength": 1, "maxLength": 128},
        "caveats": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "expires_at": _TIME,
    },
}


def _schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def tearline_identity() -> dict[str, Any]:
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": TEARLINE_IDENTITY_ID,
        "created": format_time(EPOCH),
        "modified": format_time(EPOCH),
        "name": "tearline",
        "description": "The tearline project, publisher of the tearline STIX extensions.",
        "identity_class": "system",
    }


def _definition(ext_id: str, name: str, description: str,
                schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": ext_id,
        "created_by_ref": TEARLINE_IDENTITY_ID,
        "created": format_time(EPOCH),
        "modified": format_time(EPOCH),
        "name": name,
        "description": description,
        "schema": _schema_text(schema),
        "version": EXTENSION_VERSION,
        "extension_types": ["property-extension"],
    }


def record_extension_definition() -> dict[str, Any]:
    return _definition(
        RECORD_EXTENSION_ID,
        "tearline record",
        "The full tearline record (statements with provenance, grading and portion "
        "markings) behind a STIX object, so that tearline nodes round-trip losslessly.",
        RECORD_SCHEMA,
    )


def marking_extension_definition() -> dict[str, Any]:
    return _definition(
        MARKING_EXTENSION_ID,
        "tearline marking",
        "A tearline dissemination control: releasable_to selectors, ORCON, legal basis, "
        "handling caveats and expiry, on top of the TLP 2.0 level.",
        MARKING_SCHEMA,
    )


def fixed_objects() -> list[dict[str, Any]]:
    """The identity and extension definitions every tearline bundle carries."""
    return [tearline_identity(), record_extension_definition(), marking_extension_definition()]
