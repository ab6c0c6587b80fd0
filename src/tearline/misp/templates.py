"""Which MISP object template holds a record of each schema, and how values fit it.

MISP ships object templates for FollowTheMoney schemata (``ftm-<Schema>``, in PyMISP's
bundled ``misp-objects``) and a ``phone`` template; a record of such a schema becomes
an object of that template, each value an attribute named after its property (the
``ftm-*`` templates use FollowTheMoney's property names). tearline's own schemata get
templates shipped with tearline (``objects/``, MISP loads custom templates from a
folder). A record of a schema MISP has no template for becomes a ``tearline-record``
object. A value whose property the template lacks travels in a ``tearline-statement``
object of its own; an entity reference (a Membership's member, a Phone's user) is an
object reference.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pymisp

#: tearline's own templates (package data).
OWN_TEMPLATES = Path(__file__).parent / "objects"
#: PyMISP's bundled copy of MISP's object templates.
MISP_TEMPLATES = Path(pymisp.__file__).parent / "data" / "misp-objects" / "objects"

RECORD = "tearline-record"
STATEMENT = "tearline-statement"
#: Schemata of tearline's own, with templates of ours.
OWN_SCHEMATA = {"Seizure": "tearline-seizure", "Lab": "tearline-lab",
                "Operation": "tearline-operation"}
#: Phone property → ``phone`` template relation (the template has no ``number`` or
#: ``carrier``: a number is its MSISDN; a carrier travels as a statement object).
PHONE_RELATIONS = {"number": "msisdn", "imei": "imei"}
PHONE_PROPS = {v: k for k, v in PHONE_RELATIONS.items()}


def folder(name: str) -> Path:
    """The folder holding template ``name`` (ours, else MISP's)."""
    return OWN_TEMPLATES if (OWN_TEMPLATES / name).is_dir() else MISP_TEMPLATES


@lru_cache(maxsize=256)
def definition(name: str) -> dict[str, Any] | None:
    """Template ``name``'s definition, or ``None`` if neither MISP nor tearline has it."""
    path = folder(name) / name / "definition.json"
    if not path.is_file():
        return None
    found: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return found


def template_for(schema: str) -> str:
    """The template a record of ``schema`` is an object of."""
    if schema in OWN_SCHEMATA:
        return OWN_SCHEMATA[schema]
    if schema == "Phone":
        return "phone"
    name = f"ftm-{schema}"
    return name if definition(name) is not None else RECORD


@lru_cache(maxsize=256)
def schema_of(template: str) -> str | None:
    """The schema whose records are objects of ``template`` (``None``: no single one)."""
    for schema, name in OWN_SCHEMATA.items():
        if name == template:
            return schema
    if template == "phone":
        return "Phone"
    if template.startswith("ftm-") and definition(template) is not None:
        return template.removeprefix("ftm-")
    return None


def relation(template: str, prop: str) -> str | None:
    """The template's attribute holding values of ``prop``, or ``None`` if it has none."""
    if template == "phone":
        return PHONE_RELATIONS.get(prop)
    spec = definition(template)
    if template == RECORD or spec is None or prop not in spec["attributes"]:
        return None
    return prop


def prop_of(template: str, object_relation: str) -> str | None:
    """The property an attribute of the template holds (inverse of :func:`relation`)."""
    if template == "phone":
        return PHONE_PROPS.get(object_relation)
    spec = definition(template)
    if template == RECORD or spec is None or object_relation not in spec["attributes"]:
        return None
    return object_relation


def attribute_type(template: str, object_relation: str) -> str:
    spec = definition(template)
    assert spec is not None
    kind: str = spec["attributes"][object_relation]["misp-attribute"]
    return kind


def multiple(template: str, object_relation: str) -> bool:
    spec = definition(template)
    return bool(spec and spec["attributes"][object_relation].get("multiple"))


def satisfied(template: str, relations: set[str]) -> bool:
    """Do attributes ``relations`` meet the template's required attributes?"""
    spec = definition(template)
    if spec is None:
        return False
    required = set(spec.get("required", ()))
    one_of = set(spec.get("requiredOneOf", ()))
    return required <= relations and (not one_of or bool(one_of & relations))
