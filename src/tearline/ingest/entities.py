"""Parsing FollowTheMoney entities (JSON lines) and mapped CSV rows into records.

Both readers check everything before anything is stored: every bad line or cell is
collected as a :class:`~tearline.errors.Problem` with file, line and column, and the
whole file is rejected with one :class:`~tearline.errors.IngestError`.

A JSON line is a FollowTheMoney entity (``id``, ``schema``, ``properties``) and may
carry tearline's own keys: ``marking`` (the record's marking, default: the one given
to the reader), ``portions`` (a stricter marking per property) and ``synthetic``.
``statements`` (each value's provenance, as ``tearline export`` writes it) is read
past: what a file adds is stated by the unit that ingests it, with its own grade.

The ids in a file are the file's own: :meth:`Collector.records` with a
:class:`~tearline.model.namespace.Placement` stores each where it belongs for the
writer (:mod:`tearline.ingest.placement`); without one, records keep the file's ids
(for parsing and tests, never for a party's write).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tearline.errors import IngestError, InputError, Problem, tr
from tearline.ingest.collector import while_parsing
from tearline.ingest.placement import check_distinct, placed_record, reference_ids
from tearline.model.marking import Marking
from tearline.model.namespace import Placement
from tearline.model.record import MAX_VALUE_LENGTH, Record, build_record
from tearline.model.statement import Provenance, StatementKeyer
from tearline.policy.subject import Subject

#: A JSON line longer than this is refused before it is parsed.
MAX_LINE = 2 * MAX_VALUE_LENGTH
MAX_PROBLEMS = 1000


@dataclass
class Pending:
    """Property values gathered for one entity id across lines (merged before building)."""

    schema: str
    line: int
    properties: dict[str, list[Any]] = field(default_factory=dict)
    marking: Marking | None = None
    portions: dict[str, Marking] = field(default_factory=dict)
    synthetic: bool = False


@dataclass
class Collector:
    """Collects entities and problems from one file; builds records once all is read."""

    source: str
    provenance: Provenance
    marking: Marking
    pending: dict[str, Pending] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Why a marking a line sets is refused (its legal basis: ``store/legal_basis.py``
    #: ``judge``), or ``None``; reported at the line and field that set it.
    judge: Callable[[Marking], str | None] | None = None

    def problem(self, message: str, line: int | None, column: str | None = None) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(message, self.source, line, column))

    def add(
        self,
        line: int,
        entity_id: str,
        schema: str,
        properties: Mapping[str, list[Any]],
        marking: Marking | None = None,
        portions: Mapping[str, Marking] | None = None,
        synthetic: bool = False,
    ) -> None:
        entry = self.pending.get(entity_id)
        if entry is None:
            entry = self.pending[entity_id] = Pending(schema, line)
        elif entry.schema != schema:
            self.problem(
                f"entity {entity_id} was {entry.schema} on line {entry.line}, now {schema}",
                line,
                "schema",
            )
            return
        for prop, values in properties.items():
            entry.properties.setdefault(prop, []).extend(values)
        entry.marking = marking or entry.marking
        entry.portions.update(portions or {})
        entry.synthetic = entry.synthetic or synthetic

    def entity_ids(self) -> list[str]:
        """The ids of the file's entities, in the order they first appear."""
        return list(self.pending)

    def ids(self) -> set[str]:
        """Every id the file names: its entities' and their references' (for a placement)."""
        found = set(self.pending)
        for entry in self.pending.values():
            found.update(reference_ids(entry.schema, entry.properties))
        return found

    @while_parsing
    def records(
        self, keyer: StatementKeyer, placement: Placement | None = None,
        subject: Subject | None = None,
    ) -> list[Record]:
        """Build and validate every record; raise :class:`IngestError` listing all problems.

        ``keyer`` derives the statement ids (the store's that will keep the records).

        With ``placement`` (and the writing ``subject``), each entity is stored where
        the placement puts it for that writer; without, under the file's own id.
        """
        out: list[Record] = []
        if placement is not None:
            lines = {entity_id: entry.line for entity_id, entry in self.pending.items()}
            for p in check_distinct({i: placement.id_for(i) for i in self.pending}, lines,
                                    self.source):
                self.problem(p.message, p.line, p.column)
        for entity_id, entry in self.pending.items():
            args = (entry.schema, entry.properties, self.provenance,
                    entry.marking or self.marking, entry.portions, entry.synthetic)
            try:
                if placement is None or subject is None:
                    if placement is not None:
                        raise TypeError("a placement is made for a writer: pass the subject")
                    out.append(build_record(entity_id, *args, keyer=keyer))
                else:
                    out.append(placed_record(placement, subject, entity_id, *args,
                                             keyer=keyer))
            except InputError as exc:
                for p in exc.problems or (Problem(exc.message),):
                    self.problem(f"{entity_id}: {p.message}", entry.line, p.column)
        if self.problems:
            self.problems.sort(key=lambda p: p.line or 0)
            raise IngestError(tr(
                "{source} rejected; nothing was stored", source=self.source), self.problems)
        return out


def _marking(value: Any, collector: Collector, line: int, column: str) -> Marking | None:
    try:
        marking = Marking.from_dict(value)
    except InputError as exc:
        collector.problem(
            exc.message.splitlines()[0] + "".join(f" {p.message}" for p in exc.problems),
            line,
            column,
        )
        return None
    refused = collector.judge(marking) if collector.judge is not None else None
    if refused is not None:
        collector.problem(refused, line, column)
        return None
    return marking


@while_parsing
def read_jsonl(
    lines: Iterable[str], collector: Collector, progress: Callable[[int], None] | None = None
) -> None:
    """Read FollowTheMoney JSON lines into ``collector``."""
    for number, raw in enumerate(lines, start=1):
        if progress:
            progress(len(raw) + 1)
        text = raw.strip()
        if not text:
            continue
        if len(text) > MAX_LINE:
            collector.problem(f"line of {len(text):,} characters exceeds {MAX_LINE:,}", number)
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            collector.problem(
                f"invalid JSON ({exc.msg} at character {exc.pos}); is the file truncated?", number
            )
            continue
        if not isinstance(data, dict):
            collector.problem("a line must be a JSON object (an entity)", number)
            continue
        unknown = set(data) - {
            "id",
            "schema",
            "properties",
            "marking",
            "portions",
            "synthetic",
            "datasets",
            "referents",
            "first_seen",
            "last_seen",
            "caption",
            "target",
            "statements",
            "copy",  # the copy mark of an exported line (docs/trace.md): read past
        }
        if unknown:
            collector.problem(f"unknown keys: {', '.join(sorted(unknown))}", number)
            continue
        entity_id, schema, props = data.get("id"), data.get("schema"), data.get("properties")
        if not isinstance(entity_id, str) or not entity_id:
            collector.problem("missing entity id", number, "id")
            continue
        if not isinstance(schema, str) or not schema:
            collector.problem("missing schema", number, "schema")
            continue
        if not isinstance(props, dict) or not all(isinstance(v, list) for v in props.values()):
            collector.problem("properties must map names to lists of values", number, "properties")
            continue
        marking = None
        if data.get("marking") is not None:
            marking = _marking(data["marking"], collector, number, "marking")
            if marking is None:
                continue
        raw_portions = data.get("portions") or {}
        if not isinstance(raw_portions, dict):
            collector.problem("portions must map property names to markings", number, "portions")
            continue
        if not isinstance(data.get("synthetic", False), bool):
            collector.problem("synthetic must be true or false", number, "synthetic")
            continue
        portions: dict[str, Marking] = {}
        for prop, value in raw_portions.items():
            portion = _marking(value, collector, number, f"portions.{prop}")
            if portion is not None:
                portions[prop] = portion
        collector.add(
            number, entity_id, schema, props, marking, portions, bool(data.get("synthetic", False))
        )
