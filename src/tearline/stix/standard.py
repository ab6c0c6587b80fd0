"""Portions for consumers that ignore granular markings: each travels as its own object.

A STIX consumer that is not a tearline node (MISP's ``misp-stix``, OpenCTI, a script
reading ``object_marking_refs``) may drop ``granular_markings`` and keep a portion's
value under its object's wider marking: a courier's AMBER nationality inside a GREEN
``identity`` would be re-shared as GREEN. So a bundle for such a consumer never puts a
statement whose marking differs from its record's inside the record's object:

* the record's object (its standard properties and its record extension) is built from
  the statements its own marking covers, and carries no granular marking;
* each other statement becomes an object of its own, of its record's STIX type (an
  ``identity``, ``location``, ``incident``, …, named after the record and the property,
  the value in its ``description``) with ``object_marking_refs`` the record's marking
  *and* the statement's (STIX applies every marking of an object, so it is at least as
  strict as the portion). Not a ``note`` or a ``report``: MISP's importer
  (``misp-stix``) turns a note into analyst data without the note's markings, shown
  under its object's wider tags, and a report makes it import only what reports name;
  an object of the record's own type it imports (or not) like the record, with its own
  tags. A portion of a relationship or of a note (Sanction, Note) has no such object
  a consumer keeps with its markings, and is not sent;
* a relationship's end cannot leave its relationship: an end with a marking of its own
  raises the relationship's object-level marking to include it instead.

A ``note`` (a Sanction, a Note) stricter than a record it names in the same bundle is not
sent either: misp-stix attaches a note's text to the object it names as analyst data,
without the note's markings, so the stricter text would be shown under the named
record's wider tags.

Derived objects (a relationship per entity reference, a threat actor) already carry
every marking of the statements they come from at object level. tearline peers keep
granular markings and the full record extension (:func:`tearline.stix.to_stix` with
``granular=True``, the default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from tearline.errors import Problem, tr
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.statement import Statement
from tearline.stix import kinds


@dataclass(frozen=True, slots=True)
class Split:
    """A record as a granular-blind consumer receives it."""

    #: The record its object carries: the statements its marking covers (and its ends).
    shown: Record
    #: Markings of relationship ends, raised to the relationship's object level.
    raised: tuple[Marking, ...]
    #: Statements that travel alone, each as an object of its own (of its record's STIX type).
    alone: tuple[Statement, ...]


def is_portion(record: Record, stmt: Statement) -> bool:
    """Does the statement carry a marking other than its record's?"""
    return stmt.marking is not None and stmt.marking != record.marking


def split(record: Record) -> Split:
    ends = kinds.edge_ends(record.schema) or ()
    kept: list[Statement] = []
    raised: list[Marking] = []
    alone: list[Statement] = []
    for stmt in record.statements:
        if not is_portion(record, stmt):
            kept.append(stmt if stmt.marking is None else replace(stmt, marking=None))
        elif stmt.prop in ends:
            assert stmt.marking is not None
            raised.append(stmt.marking)
            kept.append(replace(stmt, marking=None))
        else:
            alone.append(stmt)
    return Split(replace(record, statements=tuple(kept)), tuple(raised), tuple(alone))


def unsent(record: Record, stix_type: str, batch: Mapping[str, Record]) -> Problem | None:
    """Why the record's object is not sent to a standard consumer (``None``: it is): a
    note stricter (by TLP) than a record of the ``batch`` it names."""
    if stix_type != "note":
        return None
    refs = kinds.entity_props(record.schema)
    named = [batch[s.value] for s in record.statements if s.prop in refs and s.value in batch]
    if any(n.marking.tlp.rank < record.marking.tlp.rank for n in named):
        return Problem(tr(
            "{schema} {id}: a note stricter than a record it names is not sent to a standard "
            "consumer (stix/standard.py)", schema=record.schema, id=record.id),
                       column=record.id)
    return None


#: STIX types whose portions are not sent (no object of that type stands alone).
UNSENT = frozenset({"relationship", "note"})


def portion_props(record: Record, stmt: Statement, main: dict[str, Any]) -> dict[str, Any]:
    """The standard properties of a portion's object (its id, times and markings aside),
    beside ``main``, its record's object."""
    name = main.get("name") or record.id
    props: dict[str, Any] = {"name": f"{name} ({stmt.prop})"[:250],
                             "description": f"{stmt.prop}: {stmt.value}"}
    if main["type"] == "identity":
        props["identity_class"] = main["identity_class"]
    elif main["type"] == "location":
        props["region"] = "unknown"  # STIX wants a region, a country or coordinates
    return props
