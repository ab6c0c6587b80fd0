"""Checks of what tearline's MISP feed holds, with PyMISP itself.

:func:`loaded` loads an event file as a MISP instance would (``MISPEvent.load``);
:func:`validate` rebuilds each object with PyMISP in strict mode from the template it
names (MISP's bundled ``misp-objects``, or tearline's own folder) and runs PyMISP's
template validation (required attributes, one-of, multiplicity), and checks what that
validation leaves out: the template's uuid and version, every attribute's relation and
MISP type.
"""

from __future__ import annotations

import json
from typing import Any

from pymisp import MISPEvent, MISPObject

from tearline.misp import templates as tp


def loaded(text: str) -> MISPEvent:
    event = MISPEvent(strict_validation=True)
    event.load(text)
    return event


def validate(event: MISPEvent) -> None:
    for obj in event.objects:
        spec = tp.definition(obj.name)
        assert spec is not None, f"{obj.name}: no such template"
        assert obj.template_uuid == spec["uuid"], obj.name
        assert int(obj.template_version) == int(spec["version"]), obj.name
        strict = MISPObject(obj.name, strict=True, misp_objects_path_custom=tp.folder(obj.name))
        for attr in obj.attributes:
            rel = attr.object_relation
            assert rel in spec["attributes"], f"{obj.name} has no attribute {rel!r}"
            assert attr.type == spec["attributes"][rel]["misp-attribute"], (obj.name, rel)
            strict.add_attribute(rel, value=attr.value)
        json.loads(strict.to_json(strict=True))  # raises InvalidMISPObject if invalid


def event_files(files: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in files.items() if k not in ("manifest.json", "hashes.csv")}


def objects_named(event: MISPEvent, name: str) -> list[Any]:
    return [o for o in event.objects if o.name == name]
