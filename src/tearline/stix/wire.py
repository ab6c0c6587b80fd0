"""The tearline record extension payload: a record's head and statements as JSON.

:func:`record_payload` and :func:`record_from_payload` are inverse: every field of a
:class:`~tearline.model.record.Record` and of its statements travels, except the
portion markings, which travel as granular markings on the STIX object (see
:mod:`tearline.stix.export`) and are passed back in as ``portions``.

Statement ids are a node's own (keyed with its secret, see
:class:`~tearline.model.statement.StatementKeyer`): a statement's ``id`` on the wire is
the sender's, opaque to everyone else, and the reader derives the statement's id from
its content with the receiving node's keyer. A sender therefore cannot choose the id a
statement is stored under, and the same statement received again gets the same id; a
round trip through one keyer gives back the same record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

from tearline.errors import Problem, ValidationError
from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import Record, check_entity_id
from tearline.model.statement import Statement, StatementKeyer
from tearline.stix.ids import format_time, parse_time


def ordered(record: Record) -> list[Statement]:
    """The statements in the order their extension indexes (and selectors) refer to.

    The record's own order, so that the record read back is equal, tuple for tuple.
    """
    return list(record.statements)


def statement_payload(record: Record, stmt: Statement) -> dict[str, Any]:
    # One dict display per shape rather than a dict grown key by key: this runs once
    # per statement of every record served. The key order is the wire format's.
    # ``_value_`` rather than ``.value``: the enum property costs more than the rest.
    reliability: str = stmt.reliability._value_
    credibility: str = stmt.credibility._value_
    if stmt.schema == record.schema and stmt.original_value is None:
        return {"id": stmt.id, "prop": stmt.prop, "value": stmt.value, "origin": stmt.origin,
                "author": stmt.author, "reliability": reliability,
                "credibility": credibility, "first_seen": format_time(stmt.first_seen),
                "last_seen": format_time(stmt.last_seen)}
    out: dict[str, Any] = {"id": stmt.id}
    if stmt.schema != record.schema:
        out["schema"] = stmt.schema
    out["prop"] = stmt.prop
    out["value"] = stmt.value
    if stmt.original_value is not None:
        out["original_value"] = stmt.original_value
    out.update(
        origin=stmt.origin,
        author=stmt.author,
        reliability=reliability,
        credibility=credibility,
        first_seen=format_time(stmt.first_seen),
        last_seen=format_time(stmt.last_seen),
    )
    return out


def record_payload(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {
        "extension_type": "property-extension",
        "entity_id": record.id,
        "schema": record.schema,
        "originator": record.originator,
        "author": record.author,
        "version": record.version,
        "synthetic": record.synthetic,
        "retracted": record.retracted,
    }
    if record.created_at is not None:
        out["created_at"] = format_time(record.created_at)
    if record.modified_at is not None:
        out["modified_at"] = format_time(record.modified_at)
    if record.extra:
        out["extra"] = dict(record.extra)
    out["statements"] = [statement_payload(record, s) for s in ordered(record)]
    return out


class _Reader:
    """Collects every problem of one payload instead of stopping at the first."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[Problem] = []

    def fail(self, message: str) -> None:
        self.problems.append(Problem(message, column=self.where))

    def text(self, data: Mapping[str, Any], key: str, optional: bool = False) -> str | None:
        value = data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value:
            self.fail(f"{key} must be a non-empty string")
            return None
        return value

    def time(self, data: Mapping[str, Any], key: str, optional: bool = False) -> Any:
        value = data.get(key)
        if value is None and optional:
            return None
        try:
            return parse_time(value)
        except ValueError as exc:
            self.fail(f"{key}: {exc}")
            return None


_STATEMENT_KEYS = {"id", "schema", "prop", "value", "original_value", "origin", "author",
                   "reliability", "credibility", "first_seen", "last_seen"}


_RELIABILITY: dict[str, Reliability] = {r.value: r for r in Reliability}
_CREDIBILITY: dict[str, Credibility] = {c.value: c for c in Credibility}
_REQUIRED_TEXT = ("id", "prop", "value", "origin", "author")


# Statement's slot setters: a frozen dataclass's generated ``__init__`` sets each
# field through ``object.__setattr__`` after parsing keyword arguments, which costs
# more than reading and checking the statement (the same reason as
# ``tearline.model.statement.checked_statement``). Checked at import: if the model
# gains a field, this fails here rather than build half a statement.
_STATEMENT_SLOTS = ("entity_id", "schema", "prop", "value", "origin", "author",
                    "first_seen", "last_seen", "reliability", "credibility",
                    "original_value", "marking", "id")
if {f.name for f in fields(Statement)} != set(_STATEMENT_SLOTS):  # pragma: no cover
    raise ImportError("tearline.stix.wire: Statement's fields changed; update the reader")
_SETTERS = tuple(vars(Statement)[name].__set__ for name in _STATEMENT_SLOTS)
_new_statement = object.__new__


def _well_formed(entity_id: str, schema: str, data: dict[str, Any],
                 marking: Marking | None, keyer: StatementKeyer) -> Statement | None:
    """The statement, if ``data`` is exactly what :func:`statement_payload` writes;
    else ``None`` and :func:`_statement` reads it field by field, reporting problems.

    A pulled page is almost always well formed, and checking it whole (known keys,
    plain non-empty strings, canonical grading letters) is cheaper than collecting
    problems that are not there. The result is the statement
    ``Statement(...)`` builds from the same values (its ``__post_init__`` only drops
    an original value equal to the value, done here too; the id is ``keyer``'s).
    """
    if not data.keys() <= _STATEMENT_KEYS:
        return None
    try:
        sid, prop, value = data["id"], data["prop"], data["value"]
        origin, author = data["origin"], data["author"]
        first, last = data["first_seen"], data["last_seen"]
        reliability = _RELIABILITY[data["reliability"]]
        credibility = _CREDIBILITY[data["credibility"]]
    except (KeyError, TypeError):  # missing, or an unhashable grading
        return None
    original = data.get("original_value")
    stmt_schema = data.get("schema", schema)
    if not (type(sid) is str and sid and type(prop) is str and prop and type(value) is str
            and value and type(origin) is str and origin and type(author) is str and author
            and type(stmt_schema) is str and type(first) is str and type(last) is str
            and (original is None or type(original) is str)):
        return None
    try:
        first_seen, last_seen = parse_time(first), parse_time(last)
    except ValueError:
        return None
    stmt: Statement = _new_statement(Statement)
    for setter, item in zip(_SETTERS, (
            entity_id, stmt_schema, prop, value, origin, author, first_seen, last_seen,
            reliability, credibility, None if original == value else original, marking,
            keyer(entity_id, prop, value, origin, author)), strict=True):
        setter(stmt, item)
    return stmt


def _statement(r: _Reader, entity_id: str, schema: str, data: object,
               marking: Marking | None, keyer: StatementKeyer) -> Statement | None:
    if type(data) is dict:
        fast = _well_formed(entity_id, schema, data, marking, keyer)
        if fast is not None:
            return fast
    if not isinstance(data, Mapping):
        r.fail("a statement must be an object")
        return None
    unknown = set(data) - _STATEMENT_KEYS
    if unknown:
        r.fail(f"unknown statement fields: {', '.join(sorted(unknown))}")
    before = len(r.problems)
    sid, prop, value = r.text(data, "id"), r.text(data, "prop"), r.text(data, "value")
    origin, author = r.text(data, "origin"), r.text(data, "author")
    original = data.get("original_value")
    if original is not None and not isinstance(original, str):
        r.fail("original_value must be a string")
    first, last = r.time(data, "first_seen"), r.time(data, "last_seen")
    try:
        reliability = Reliability.parse(str(data.get("reliability", "")))
        credibility = Credibility.parse(str(data.get("credibility", "")))
    except ValidationError as exc:
        r.fail(str(exc))
        return None
    if len(r.problems) > before:
        return None
    stmt_schema = data.get("schema", schema)
    assert sid and prop and value and origin and author
    return Statement(
        entity_id=entity_id, schema=str(stmt_schema), prop=prop, value=value,
        origin=origin, author=author, first_seen=first, last_seen=last,
        reliability=reliability, credibility=credibility, original_value=original,
        marking=marking, id=keyer(entity_id, prop, value, origin, author),
    )


def record_from_payload(
    data: Mapping[str, Any], marking: Marking, portions: Mapping[int, Marking], where: str,
    keyer: StatementKeyer,
) -> tuple[Record | None, list[Problem]]:
    """The record a full payload describes, or ``None`` and every problem found; its
    statement ids are ``keyer``'s (the receiving store's), not the payload's."""
    r = _Reader(where)
    entity_id = r.text(data, "entity_id")
    if entity_id is not None:
        try:
            check_entity_id(entity_id)
        except ValidationError as exc:
            r.fail(str(exc))
    schema, originator, author = r.text(data, "schema"), r.text(data, "originator"), r.text(
        data, "author")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        r.fail("version must be a positive integer")
    flags = {k: data.get(k) for k in ("synthetic", "retracted")}
    for key, flag in flags.items():
        if not isinstance(flag, bool):
            r.fail(f"{key} must be true or false")
    created, modified = r.time(data, "created_at", True), r.time(data, "modified_at", True)
    extra = data.get("extra", {})
    if type(extra) is not dict and not isinstance(extra, Mapping):
        r.fail("extra must be an object")
    raw = data.get("statements")
    if type(raw) is not list and (not isinstance(raw, Sequence) or isinstance(raw, str)):
        r.fail("statements must be a list")
        raw = []
    if r.problems:
        return None, r.problems
    assert entity_id and schema and originator and author
    statements = [_statement(r, entity_id, schema, item, portions.get(i), keyer)
                  for i, item in enumerate(raw)]
    extra_bad = sorted(i for i in portions if not 0 <= i < len(raw))
    if extra_bad:
        r.fail(f"granular markings point at missing statements {extra_bad}")
    if r.problems:
        return None, r.problems
    record = Record(
        id=entity_id, schema=schema, originator=originator, author=author, marking=marking,
        statements=tuple(s for s in statements if s is not None),
        synthetic=bool(flags["synthetic"]), version=int(version),  # type: ignore[arg-type]
        created_at=created, modified_at=modified, retracted=bool(flags["retracted"]),
        extra=dict(extra),
    )
    return record, []
