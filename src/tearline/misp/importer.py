"""A MISP event (JSON) → the entities it holds, for ingest; every problem located.

Read (PyMISP loads the event):

* an object of an ``ftm-*`` template, ``phone``, or tearline's own templates is a
  record of the matching schema: its id is the object's ``comment`` when that is an
  entity id (tearline's feed names the record there), else the object's uuid; each
  attribute a value of the property it holds; each object reference a reference
  property (``relationship_type``) to the record its ``comment`` names, or the object
  of the event it points to;
* a ``tearline-statement`` object adds its ``property``/``value`` to the record it is
  ``property-of``; ``tearline-record`` names a record of any schema;
* the event's tags are the records' marking (:func:`tearline.misp.tags.read_tags`); tags
  on a value's attributes, when they say something else, are that property's portion.

Refused, with the reason, each at ``file:line:column`` (the line where the object or
attribute is, the column its relation): an object of another template, an attribute
no tearline property holds, a loose attribute outside objects, a reference to nothing
in the file, a dissemination tag tearline cannot read. Values are checked later, by
``build_record``, like every ingest format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from pymisp import MISPAttribute, MISPEvent, MISPObject
from pymisp.exceptions import PyMISPError

from tearline.errors import MarkingError, Problem, tr
from tearline.misp import tags as tg
from tearline.misp import templates as tp
from tearline.model.marking import Marking
from tearline.model.record import ENTITY_ID

_UUID_KEY = re.compile(r'"uuid"\s*:\s*"([^"]*)"')


def _line_numbers(text: str, offsets: list[int]) -> list[int]:
    """The 1-based line of each of the ascending ``offsets``."""
    out, line, at = [], 1, 0
    for offset in offsets:
        line += text.count("\n", at, offset)
        at = offset
        out.append(line)
    return out


@dataclass
class Entity:
    line: int
    id: str
    schema: str
    properties: dict[str, list[str]] = field(default_factory=dict)
    portions: dict[str, Marking] = field(default_factory=dict)


@dataclass
class Read:
    """What one event file holds: its marking (``None``: no TLP tag), entities, problems."""

    marking: Marking | None
    entities: list[Entity]
    problems: list[Problem]


def is_misp_event(text: str) -> bool:
    """Is ``text`` one MISP event (a JSON object with an ``Event``)?"""
    head = text.lstrip()[:200]
    if not head.startswith("{") or '"Event"' not in head:
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and set(data) == {"Event"}


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.text, self.source = text, source
        self.problems: list[Problem] = []
        self.entities: dict[str, Entity] = {}  # by object uuid
        self.marking: Marking | None = None
        self._lines: dict[str, int] | None = None

    def line_of(self, uuid: str) -> int:
        """The line where the object or attribute of ``uuid`` is (its ``"uuid"`` key)."""
        if self._lines is None:  # one scan of the text for every uuid key
            self._lines = {}
            for found in _UUID_KEY.finditer(self.text):
                self._lines.setdefault(found.group(1), found.start())
            offsets = sorted(self._lines.values())
            lines = dict(zip(offsets, _line_numbers(self.text, offsets), strict=True))
            self._lines = {k: lines[v] for k, v in self._lines.items()}
        return self._lines.get(uuid, 1)

    def problem(self, message: str, line: int, column: str | None = None) -> None:
        self.problems.append(Problem(message, self.source, line, column))

    def tags_of(self, attr: MISPAttribute | MISPEvent, line: int, column: str
                ) -> Marking | None:
        try:
            return tg.read_tags(t.name for t in attr.tags)
        except MarkingError as exc:
            self.problem(exc.message, line, column)
            return None

    def read(self, event: MISPEvent) -> Read:
        line = self.line_of(event.uuid) if getattr(event, "uuid", None) else 1
        self.marking = self.tags_of(event, line, "Tag")
        for attr in event.attributes:
            self.problem(f"a loose {attr.type} attribute: tearline reads values of objects "
                         "only", self.line_of(attr.uuid), "Attribute")
        statements = []
        for obj in event.objects:
            if obj.name == tp.STATEMENT:
                statements.append(obj)
            else:
                self.record(obj)
        for obj in statements:
            self.statement(obj)
        return Read(self.marking, list(self.entities.values()), self.problems)

    def record(self, obj: MISPObject) -> None:
        line = self.line_of(obj.uuid)
        schema = tp.schema_of(obj.name)
        if obj.name == tp.RECORD:
            schema = next((a.value for a in obj.attributes if a.object_relation == "schema"),
                          None)
        if schema is None:
            self.problem(f"a {obj.name!r} object: no tearline schema maps to this MISP "
                         "template", line, "name")
            return
        comment = (getattr(obj, "comment", "") or "").strip()
        entity = Entity(line, comment if ENTITY_ID.fullmatch(comment) else obj.uuid, schema)
        self.entities[obj.uuid] = entity
        for attr in obj.attributes:
            if obj.name == tp.RECORD and attr.object_relation == "schema":
                continue
            prop = tp.prop_of(obj.name, attr.object_relation)
            if prop is None:
                self.problem(f"no tearline property of {schema} holds {obj.name} attribute "
                             f"{attr.object_relation!r}", self.line_of(attr.uuid),
                             attr.object_relation)
                continue
            self.value(entity, prop, attr, self.line_of(attr.uuid))

    def value(self, entity: Entity, prop: str, attr: MISPAttribute, line: int) -> None:
        entity.properties.setdefault(prop, []).append(str(attr.value))
        own = self.tags_of(attr, line, prop)
        if own is not None and own != self.marking:
            entity.portions[prop] = own

    def statement(self, obj: MISPObject) -> None:
        line = self.line_of(obj.uuid)
        found = {a.object_relation: a for a in obj.attributes}
        owner = next((self.entities.get(r.referenced_uuid) for r in obj.references
                      if r.relationship_type == "property-of"), None)
        if owner is None or set(found) != {"property", "value"}:
            self.problem("a tearline-statement object needs one property, one value and the "
                         "record it is property-of in the same event", line, "name")
            return
        self.value(owner, str(found["property"].value), found["value"],
                   self.line_of(found["value"].uuid))

    def references(self, event: MISPEvent) -> None:
        names = {u: e.id for u, e in self.entities.items()}
        for obj in event.objects:
            entity = self.entities.get(obj.uuid)
            if entity is None:
                continue
            for ref in obj.references:
                said = (getattr(ref, "comment", "") or "").strip()
                target = said or names.get(ref.referenced_uuid, "")
                if not ENTITY_ID.fullmatch(target):
                    self.problem(f"reference {ref.relationship_type!r} names no record in "
                                 "this file", self.line_of(ref.uuid), ref.relationship_type)
                    continue
                entity.properties.setdefault(ref.relationship_type, []).append(target)


def read_event(text: str, source: str) -> Read:
    """The entities of a MISP event JSON, and every problem found, located."""
    event = MISPEvent()
    try:
        event.load(text)
    except (PyMISPError, ValueError, TypeError, KeyError) as exc:
        return Read(None, [], [Problem(tr(
            "not a MISP event PyMISP can load: {exc}", exc=exc), source, 1)])
    reader = _Reader(text, source)
    read = reader.read(event)
    reader.references(event)
    return read
