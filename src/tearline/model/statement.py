"""Statements: one value of one property of one record, with its provenance and marking.

This is the FollowTheMoney statement model extended with markings and Admiralty
grading: each value remembers which agency and unit asserted it, when it was first
and last seen, and under which marking it may be disseminated. Merging records
across agencies therefore never mixes up whose fact is whose.

A statement's id is derived from its content (entity, property, value, agency, unit)
by a :class:`StatementKeyer` holding a secret of the node that stores it: the same
fact from the same unit is the same statement on that node, while nobody without the
secret can compute an id from guessed values (ids are shown where the values are not,
e.g. in audit entries). The core reads no key: whoever builds statements passes one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking

#: The shortest key a :class:`StatementKeyer` takes, and BLAKE2b's longest.
MIN_KEY_BYTES = 16
MAX_KEY_BYTES = 64


class StatementKeyer:
    """Statement ids of one node: ``st-`` + keyed BLAKE2b-160 of the statement's content.

    BLAKE2b is a keyed hash by design (a MAC, no HMAC construction needed) and as fast
    as SHA-1; the key is absorbed once and the keyed state copied per id. Ids keep the
    length (40 hex digits) and form of the unkeyed ids they replace. The key is never
    shown: not in ``repr``, not in an error.
    """

    __slots__ = ("_keyed",)

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes) or not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
            raise ValueError(
                f"a statement key is {MIN_KEY_BYTES} to {MAX_KEY_BYTES} bytes"
            )
        self._keyed = hashlib.blake2b(key=key, digest_size=20)

    def __call__(self, entity_id: str, prop: str, value: str, origin: str, author: str) -> str:
        """The id of this fact from this unit: equal content, equal id, on this node."""
        h = self._keyed.copy()
        h.update(f"{entity_id}\x1f{prop}\x1f{value}\x1f{origin}\x1f{author}".encode())
        return "st-" + h.hexdigest()

    def __repr__(self) -> str:
        return "StatementKeyer(<secret>)"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who asserts a batch of statements, how reliable they are, and when they were seen."""

    origin: str  # originating agency
    author: str  # authoring unit
    seen_at: datetime
    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.CANNOT_JUDGE


@dataclass(frozen=True, slots=True)
class Statement:
    entity_id: str
    schema: str
    prop: str
    value: str
    origin: str
    author: str
    first_seen: datetime
    last_seen: datetime
    reliability: Reliability = Reliability.F
    credibility: Credibility = Credibility.CANNOT_JUDGE
    original_value: str | None = None
    #: A stricter marking for this one value (a portion); ``None`` means the
    #: record's marking applies.
    marking: Marking | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:  # ids come from a node's StatementKeyer; there is no default
            raise ValueError("a statement needs its id (see StatementKeyer)")
        if self.original_value == self.value:
            object.__setattr__(self, "original_value", None)

    def sort_key(self) -> tuple[str, str, str]:
        return (self.prop, self.value, self.id)


# The slots' own setters: a frozen dataclass's generated ``__init__`` sets each of its
# fields through ``object.__setattr__`` after parsing keyword arguments, which costs
# about as much as everything else ingest does per value. :func:`checked_statement`
# sets the same slots directly.
_new = object.__new__
_slots: Mapping[str, Any] = vars(Statement)
_set_entity_id = _slots["entity_id"].__set__
_set_schema = _slots["schema"].__set__
_set_prop = _slots["prop"].__set__
_set_value = _slots["value"].__set__
_set_origin = _slots["origin"].__set__
_set_author = _slots["author"].__set__
_set_first_seen = _slots["first_seen"].__set__
_set_last_seen = _slots["last_seen"].__set__
_set_reliability = _slots["reliability"].__set__
_set_credibility = _slots["credibility"].__set__
_set_original_value = _slots["original_value"].__set__
_set_marking = _slots["marking"].__set__
_set_id = _slots["id"].__set__


def checked_statement(
    entity_id: str,
    schema: str,
    prop: str,
    value: str,
    original_value: str | None,
    marking: Marking | None,
    provenance: Provenance,
    keyer: StatementKeyer,
) -> Statement:
    """The statement ``Statement(...)`` would build from these values, without its checks.

    For values already checked by :func:`tearline.model.record.build_statements`
    (entity id, schema, property and value valid): first and last seen are the
    provenance's ``seen_at``, the id is ``keyer``'s, and an original value equal to
    the value is dropped, exactly as ``__post_init__`` does.
    """
    origin, author, seen = provenance.origin, provenance.author, provenance.seen_at
    stmt: Statement = _new(Statement)
    _set_entity_id(stmt, entity_id)
    _set_schema(stmt, schema)
    _set_prop(stmt, prop)
    _set_value(stmt, value)
    _set_origin(stmt, origin)
    _set_author(stmt, author)
    _set_first_seen(stmt, seen)
    _set_last_seen(stmt, seen)
    _set_reliability(stmt, provenance.reliability)
    _set_credibility(stmt, provenance.credibility)
    _set_original_value(stmt, None if original_value == value else original_value)
    _set_marking(stmt, marking)
    _set_id(stmt, keyer(entity_id, prop, value, origin, author))
    return stmt
