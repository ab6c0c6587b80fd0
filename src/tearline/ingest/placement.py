"""Building a file's records where they belong (see :mod:`tearline.model.namespace`).

A file's id names either a new record of the writer, stored under its own namespace,
or a record that exists for the writer — the writer's own from an earlier ingest, or
another party's it may see. Statements added to an existing record go through the
same checks as the API's amend (:func:`tearline.policy.editing.may_amend`), with
the same reasons when refused, and only properties of that record's schema are
accepted. Nothing here reads the store: the :class:`Placement` says what exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tearline.errors import Problem, ValidationError, tr
from tearline.model.marking import Marking
from tearline.model.namespace import Placement, Target
from tearline.model.record import Record, build_record, build_statements
from tearline.model.schema import get_model
from tearline.model.statement import Provenance, StatementKeyer
from tearline.policy.editing import may_amend
from tearline.policy.subject import Subject


def reference_ids(schema_name: str, properties: Mapping[str, Sequence[Any]]) -> Iterable[str]:
    """The ids a record's entity-typed properties name (as FollowTheMoney cleans them)."""
    schema = get_model().get(schema_name)
    if schema is None:
        return
    for name, values in properties.items():
        prop = schema.properties.get(name)
        if prop is None or prop.type.name != "entity":
            continue
        for value in values if isinstance(values, list | tuple) else (values,):
            if isinstance(value, str) and value.strip():
                yield value.strip()


def placed_record(
    placement: Placement,
    subject: Subject,
    file_id: str,
    schema_name: str,
    properties: Mapping[str, Sequence[Any]],
    provenance: Provenance,
    marking: Marking,
    portions: Mapping[str, Marking] | None = None,
    synthetic: bool = False,
    cleaned: bool = False,
    *,
    keyer: StatementKeyer,
) -> Record:
    """The record a file's entity becomes; :class:`ValidationError` listing every problem.

    ``keyer`` derives the statement ids (the store's that will keep the record)."""
    stored = placement.id_for(file_id)
    if stored in placement.blocked:
        raise ValidationError(tr("cannot store {file_id}", file_id=file_id), [Problem(
            tr(
                "{stored} is held by a record of another unit, written before ids were kept in "
                "each unit's namespace; give this record another id", stored=stored), column="id")])
    target = placement.target(file_id)
    if target is None:
        return build_record(stored, schema_name, properties, provenance, marking, portions,
                            synthetic, cleaned, placement.id_for, keyer=keyer)
    return _amendment(placement, subject, file_id, target, schema_name, properties,
                      provenance, marking, portions or {}, cleaned, keyer)


def _amendment(
    placement: Placement,
    subject: Subject,
    file_id: str,
    target: Target,
    schema_name: str,
    properties: Mapping[str, Sequence[Any]],
    provenance: Provenance,
    marking: Marking,
    portions: Mapping[str, Marking],
    cleaned: bool,
    keyer: StatementKeyer,
) -> Record:
    model = get_model()
    name = "it" if file_id == target.id else target.id
    schema = model.get(schema_name)
    if schema is None:
        raise ValidationError(tr("invalid {schema_name}", schema_name=schema_name), [
            Problem(tr(
                "unknown schema {schema_name!r}", schema_name=schema_name), column="schema")])
    if not model[target.schema].is_a(schema):
        raise ValidationError(tr(
            "invalid {schema_name} {id}", schema_name=schema_name, id=target.id), [Problem(
            tr(
                "{name} is a record of schema {schema}; {schema_name} properties cannot be added "
                "to it",
                name=name, schema=target.schema, schema_name=schema_name), column="schema")])
    # The originator's units add statements under the record's own marking when they
    # give that marking; any other marking (and any other agency's) is their own.
    own = None if subject.agency == target.originator and marking == target.marking else marking
    problems: list[Problem] = []
    for column, given in (("marking", own), *portions.items()):
        decision = may_amend(subject, target.originator, target.marking, given)
        if not decision:
            problems.extend(Problem(tr(
                "you may not amend {name}: {reason}", name=name, reason=reason), column=column)
                            for reason in decision.reasons)
        basis = given.basis_problem(provenance.origin) if given is not None else None
        if basis:
            problems.append(Problem(basis, column=column))
    per_prop = dict.fromkeys(properties, own) if own is not None else {}
    per_prop.update(portions)
    statements, found = build_statements(
        target.id, target.schema, properties, provenance, per_prop, cleaned,
        placement.id_for, required=False, keyer=keyer,
    )
    problems.extend(found)
    if not statements and not problems:
        problems.append(Problem(tr("no property values to add")))
    if problems:
        raise ValidationError(tr(
            "invalid statements for {schema} {id}", schema=target.schema, id=target.id), problems)
    return Record(
        id=target.id, schema=target.schema, originator=target.originator, author=target.author,
        marking=target.marking, statements=tuple(statements),
        created_at=provenance.seen_at, modified_at=provenance.seen_at,
    )


def check_distinct(placed: Mapping[str, str], lines: Mapping[str, int | None],
                   source: str) -> list[Problem]:
    """Problems for file ids that land on the same stored id (``a`` and ``unit..a``)."""
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for file_id, stored in placed.items():
        other = first.setdefault(stored, file_id)
        if other != file_id:
            problems.append(Problem(
                tr(
                    "{file_id} and {other} (line {lines}) name the same record {stored}",
                    file_id=file_id, other=other, lines=lines.get(other), stored=stored),
                source, lines.get(file_id), "id"))
    return problems
