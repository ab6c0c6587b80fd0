"""Canonical bytes of a JSON value: RFC 8785, the JSON Canonicalization Scheme.

An audit entry is hashed, so the same event must always give the same bytes, on
every node and in every language: keys sorted by UTF-16 code units, no
insignificant whitespace, numbers in their ECMAScript shortest form. RFC 8785 says
exactly that and has implementations in most languages, so a partner can re-derive
our leaves without our code.
"""

from __future__ import annotations

import json
import json.encoder as _json_encoder
import math
from collections.abc import Mapping
from typing import Any

import rfc8785

from tearline.errors import Problem, ValidationError, tr


def _problems(value: object, path: str, out: list[Problem]) -> bool:
    """Find every value JSON cannot carry, with its location, before encoding; True
    when the value holds no float and only ASCII keys (the fast encoder's domain)."""
    if value is None or isinstance(value, bool | str):
        return True
    if isinstance(value, int):
        if abs(value) > 2**53 - 1:  # RFC 8785 numbers are IEEE 754 doubles
            out.append(Problem(tr(
                "integer {value} is outside ±(2**53 - 1)", value=value), column=path or "$"))
        return True
    if isinstance(value, float):
        if not math.isfinite(value):
            out.append(Problem(tr("{value} is not a JSON number", value=value), column=path or "$"))
        return False
    plain = True
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                out.append(Problem(tr("key {key!r} is not a string", key=key), column=path or "$"))
                continue
            plain = _problems(item, f"{path}.{key}" if path else key, out) and plain
            plain = plain and key.isascii()
        return plain
    if isinstance(value, list | tuple):
        for position, item in enumerate(value):
            plain = _problems(item, f"{path}[{position}]", out) and plain
        return plain
    out.append(Problem(tr(
        "type {name} has no JSON form", name=type(value).__name__), column=path or "$"))
    return False


def canonical_bytes(value: object) -> bytes:
    """The RFC 8785 encoding of ``value``; :class:`ValidationError` lists what cannot be.

    A value with no float and only ASCII keys (every document and event tearline
    signs) is written by the C encoder (:func:`canonical_bytes_no_floats`): the same
    bytes without a walk in Python; anything else by the reference encoder."""
    problems: list[Problem] = []
    plain = _problems(value, "", problems)
    if problems:
        raise ValidationError(tr("value cannot be canonicalized as JSON"), problems)
    if plain and _COMPACT_C is not None:
        try:
            return "".join(_COMPACT_C(value, 0)).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: the reference encoder names the problem
    try:
        return rfc8785.dumps(value)  # type: ignore[arg-type]  # checked by _problems above
    except rfc8785.CanonicalizationError as exc:  # e.g. lone surrogates in a string
        raise ValidationError(tr("value cannot be canonicalized as JSON: {exc}", exc=exc)) from exc


def _no_default(value: object) -> object:
    raise TypeError(f"type {type(value).__name__} has no JSON form")


#: The C encoder that ``json.dumps(sort_keys=True, separators=(",", ":"),
#: ensure_ascii=False)`` builds on every call, built once: an event is small, and
#: building the encoder is a sizeable share of encoding one. No circular-reference
#: markers: events are flat. ``None`` where the interpreter has no C accelerator.
_C_MAKE_ENCODER: Any = getattr(_json_encoder, "c_make_encoder", None)
_COMPACT_C: Any = (
    _C_MAKE_ENCODER(
        None, _no_default, _json_encoder.encode_basestring, None, ":", ",", True, False, True
    )
    if _C_MAKE_ENCODER is not None
    else None
)


def canonical_bytes_no_floats(value: object) -> bytes:
    """RFC 8785 bytes of a value already known to hold no floats, with ASCII keys.

    For strings, safe integers, booleans, null, lists and objects with ASCII keys,
    ``json.dumps`` with sorted keys, compact separators and raw UTF-8 writes exactly
    the RFC 8785 bytes (the same short escapes, lowercase ``\\u00xx`` for other
    control characters, integers in decimal) in C, without the general encoder's walk
    in Python; a property test pins the two together. Text that UTF-8 cannot
    carry (a lone surrogate) goes to :func:`canonical_bytes`, which rejects it.
    """
    try:
        if _COMPACT_C is not None:
            return "".join(_COMPACT_C(value, 0)).encode("utf-8")
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return canonical_bytes(value)
