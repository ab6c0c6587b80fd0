"""Records: intelligence objects typed by a schema, made of marked statements.

:func:`build_record` is the one place where raw property values become statements:
it checks the schema and every property, normalizes each value with FollowTheMoney's
property types (E.164 phones, ISO countries, ISO dates), keeps the original value,
and reports every problem at once. A value holding a bidirectional control character
is refused (``model/text.py``), whichever path it came by: a file, the API, a parser.
Each value is cleaned through the remembered normalizations of ``model/normalize.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from tearline.errors import Problem, ValidationError, tr
from tearline.model.marking import Marking
from tearline.model.normalize import _MISSING, _cache_for, normalized
from tearline.model.schema import get_model
from tearline.model.statement import Provenance, Statement, StatementKeyer, checked_statement
from tearline.model.text import bidi_problem
from tearline.model.values import value_checks

#: Entity ids: letters, digits and ``. _ : -``; at most 128 characters.
ENTITY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
#: The longest value a statement may hold (a long report paragraph fits).
MAX_VALUE_LENGTH = 65_536


@dataclass(frozen=True, slots=True)
class Record:
    """One intelligence object: a Person, a Seizure, a Membership, …"""

    id: str
    schema: str
    originator: str
    author: str
    marking: Marking
    statements: tuple[Statement, ...]
    synthetic: bool = False
    version: int = 1
    created_at: datetime | None = None
    modified_at: datetime | None = None
    retracted: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def values(self, prop: str) -> list[str]:
        return sorted({s.value for s in self.statements if s.prop == prop})

    def to_ftm(self) -> dict[str, Any]:
        """The record as a FollowTheMoney entity dict (values only, sorted)."""
        props: dict[str, list[str]] = {}
        for stmt in sorted(self.statements, key=Statement.sort_key):
            values = props.setdefault(stmt.prop, [])
            if stmt.value not in values:
                values.append(stmt.value)
        return {"id": self.id, "schema": self.schema, "properties": props}

    def caption(self) -> str:
        schema = get_model().get(self.schema)
        if schema is not None:
            for prop in schema.caption:
                values = self.values(prop)
                if values:
                    return values[0]
        return self.id


def check_entity_id(entity_id: object) -> str:
    if not isinstance(entity_id, str) or not ENTITY_ID.fullmatch(entity_id):
        raise ValidationError(
            tr(
                "invalid entity id {entity_id!r}: letters, digits and . _ : -, at most 128 "
                "characters", entity_id=str(entity_id)[:80])
        )
    return entity_id


def build_statements(
    entity_id: str,
    schema_name: str,
    properties: Mapping[str, Sequence[Any]],
    provenance: Provenance,
    portions: Mapping[str, Marking] | None = None,
    cleaned: bool = False,
    references: Callable[[str], str] | None = None,
    required: bool = True,
    *,
    keyer: StatementKeyer,
) -> tuple[list[Statement], list[Problem]]:
    """Normalize raw property values into statements; collect every problem.

    ``keyer`` derives the statements' ids: the keyer of the store they are meant for.

    ``cleaned=True`` says the values already went through their FollowTheMoney
    property type's ``clean`` (the properties of an entity proxy filled by a parser
    of ours, e.g. :mod:`tearline.ingest.ofac_entity`): they are then stored as given,
    not cleaned a second time, while every other check (schema, property, reverse
    property, value type and length, entity references, and the checks of
    :mod:`tearline.model.values` on what reports read) still applies.

    ``references`` maps each entity reference to the id it is stored as (a file's ids
    placed in the writer's namespace, :mod:`tearline.model.namespace`).
    ``required=False``: statements added to an existing record, which already has its
    required properties.
    """
    problems: list[Problem] = []
    schema = get_model().get(schema_name)
    if schema is None:
        return [], [Problem(tr("unknown schema {schema!r}", schema=schema_name), column="schema")]
    if schema.abstract:
        return [], [Problem(tr("schema {schema!r} is abstract", schema=schema_name),
                            column="schema")]
    out: list[Statement] = []
    stated: set[str] = set()
    schema_of = schema.name
    missing = _MISSING
    checks = value_checks(schema)
    now = provenance.seen_at
    for prop_name, raw_values in properties.items():
        prop = schema.properties.get(prop_name)
        if prop is None:
            problems.append(
                Problem(tr("schema {schema} has no property {prop!r}", schema=schema_name,
                           prop=prop_name), column=prop_name)
            )
            continue
        if prop.stub:
            problems.append(
                Problem(tr("{prop!r} is a reverse property; set it on the other entity",
                           prop=prop_name), column=prop_name)
            )
            continue
        if type(raw_values) is not list and (
            isinstance(raw_values, str | bytes) or not isinstance(raw_values, Sequence)
        ):
            raw_values = [raw_values]
        marking = portions.get(prop_name) if portions else None
        prop_type = prop.type
        is_entity = prop_type.name == "entity"
        check = checks.get(prop_name)
        table = _cache_for(prop_type)
        values: set[str] = set()  # the same value given twice is one statement
        for raw in raw_values:
            if raw is None or raw == "":
                continue
            if type(raw) is str:
                text = raw
            elif isinstance(raw, bool) or not isinstance(raw, str | int | float):
                problems.append(
                    Problem(tr("value must be text, not {kind}", kind=type(raw).__name__),
                            column=prop_name)
                )
                continue
            else:
                text = str(raw)
            if len(text) > MAX_VALUE_LENGTH:
                problems.append(
                    Problem(
                        tr("value of {n:,} characters exceeds the limit of {most:,}",
                           n=len(text), most=MAX_VALUE_LENGTH),
                        column=prop_name,
                    )
                )
                continue
            bidi = bidi_problem(text)
            if bidi is not None:
                problems.append(Problem(tr("value {problem}", problem=bidi), column=prop_name))
                continue
            if cleaned:
                clean = text
            else:
                found = table.get(text, missing)
                result = normalized(prop_type, text) if found is missing else found
                if result is None:
                    problems.append(
                        Problem(tr("invalid {kind} {value!r}", kind=prop_type.name,
                                   value=text[:80]), column=prop_name)
                    )
                    continue
                clean = result  # type: ignore[assignment]
            if check is not None:
                try:
                    clean = check(clean, now)
                except ValueError as exc:
                    problems.append(Problem(str(exc), column=prop_name))
                    continue
            if is_entity:
                if not ENTITY_ID.fullmatch(clean):
                    problems.append(
                        Problem(tr("invalid entity reference {value!r}", value=text[:80]),
                                column=prop_name)
                    )
                    continue
                if references is not None:
                    clean = references(clean)
            if clean in values:
                continue
            values.add(clean)
            out.append(
                checked_statement(entity_id, schema_of, prop_name, clean, text, marking, provenance,
                                  keyer)
            )
        if values:
            stated.add(prop_name)
    for name in schema.required if required else ():
        if name not in stated and name not in properties:
            problems.append(Problem(tr("{schema} needs a value for {prop!r}",
                                                       schema=schema_name, prop=name),
                                                    column=name))
    return out, problems


def build_record(
    entity_id: str,
    schema_name: str,
    properties: Mapping[str, Sequence[Any]],
    provenance: Provenance,
    marking: Marking,
    portions: Mapping[str, Marking] | None = None,
    synthetic: bool = False,
    cleaned: bool = False,
    references: Callable[[str], str] | None = None,
    *,
    keyer: StatementKeyer,
) -> Record:
    """Validate and normalize one record; raise :class:`ValidationError` listing all problems.

    ``cleaned``: the values are already normalized by their property types;
    ``references``: how entity references are stored (see :func:`build_statements`);
    ``keyer``: the statement ids' (the target store's).
    """
    check_entity_id(entity_id)
    statements, problems = build_statements(
        entity_id, schema_name, properties, provenance, portions, cleaned, references,
        keyer=keyer
    )
    basis = marking.basis_problem(provenance.origin)
    if basis:
        problems.append(Problem(basis, column="marking"))
    for prop, portion in (portions or {}).items():
        portion_basis = portion.basis_problem(provenance.origin)
        if portion_basis:
            problems.append(Problem(portion_basis, column=prop))
        if not portion.is_narrower_or_equal(marking):
            problems.append(
                Problem(
                    tr("portion marking TLP:{tlp} is wider than the record's TLP:{record_tlp}; "
                       "a portion may only narrow", tlp=portion.tlp.value,
                       record_tlp=marking.tlp.value),
                    column=prop,
                )
            )
    if not statements and not problems:
        problems.append(Problem(tr("a record needs at least one property value")))
    if problems:
        raise ValidationError(tr(
            "invalid {schema_name} {entity_id}",
            schema_name=schema_name, entity_id=entity_id), problems)
    return Record(
        id=entity_id,
        schema=statements[0].schema,
        originator=provenance.origin,
        author=provenance.author,
        marking=marking,
        statements=tuple(statements),
        synthetic=synthetic,
        created_at=provenance.seen_at,
        modified_at=provenance.seen_at,
    )


def rekeyed(record: Record, keyer: StatementKeyer) -> Record:
    """``record`` with its statements' ids derived by ``keyer`` (for another node's store).

    Ids are a node's own: a record built for one store, or received from a peer, gets
    the ids of the store that keeps it."""
    return replace(record, statements=tuple(
        replace(s, id=keyer(s.entity_id, s.prop, s.value, s.origin, s.author))
        for s in record.statements))


def edge_ends(schema_name: str) -> tuple[str, ...]:
    """The properties naming the two ends of a relationship schema (empty if not an edge)."""
    schema = get_model().get(schema_name)
    if schema is None or not schema.edge:
        return ()
    return tuple(p for p in (schema.edge_source, schema.edge_target) if p)


def entity_properties(schema_name: str) -> frozenset[str]:
    schema = get_model().get(schema_name)
    if schema is None:
        return frozenset()
    return frozenset(n for n, p in schema.properties.items() if p.type.name == "entity")
