"""The common envelope of audit events: validation, registry, canonical round trip.

Each kind of event is a frozen dataclass (:mod:`tearline.audit.events`) registered
here under its kind name. Its canonical form — the bytes that become a Merkle leaf —
is the RFC 8785 encoding of one flat JSON object::

    {"v": 1, "kind": "record.read", "at": "2025-01-31T17:04:05.123456Z",
     "actor": "analyst:ana@mx.semar.uie", <the kind's own fields>}

Field values are strings, integers, booleans, lists of strings or null, and each is
checked on construction against the rule attached to its type, so an event that
exists is an event that can be logged. Parsing accepts only the canonical bytes of a
valid event: any other spelling of the same content is rejected, so one event has
exactly one leaf hash. The fields' types and their checks are :mod:`tearline.audit.fields`.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any, ClassVar, Self, TypeVar, get_type_hints

from tearline.audit.canonical import canonical_bytes_no_floats
from tearline.audit.fields import Checker, Subject, Timestamp, _checker
from tearline.errors import Problem, ValidationError, tr

#: The version of the envelope; a change of field meaning gets a new number.
ENVELOPE_VERSION = 1
ENVELOPE_KEYS = ("v", "kind", "at", "actor")
MIN_SALT_BYTES = 16


def utc_timestamp(moment: datetime) -> str:
    """The envelope's time form: UTC, ISO 8601, microseconds, a ``Z`` suffix."""
    if moment.tzinfo is None:
        raise ValidationError(tr("timestamp {moment} has no time zone", moment=moment.isoformat()))
    text = moment.astimezone(UTC).isoformat(timespec="microseconds")
    return text.replace("+00:00", "Z")


def commit_value(salt: bytes, value: str) -> str:
    """A salted commitment to a sensitive value: hex HMAC-SHA256(salt, UTF-8 value).

    The clear value never enters an event. Whoever holds the node's salt can later
    confirm that a given value was the one logged; nobody else can test guesses.
    """
    if len(salt) < MIN_SALT_BYTES:
        raise ValidationError(tr(
            "a commitment salt needs at least {MIN_SALT_BYTES} bytes",
            MIN_SALT_BYTES=MIN_SALT_BYTES))
    try:
        message = value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(tr("a committed value must be valid Unicode text")) from exc
    return hmac.new(salt, message, "sha256").hexdigest()


@dataclass(frozen=True, kw_only=True)
class Event:
    """The envelope every event carries: when, and who acted."""

    kind: ClassVar[str] = ""

    at: Timestamp
    actor: Subject

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        for name, check in _field_checkers(type(self)):
            value = check(name, getattr(self, name), problems)
            object.__setattr__(self, name, value)
        if not problems:
            try:
                datetime.fromisoformat(self.at)
            except ValueError:
                problems.append(Problem(tr(
                    "{at!r} is not a real date and time", at=self.at), column="at"))
        if not problems:
            self.check(problems)
        if problems:
            raise ValidationError(tr("invalid {kind} event", kind=self.kind), problems)

    def check(self, problems: list[Problem]) -> None:
        """Rules across fields; kinds that have some override this."""

    def derive(self, **values: Any) -> Self:
        """This event with ``values`` for some of its fields, checked as construction
        checks them.

        A read logs one entry per record shown, alike but for the record's fields; each
        constructed anew checked every field again (the time, the actor, the path…) and
        parsed the time, though only the record's values differ. A copy checks each
        changed value with its field's own checker and keeps the rest, already checked
        when ``self`` was made: the same event, and the same :class:`ValidationError`
        for a bad value, as constructing it whole. Kinds with rules across fields (an
        overridden :meth:`check`), and a new time (its parse), are constructed whole.
        """
        cls = type(self)
        if cls.check is not Event.check or "at" in values:
            return replace(self, **values)
        checkers = _checker_map(cls)
        problems: list[Problem] = []
        state = dict(vars(self))
        for name, value in values.items():
            check = checkers.get(name)
            if check is None:
                raise TypeError(f"{cls.__name__} has no field {name!r}")
            state[name] = check(name, value, problems)
        if problems:
            raise ValidationError(tr("invalid {kind} event", kind=self.kind), problems)
        copy = object.__new__(cls)
        vars(copy).update(state)  # a frozen dataclass: set as __init__ sets them
        return copy

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"v": ENVELOPE_VERSION, "kind": self.kind}
        for name in _field_names(type(self)):
            value = getattr(self, name)
            body[name] = list(value) if type(value) is tuple else value
        return body

    def to_canonical(self) -> bytes:
        """The RFC 8785 bytes of the envelope: what the log hashes into a leaf.

        Fields are validated on construction (strings, safe integers, booleans, null,
        lists of strings; ASCII names), so the fast encoder applies. The instance's
        own dictionary holds exactly its fields (a frozen dataclass without slots), and
        tuples encode as arrays, so the body is built without :meth:`to_json`'s copy.
        """
        return canonical_bytes_no_floats({"v": ENVELOPE_VERSION, "kind": self.kind, **vars(self)})


_HINTS: dict[type, tuple[tuple[str, Any], ...]] = {}
_CHECKERS: dict[type, tuple[tuple[str, Checker], ...]] = {}
_NAMES: dict[type, tuple[str, ...]] = {}


def _field_hints(cls: type[Event]) -> tuple[tuple[str, Any], ...]:
    """(name, type hint) of each field of an event type, resolved once per type."""
    found = _HINTS.get(cls)
    if found is None:
        hints = get_type_hints(cls, include_extras=True)
        found = _HINTS[cls] = tuple((f.name, hints[f.name]) for f in fields(cls))
    return found


def _field_names(cls: type[Event]) -> tuple[str, ...]:
    found = _NAMES.get(cls)
    if found is None:
        found = _NAMES[cls] = tuple(name for name, _hint in _field_hints(cls))
    return found


def _field_checkers(cls: type[Event]) -> tuple[tuple[str, Checker], ...]:
    found = _CHECKERS.get(cls)
    if found is None:
        found = _CHECKERS[cls] = tuple((name, _checker(h)) for name, h in _field_hints(cls))
    return found


_CHECKER_MAPS: dict[type, dict[str, Checker]] = {}


def _checker_map(cls: type[Event]) -> dict[str, Checker]:
    found = _CHECKER_MAPS.get(cls)
    if found is None:
        found = _CHECKER_MAPS[cls] = dict(_field_checkers(cls))
    return found


REGISTRY: dict[str, type[Event]] = {}
E = TypeVar("E", bound=type[Event])


def register(kind: str) -> Callable[[E], E]:
    """Class decorator: file an event type under its kind name."""

    def file(cls: E) -> E:
        if kind in REGISTRY:
            raise TypeError(f"event kind {kind} registered twice")
        reserved = set(ENVELOPE_KEYS) & {f.name for f in fields(cls)} - {"at", "actor"}
        if reserved:
            raise TypeError(f"{cls.__name__} uses reserved field names {sorted(reserved)}")
        cls.kind = kind
        REGISTRY[kind] = cls
        return cls

    return file


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("duplicate keys")
    return out


def event_from_canonical(data: bytes) -> Event:
    """Parse a leaf back into its event; :class:`ValidationError` if it is not one."""
    try:
        body = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(tr("audit entry is not JSON: {exc}", exc=exc)) from exc
    if not isinstance(body, dict):
        raise ValidationError(tr("audit entry is not a JSON object"))
    if body.get("v") != ENVELOPE_VERSION:
        raise ValidationError(tr("unsupported audit envelope version {body!r}", body=body.get('v')))
    kind = body.get("kind")
    cls = REGISTRY.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValidationError(tr("unknown audit event kind {kind!r}", kind=kind))
    names = {f.name for f in fields(cls)}
    given = set(body) - {"v", "kind"}
    problems = [Problem(tr("unknown field"), column=k) for k in sorted(given - names)]
    problems += [Problem(tr("missing field"), column=k) for k in sorted(names - given)]
    if problems:
        raise ValidationError(tr("invalid {kind} event", kind=kind), problems)
    event = cls(**{k: body[k] for k in names})
    if event.to_canonical() != data:
        raise ValidationError(tr("{kind} event is not in canonical form (RFC 8785)", kind=kind))
    return event
