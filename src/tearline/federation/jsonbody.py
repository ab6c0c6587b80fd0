"""Decoding JSON that another party sent: the one place federation turns bytes into values.

Every body a TAXII endpoint of ours parses (receipts, purge receipts, cosignatures)
and every answer the pull client reads from a peer goes through :func:`decode`. Bad
input is a typed :class:`~tearline.errors.ValidationError` — the endpoints answer it
with a 400 in the TAXII error shape, the client turns it into a ``PeerError`` — never
an exception the caller does not expect:

* not JSON (or not UTF-8): ``ValidationError`` naming what was expected;
* nested deeper than :data:`MAX_DEPTH`: ``ValidationError`` too. Python's decoder
  recurses once per level and raises ``RecursionError`` near a thousand levels; a
  value just under that decodes, but then breaks whatever walks it recursively later
  (the canonical encoder that checks a signature, the STIX reader). So the depth is
  limited here, once, well below the interpreter's limit and well above what tearline
  and STIX ever nest (a record's statements inside its extension inside a bundle are
  about ten levels).

The depth is measured by a walk over the decoded containers, level by level and without
recursion, which costs a fraction of the decoding itself.
"""

from __future__ import annotations

import json
from typing import Any

from tearline.errors import Problem, ValidationError, tr

#: The deepest nesting of arrays and objects accepted from another party.
MAX_DEPTH = 64


def depth_exceeds(value: object, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` (as ``json.loads`` builds it: plain dicts and lists) nests arrays
    and objects more than ``limit`` levels deep.

    Level by level: each pass gathers the containers one level down, so the loop in
    Python runs once per level and the per-item work is a comprehension's (exact type
    tests: ``isinstance`` against a union costs twice as much per item)."""
    level: list[Any] = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[Any] = []
        for node in level:
            items = node.values() if type(node) is dict else node
            below += [i for i in items if type(i) is dict or type(i) is list]
        level = below
    return False


def decode(data: bytes | str, what: str) -> Any:
    """The JSON value in ``data``; :class:`ValidationError` if it is not JSON or nests
    deeper than :data:`MAX_DEPTH` (``what`` names the expected document in messages)."""
    too_deep = ValidationError(
        tr(
            "{what} nests arrays and objects deeper than {MAX_DEPTH} levels",
            what=what, MAX_DEPTH=MAX_DEPTH),
        [Problem(tr("at most {MAX_DEPTH} levels of nesting", MAX_DEPTH=MAX_DEPTH))])
    try:
        value = json.loads(data)
    except RecursionError:
        raise too_deep from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(tr("{what} is not a JSON document", what=what),
                              [Problem(str(exc)[:200])]) from exc
    if depth_exceeds(value):
        raise too_deep
    return value


def decode_object(data: bytes | str, what: str) -> dict[str, Any]:
    """:func:`decode`, and the value must be a JSON object."""
    value = decode(data, what)
    if not isinstance(value, dict):
        raise ValidationError(tr("{what} is a JSON object", what=what),
                              [Problem(tr(
                                  "expected an object, got {name}", name=type(value).__name__))])
    return value
