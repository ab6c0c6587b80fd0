"""A file of parties to screen: FollowTheMoney JSON lines, or CSV with a header.

CSV columns: ``id``, ``name`` (required), and optionally ``schema`` (default Person),
``alias`` (several separated by ``;``), ``birth_date``, ``nationality``, ``id_number``,
``tax_number``, ``passport``. A bad file is refused whole, every problem located.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from tearline.errors import InputError, Problem, tr
from tearline.screening.parties import SCREENED

CSV_PROPS = {"name": "name", "alias": "alias", "birth_date": "birthDate",
             "nationality": "nationality", "id_number": "idNumber", "tax_number": "taxNumber",
             "passport": "passportNumber"}


def read_entities(text: str, source: str) -> list[dict[str, Any]]:
    """Entities (id, schema, properties) from JSON lines or CSV text."""
    first = text.lstrip()[:1]
    entities, problems = (_jsonl(text, source) if first == "{" else _csv(text, source))
    if problems:
        raise InputError(tr(
            "{source}: refused, {problems_count} problem(s)",
            source=source, problems_count=len(problems)), problems)
    if not entities:
        raise InputError(tr("{source}: no party to screen", source=source))
    return entities


def _jsonl(text: str, source: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    out, problems = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entity = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(tr("not JSON: {msg}", msg=exc.msg), source, n))
            continue
        if not isinstance(entity, dict) or not isinstance(entity.get("properties"), dict):
            problems.append(Problem(tr("not a FollowTheMoney entity (id, schema, properties)"),
                                    source, n))
            continue
        if entity.get("schema") not in SCREENED:
            continue
        props = entity["properties"]
        if not all(isinstance(v, list) and all(isinstance(x, str) for x in v)
                   for v in props.values()):
            problems.append(Problem(tr("property values must be lists of text"), source, n))
            continue
        out.append({"id": str(entity.get("id") or f"line-{n}"),
                    "schema": entity["schema"], "properties": props})
    return out, problems


def _csv(text: str, source: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        return [], [Problem(tr("CSV needs a header with a 'name' column"), source, 1)]
    out, problems = [], []
    for n, row in enumerate(reader, 2):
        name = (row.get("name") or "").strip()
        schema = (row.get("schema") or "Person").strip()
        if not name:
            problems.append(Problem(tr("empty name"), source, n, "name"))
            continue
        if schema not in SCREENED:
            problems.append(Problem(tr(
                "schema {schema!r} is not screened", schema=schema[:30]), source, n,
                                    "schema"))
            continue
        props = {prop: [v.strip() for v in (row.get(col) or "").split(";") if v.strip()]
                 for col, prop in CSV_PROPS.items()}
        out.append({"id": (row.get("id") or f"row-{n}").strip(), "schema": schema,
                    "properties": {k: v for k, v in props.items() if v}})
    return out, problems
