"""CSV files with a mapping: which columns become which properties of which schema.

A mapping is a YAML (or JSON) file::

    schema: Seizure
    id_columns: [case_number]        # the id is derived from these columns' values
    id_prefix: cbp-seizure           # so ids from different files do not collide
    properties:                      # property → column (or a list of columns)
      drug: drug_type
      grossWeight: weight_kg
      date: seizure_date
      originCountry: origin
    marking:                         # optional; default: the ingest's marking
      tlp: AMBER
      releasable_to: ["vetted-by:us.dea"]
      legal_basis: us-mx/bicentennial-framework-2021

Cells that a spreadsheet would run as a formula (``=``, ``@``, a tab or carriage
return first, or ``+``/``-`` followed by anything but a number or a phone number) are
refused: such a cell in intelligence data is an attack on the analyst's spreadsheet.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from tearline.errors import InputError, MappingError, Problem, tr
from tearline.ingest.collector import while_parsing
from tearline.ingest.entities import Collector
from tearline.model.marking import Marking
from tearline.model.record import MAX_VALUE_LENGTH
from tearline.model.schema import get_model

_NUMBERISH = re.compile(r"^[+-]?[\d\s().,/-]*$")
#: What the csv module itself will read as one cell. Larger than any cell we accept, so
#: that an oversized cell is reported with its column (by :func:`cell_problem`) rather
#: than as an anonymous parse error; a cell beyond even this is still refused, by line.
PARSE_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Mapping_:
    schema: str
    id_columns: tuple[str, ...]
    id_prefix: str
    properties: Mapping[str, tuple[str, ...]]
    marking: Marking | None

    @property
    def columns(self) -> set[str]:
        cols = set(self.id_columns)
        for names in self.properties.values():
            cols.update(names)
        return cols


def parse_mapping(text: str, source: str) -> Mapping_:
    """Parse and check a mapping file; every problem is reported at once."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingError(tr("{source}: not valid YAML: {exc}", source=source, exc=exc)) from None
    if not isinstance(data, dict):
        raise MappingError(tr("{source}: a mapping must be a YAML object", source=source))
    problems: list[Problem] = []
    schema_name = data.get("schema")
    schema = get_model().get(schema_name) if isinstance(schema_name, str) else None
    if schema is None:
        problems.append(Problem(tr(
            "unknown schema {schema_name!r}", schema_name=schema_name), source, column="schema"))
    ids = data.get("id_columns")
    if not isinstance(ids, list) or not ids or not all(isinstance(c, str) for c in ids):
        problems.append(
            Problem(
                tr("id_columns must be a non-empty list of column names"), source,
                column="id_columns"
            )
        )
        ids = []
    props_raw = data.get("properties")
    properties: dict[str, tuple[str, ...]] = {}
    if not isinstance(props_raw, dict) or not props_raw:
        problems.append(
            Problem(tr(
                "properties must map property names to columns"), source, column="properties")
        )
    else:
        for prop, cols in props_raw.items():
            names = (
                (cols,) if isinstance(cols, str) else tuple(cols) if isinstance(cols, list) else ()
            )
            if not names or not all(isinstance(c, str) for c in names):
                problems.append(
                    Problem(
                        tr("property {prop!r}: expected a column name or list", prop=prop),
                        source,
                        column="properties",
                    )
                )
                continue
            if schema is not None and prop not in schema.properties:
                problems.append(
                    Problem(
                        tr("schema {name} has no property {prop!r}", name=schema.name, prop=prop),
                        source,
                        column="properties",
                    )
                )
            properties[str(prop)] = names
    marking = None
    if data.get("marking") is not None:
        try:
            marking = Marking.from_dict(data["marking"])
        except InputError as exc:
            problems.append(Problem(exc.message, source, column="marking"))
    unknown = set(data) - {"schema", "id_columns", "id_prefix", "properties", "marking"}
    if unknown:
        problems.append(Problem(tr(
            "unknown keys: {unknown}", unknown=', '.join(sorted(unknown))), source))
    if problems:
        raise MappingError(tr("mapping {source} is unusable", source=source), problems)
    prefix = str(data.get("id_prefix") or str(schema_name).lower())
    return Mapping_(str(schema_name), tuple(ids), prefix, properties, marking)


def _too_long(value: str) -> str:
    return f"cell of {len(value):,} characters exceeds the limit of {MAX_VALUE_LENGTH:,}"


def cell_problem(value: str) -> str | None:
    """Why a cell of a mapped column is refused, or ``None``."""
    if len(value) > MAX_VALUE_LENGTH:
        return _too_long(value)
    if not value:
        return None
    first = value[0]
    if first in "=@\t\r" or (first in "+-" and not _NUMBERISH.match(value)):
        return (
            f"cell {value[:40]!r} would run as a spreadsheet formula; "
            "refused (prefix it with a quote if it is really data)"
        )
    return None


@while_parsing
def read_csv(
    lines: Iterable[str],
    mapping: Mapping_,
    collector: Collector,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Read mapped CSV rows (with a header line) into ``collector``."""
    previous = csv.field_size_limit(PARSE_LIMIT)
    try:
        _read_rows(csv.reader(lines, strict=True), mapping, collector, progress)
    finally:
        csv.field_size_limit(previous)


def _read_rows(
    reader: Any, mapping: Mapping_, collector: Collector, progress: Callable[[int], None] | None
) -> None:
    try:
        header = next(reader)
    except StopIteration:
        collector.problem("empty file: expected a header line", 1)
        return
    except csv.Error as exc:
        collector.problem(f"unreadable header: {exc}", 1)
        return
    missing = sorted(mapping.columns - set(header))
    if missing:
        raise MappingError(
            tr("{source}: the mapping names columns the file lacks", source=collector.source),
            [
                Problem(
                    tr(
                        "no column {name!r} (the header has: {header})",
                        name=name, header=', '.join(header)),
                    collector.source,
                    1,
                    name,
                )
                for name in missing
            ],
        )
    index = {name: i for i, name in enumerate(header)}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            collector.problem(f"malformed CSV: {exc}", reader.line_num)
            if "field larger" in str(exc):
                continue
            break
        number = reader.line_num
        if progress:
            progress(sum(len(c) + 1 for c in row))
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            collector.problem(f"{len(row)} cells, the header has {len(header)}", number)
            continue
        bad = False
        for name, position in index.items():
            cell = row[position]
            why = (
                cell_problem(cell)
                if name in mapping.columns
                else (_too_long(cell) if len(cell) > MAX_VALUE_LENGTH else None)
            )
            if why:
                collector.problem(why, number, name)
                bad = True
        if bad:
            continue
        key = [row[index[c]].strip() for c in mapping.id_columns]
        if not all(key):
            collector.problem("empty id column", number, mapping.id_columns[0])
            continue
        digest = hashlib.sha1("\x1f".join(key).encode(), usedforsecurity=False).hexdigest()
        props: dict[str, list[Any]] = {}
        for prop, cols in mapping.properties.items():
            values = [row[index[c]].strip() for c in cols if row[index[c]].strip()]
            if values:
                props[prop] = values
        collector.add(
            number, f"{mapping.id_prefix}-{digest[:20]}", mapping.schema, props, mapping.marking
        )
