"""Ingest of a MISP event JSON: the entities :mod:`tearline.misp.importer` reads, into a
:class:`~tearline.ingest.entities.Collector` like every other format (all or nothing,
every problem at ``file:line:column``; a marking a tag sets is judged like a line's:
its legal basis must be an agreement in force that binds the parties)."""

from __future__ import annotations

from tearline.ingest.entities import Collector
from tearline.misp.importer import read_event
from tearline.model.marking import Marking


def _judged(collector: Collector, marking: Marking | None, line: int, column: str
            ) -> Marking | None:
    if marking is None or collector.judge is None:
        return marking
    refused = collector.judge(marking)
    if refused is not None:
        collector.problem(refused, line, column)
        return None
    return marking


def read_misp(text: str, collector: Collector) -> None:
    """Read one MISP event JSON into ``collector``."""
    read = read_event(text, collector.source)
    for p in read.problems:
        collector.problem(p.message, p.line, p.column)
    marking = _judged(collector, read.marking, 1, "Tag")
    for entity in read.entities:
        portions = {}
        for prop, portion in entity.portions.items():
            judged = _judged(collector, portion, entity.line, prop)
            if judged is not None:
                portions[prop] = judged
        collector.add(entity.line, entity.id, entity.schema, entity.properties,
                      marking, portions)
