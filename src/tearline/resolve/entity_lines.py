"""FollowTheMoney entities, one JSON object a line, read into person records.

``tearline resolve pairs`` compares two such files without storing them (a partner's
list screened against one's own). Entities of a schema other than Person are skipped
and counted; a line that is not a JSON object, or a Person without an id or a name,
is a problem reported with its line number, and nothing is compared until the file
is clean.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from tearline.errors import Problem, ValidationError, tr

from .records import PersonRecord, from_entity


@dataclass(frozen=True)
class EntityFile:
    records: list[PersonRecord]
    skipped: int  # entities of other schemata


def read_entities(lines: Iterable[str], source: str) -> EntityFile:
    """The Person entities of a JSON-lines file (``source`` names it in problems)."""
    records: list[PersonRecord] = []
    problems: list[Problem] = []
    skipped = 0
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entity = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(tr("not JSON: {msg}", msg=exc.msg), source, number))
            continue
        if not isinstance(entity, dict):
            problems.append(Problem(tr("not a JSON object"), source, number))
            continue
        if entity.get("schema") != "Person":
            skipped += 1
            continue
        record = from_entity(entity)
        if not record.id or not record.name:
            problems.append(Problem(tr("a Person needs an id and a name"), source, number))
        elif record.id in seen:
            problems.append(Problem(tr("id {id!r} appears twice", id=record.id), source, number))
        else:
            seen.add(record.id)
            records.append(record)
    if problems:
        raise ValidationError(tr(
            "{source}: entities that cannot be compared", source=source), problems)
    return EntityFile(records, skipped)
