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
exactly one leaf hash.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, TypeVar, get_args, get_origin, get_type_hints

from tearline.audit.canonical import canonical_bytes_no_floats
from tearline.errors import Problem, ValidationError

#: The version of the envelope; a change of field meaning gets a new number.
ENVELOPE_VERSION = 1
ENVELOPE_KEYS = ("v", "kind", "at", "actor")
MIN_SALT_BYTES = 16


@dataclass(frozen=True, slots=True)
class Rule:
    """What a field's value must look like, and how the catalogue names it."""

    label: str
    pattern: re.Pattern[str] | None = None
    minimum: int | None = None
    max_length: int = 256


_DOTTED = r"[a-z][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)*"
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_HEX64 = re.compile(r"[0-9a-f]{64}")

Timestamp = Annotated[
    str, Rule("UTC timestamp", re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z"))
]
Subject = Annotated[
    str,
    Rule(
        "subject",
        re.compile(
            rf"analyst:[a-z0-9][a-z0-9._-]{{0,63}}@{_DOTTED}|(?:unit|agency|node):{_DOTTED}|system"
        ),
    ),
]
Party = Annotated[str, Rule("party", re.compile(rf"(?:unit|agency|node):{_DOTTED}"))]
Recipient = Annotated[
    str,
    Rule("recipient (unit:, agency: or vetted-by:)",
         re.compile(rf"(?:unit|agency|vetted-by):{_DOTTED}")),
]
AgreementId = Annotated[
    str, Rule("agreement id", re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}"))
]
AgencyId = Annotated[str, Rule("agency id", re.compile(_DOTTED))]
Id = Annotated[str, Rule("id", _ID)]
Ids = tuple[Id, ...]
Version = Annotated[int, Rule("version ≥ 1", minimum=1)]
Count = Annotated[int, Rule("count ≥ 0", minimum=0)]
Commitment = Annotated[str, Rule("commitment (HMAC-SHA256, 64 hex)", _HEX64)]
Digest = Annotated[str, Rule("SHA-256 digest (64 hex)", _HEX64)]
Date = Annotated[str, Rule("date (YYYY-MM-DD)", re.compile(r"\d{4}-\d\d-\d\d"))]
TokenPrefix = Annotated[str, Rule("token prefix (≤ 8 chars)", re.compile(r"[A-Za-z0-9_-]{1,8}"))]
KeyId = Annotated[
    str, Rule("key id (hex, or an API token's base32 prefix)", re.compile(r"[0-9a-z]{8,64}"))
]


def utc_timestamp(moment: datetime) -> str:
    """The envelope's time form: UTC, ISO 8601, microseconds, a ``Z`` suffix."""
    if moment.tzinfo is None:
        raise ValidationError(f"timestamp {moment.isoformat()} has no time zone")
    text = moment.astimezone(UTC).isoformat(timespec="microseconds")
    return text.replace("+00:00", "Z")


def commit_value(salt: bytes, value: str) -> str:
    """A salted commitment to a sensitive value: hex HMAC-SHA256(salt, UTF-8 value).

    The clear value never enters an event. Whoever holds the node's salt can later
    confirm that a given value was the one logged; nobody else can test guesses.
    """
    if len(salt) < MIN_SALT_BYTES:
        raise ValidationError(f"a commitment salt needs at least {MIN_SALT_BYTES} bytes")
    try:
        message = value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError("a committed value must be valid Unicode text") from exc
    return hmac.new(salt, message, "sha256").hexdigest()


Checker = Callable[[str, Any, list[Problem]], Any]


def _check(name: str, hint: Any, value: Any, problems: list[Problem]) -> Any:
    """Validate one value against its type hint; returns it normalized (lists → tuples)."""
    return _checker(hint)(name, value, problems)


@cache
def _checker(hint: Any) -> Checker:
    """A validating function for values of ``hint``, built once per type hint.

    Building the checks once, instead of walking the type hint for every value,
    keeps constructing an event cheap: the log constructs one per read and write.
    """
    origin = get_origin(hint)
    if origin is Annotated:
        base, *extras = get_args(hint)
        inner = _checker(base)
        rule = next(e for e in extras if isinstance(e, Rule))

        def annotated(name: str, value: Any, problems: list[Problem]) -> Any:
            value = inner(name, value, problems)
            if isinstance(value, str) and (
                len(value) > rule.max_length
                or (rule.pattern is not None and not rule.pattern.fullmatch(value))
            ):
                problems.append(Problem(f"{value!r} is not a valid {rule.label}", column=name))
            if isinstance(value, int) and rule.minimum is not None and value < rule.minimum:
                problems.append(Problem(f"{value} is below {rule.minimum}", column=name))
            return value

        return annotated
    if origin is Literal:
        allowed_values = get_args(hint)
        allowed = ", ".join(allowed_values)

        def literal(name: str, value: Any, problems: list[Problem]) -> Any:
            if value not in allowed_values:
                problems.append(Problem(f"{value!r} is not one of: {allowed}", column=name))
            return value

        return literal
    if origin is tuple:
        item = _checker(get_args(hint)[0])
        valid = _valid_text(get_args(hint)[0])

        def sequence(name: str, value: Any, problems: list[Problem]) -> Any:
            if not isinstance(value, list | tuple):
                problems.append(Problem("expected a list", column=name))
                return value
            # A list of ids (a write's statement ids: thousands) is checked in one
            # pass; only a list with a bad item is walked item by item, for problems.
            if valid is not None and all(map(valid, value)):
                return tuple(value)
            return tuple(item(f"{name}[{i}]", v, problems) for i, v in enumerate(value))

        return sequence
    args = get_args(hint)
    if type(None) in args:  # X | None
        present = _checker(next(a for a in args if a is not type(None)))

        def optional(name: str, value: Any, problems: list[Problem]) -> Any:
            return None if value is None else present(name, value, problems)

        return optional
    if hint is bool:
        return _scalar(lambda v: isinstance(v, bool), "expected true or false")
    if hint is int:
        return _scalar(
            lambda v: isinstance(v, int) and not isinstance(v, bool), "expected an integer"
        )
    if hint is str:
        return _scalar(lambda v: isinstance(v, str), "expected a string")
    raise TypeError(f"unsupported field type {hint!r}")  # a programming error in an event


def _valid_text(hint: Any) -> Callable[[Any], bool] | None:
    """For ``Annotated[str, Rule]``: whether a value passes its check with no problem
    (the checker then returns it unchanged); ``None`` for other hints."""
    if get_origin(hint) is not Annotated:
        return None
    base, *extras = get_args(hint)
    if base is not str:
        return None
    rule = next(e for e in extras if isinstance(e, Rule))
    longest, pattern = rule.max_length, rule.pattern

    def valid(value: Any) -> bool:
        return type(value) is str and len(value) <= longest and (
            pattern is None or pattern.fullmatch(value) is not None)

    return valid


def _scalar(test: Callable[[Any], bool], message: str) -> Checker:
    def scalar(name: str, value: Any, problems: list[Problem]) -> Any:
        if not test(value):
            problems.append(Problem(message, column=name))
        return value

    return scalar


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
                problems.append(Problem(f"{self.at!r} is not a real date and time", column="at"))
        if not problems:
            self.check(problems)
        if problems:
            raise ValidationError(f"invalid {self.kind} event", problems)

    def check(self, problems: list[Problem]) -> None:
        """Rules across fields; kinds that have some override this."""

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
        raise ValidationError(f"audit entry is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise ValidationError("audit entry is not a JSON object")
    if body.get("v") != ENVELOPE_VERSION:
        raise ValidationError(f"unsupported audit envelope version {body.get('v')!r}")
    kind = body.get("kind")
    cls = REGISTRY.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValidationError(f"unknown audit event kind {kind!r}")
    names = {f.name for f in fields(cls)}
    given = set(body) - {"v", "kind"}
    problems = [Problem("unknown field", column=k) for k in sorted(given - names)]
    problems += [Problem("missing field", column=k) for k in sorted(names - given)]
    if problems:
        raise ValidationError(f"invalid {kind} event", problems)
    event = cls(**{k: body[k] for k in names})
    if event.to_canonical() != data:
        raise ValidationError(f"{kind} event is not in canonical form (RFC 8785)")
    return event
