"""The fields of audit events: the rule each kind of value obeys, and its checker.

Every field of an event (:mod:`tearline.audit.events`) is typed with one of these
annotated types (``Timestamp``, ``Subject``, ``Id``, …), each carrying a :class:`Rule`
(a pattern, a minimum, a length); :func:`_checker` turns a type into a validating
function, built once per type, which :class:`~tearline.audit.envelope.Event` runs on
construction. Apart from the envelope (the registry and the canonical round trip)
because what a value may be is its own concern, and the catalogue reads its rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, get_args, get_origin

from tearline.errors import Problem, tr


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
                problems.append(Problem(tr(
                    "{value!r} is not a valid {label}",
                    value=value, label=rule.label), column=name))
            if isinstance(value, int) and rule.minimum is not None and value < rule.minimum:
                problems.append(Problem(tr(
                    "{value} is below {minimum}", value=value, minimum=rule.minimum), column=name))
            return value

        return annotated
    if origin is Literal:
        allowed_values = get_args(hint)
        allowed = ", ".join(allowed_values)

        def literal(name: str, value: Any, problems: list[Problem]) -> Any:
            if value not in allowed_values:
                problems.append(Problem(tr(
                    "{value!r} is not one of: {allowed}",
                    value=value, allowed=allowed), column=name))
            return value

        return literal
    if origin is tuple:
        item = _checker(get_args(hint)[0])
        valid = _valid_text(get_args(hint)[0])

        def sequence(name: str, value: Any, problems: list[Problem]) -> Any:
            if not isinstance(value, list | tuple):
                problems.append(Problem(tr("expected a list"), column=name))
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
