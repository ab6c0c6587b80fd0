"""Records → MISP events (PyMISP ``MISPEvent``/``MISPObject``), one event per record.

The caller passes records ALREADY TEAR-LINED for the recipient; nothing here decides
visibility. A record's event:

* ``uuid`` a UUIDv5 of the record id (the same record, the same event on every
  export), ``info`` its schema and caption, ``Orgc`` the originating agency, ``date``
  and ``timestamp`` from the recipient's view of the record;
* tags and distribution of the record's marking (:mod:`tearline.misp.tags`);
* one object of the record's template (:mod:`tearline.misp.templates`) with a
  ``comment`` naming the record id, an attribute per value the template holds, an
  object reference per entity reference (``relationship_type`` the property,
  ``comment`` the referenced record's id);
* a ``tearline-statement`` object (``property``, ``value``) referring to it for each
  value the template cannot hold;
* for each portion (a value with a marking of its own), a ``tearline-statement``
  object of its own, whose object, attributes and tags carry the portion's marking and
  whose distribution is the narrower of the two: never inside the record's object.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from pymisp import MISPAttribute, MISPEvent, MISPObject, MISPOrganisation

from tearline.errors import Problem
from tearline.misp import tags as tg
from tearline.misp import templates as tp
from tearline.model.marking import Marking
from tearline.model.record import Record, entity_properties
from tearline.model.statement import Statement

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:tearline:misp")
INHERIT = 5  # MISP: an attribute or object inherits its event's distribution


def misp_uuid(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, key))


def event_uuid(record_id: str) -> str:
    return misp_uuid(f"event:{record_id}")


def object_uuid(record_id: str) -> str:
    return misp_uuid(f"object:{record_id}")


@dataclass(frozen=True, slots=True)
class Events:
    events: list[MISPEvent]
    skipped: tuple[Problem, ...] = ()


def _stamp(record: Record) -> datetime:
    times = [record.modified_at, record.created_at, *(s.last_seen for s in record.statements)]
    return max(t for t in times if t is not None).astimezone(UTC)


def _organisation(agency: str) -> MISPOrganisation:
    org = MISPOrganisation()
    org.name = agency
    org.uuid = misp_uuid(f"agency:{agency}")
    return org


class _Builder:
    def __init__(self, record: Record) -> None:
        self.record = record
        self.at = _stamp(record)
        self.event = MISPEvent()
        self.refs = frozenset(entity_properties(record.schema))

    def new_object(self, template: str, key: str, comment: str = "") -> MISPObject:
        # the template's definition, read once (PyMISP would read its file per object)
        obj = MISPObject(template, strict=True,
                         misp_objects_template_custom=tp.definition(template))
        obj.uuid, obj.comment, obj.timestamp = misp_uuid(key), comment, self.at
        obj.distribution = INHERIT
        return obj

    def attribute(self, obj: MISPObject, relation: str, value: str, key: str,
                  marking: Marking | None = None) -> None:
        attr: MISPAttribute | None = obj.add_attribute(
            relation, value=value, uuid=misp_uuid(key), timestamp=self.at,
            distribution=INHERIT if marking is None else tg.distribution(
                self.record.marking, marking), disable_correlation=False, to_ids=False)
        assert attr is not None
        for tag in tg.marking_tags(marking) if marking is not None else ():
            attr.add_tag(tag)

    def statement_object(self, main: MISPObject, stmt: Statement, portion: bool) -> MISPObject:
        key = f"{self.record.id}:{stmt.id}"  # the same prop and value may come twice
        obj = self.new_object(tp.STATEMENT, f"statement:{key}", self.record.id)
        marking = stmt.marking if portion else None
        if marking is not None:
            obj.distribution = tg.distribution(self.record.marking, marking)
        self.attribute(obj, "property", stmt.prop, f"property:{key}", marking)
        self.attribute(obj, "value", stmt.value, f"value:{key}", marking)
        obj.add_reference(main.uuid, "property-of", comment=self.record.id,
                          uuid=misp_uuid(f"of:{key}"), timestamp=self.at)
        return obj

    def build(self) -> MISPEvent:
        record, event = self.record, self.event
        event.uuid = event_uuid(record.id)
        event.info = f"{record.schema}: {self._caption()}"
        event.Orgc = _organisation(record.originator)
        event.date = (record.created_at or self.at).date()
        event.timestamp = event.publish_timestamp = self.at
        event.threat_level_id, event.analysis, event.published = 4, 2, True
        event.distribution = tg.distribution(record.marking)
        for tag in tg.marking_tags(record.marking):
            event.add_tag(tag)
        template = tp.template_for(record.schema)
        own = [s for s in record.statements if s.marking is None or s.marking == record.marking]
        fits = {s for s in own if s.prop not in self.refs and tp.relation(template, s.prop)}
        if not tp.satisfied(template, {tp.relation(template, s.prop) or "" for s in fits}):
            template, fits = tp.RECORD, set()
        main = self.new_object(template, f"object:{record.id}", record.id)
        main.uuid = object_uuid(record.id)
        if template == tp.RECORD:
            self.attribute(main, "schema", record.schema, f"schema:{record.id}")
        extra: list[MISPObject] = []
        used: set[str] = set()
        for stmt in sorted(record.statements, key=Statement.sort_key):
            key = f"attr:{record.id}:{stmt.id}"
            relation = tp.relation(template, stmt.prop)
            if stmt not in own:
                extra.append(self.statement_object(main, stmt, portion=True))
            elif stmt.prop in self.refs:
                main.add_reference(object_uuid(stmt.value), stmt.prop, comment=stmt.value,
                                   uuid=misp_uuid(f"ref:{key}"), timestamp=self.at)
            elif stmt in fits and relation and (relation not in used
                                                or tp.multiple(template, relation)):
                used.add(relation)
                self.attribute(main, relation, stmt.value, key)
            else:
                extra.append(self.statement_object(main, stmt, portion=False))
        for obj in (main, *extra):
            event.add_object(obj)
        return event

    def _caption(self) -> str:
        names = [s.value for s in self.record.statements
                 if s.prop == "name" and s.marking in (None, self.record.marking)]
        return min(names) if names else self.record.id


def to_event(record: Record) -> MISPEvent:
    """The MISP event of one tear-lined record."""
    return _Builder(record).build()


def to_events(records: Iterable[Record]) -> Events:
    """One MISP event per record (records of every schema are representable)."""
    return Events([to_event(r) for r in records])
