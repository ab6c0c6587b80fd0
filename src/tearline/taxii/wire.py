"""TAXII 2.1 on the wire: media types, request parameters, the error message resource.

Everything here is pure: parsing a request's query into a :class:`Query` (typed errors
for anything malformed) and shaping JSON resources. Bodies leave as canonical JSON
(RFC 8785) so that the signature over them is reproducible by any implementation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tearline.audit.canonical import canonical_bytes, canonical_bytes_no_floats
from tearline.errors import Problem, TearlineError, ValidationError, taxii_status, tr
from tearline.stix.ids import parse_time

TAXII_MEDIA = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: The largest request body accepted (receipts); announced as ``max_content_length``.
MAX_CONTENT_LENGTH = 10 * 1024 * 1024

_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict",
           413: "Payload Too Large", 415: "Unsupported Media Type", 500: "Internal Error",
           503: "Service Unavailable"}


def error_resource(error: TearlineError) -> tuple[int, dict[str, Any]]:
    """The TAXII 2.1 error message resource for ``error`` and its HTTP status.

    The description is the error's own message: for :class:`NotFound` it never says
    whether the thing is hidden or absent, and callers raise it with the same text.
    """
    status = taxii_status(error)
    body: dict[str, Any] = {
        "title": _TITLES.get(status, "Error"),
        "description": error.message,
        "error_code": error.code,
        "http_status": str(status),
    }
    details = error.details()
    if details:
        body["details"] = details
    return status, body


#: How every float ``json.dumps`` writes ends (``float.__repr__``: ``1.0``, ``-2.5``,
#: ``1e+16``, ``1.5e-07``), up to the ``,`` ``]`` ``}`` or end that follows a value.
#: Two searches that each start from a rare literal, so the scan of a page is short;
#: the same bytes inside a string (not a float) only send the body the slow way.
_DECIMAL_TAIL = re.compile(rb"\.[0-9]+(?:[,\]}]|\Z)")
_EXPONENT_TAIL = re.compile(rb"e[+-][0-9]+(?:[,\]}]|\Z)")


def _may_hold_float(data: bytes) -> bool:
    """False only if ``data``, compact JSON from ``json.dumps``, holds no float (nor the
    ``NaN`` and ``Infinity`` it writes for what JSON cannot carry)."""
    return (b"NaN" in data or b"Infinity" in data or _DECIMAL_TAIL.search(data) is not None
            or _EXPONENT_TAIL.search(data) is not None)


def body_bytes(value: object) -> bytes:
    """RFC 8785 bytes of a response body.

    ``json.dumps`` with sorted keys and compact separators writes exactly the RFC 8785
    bytes for everything but floats (see ``canonical_bytes_no_floats``). A body that
    cannot hold one (:func:`_may_hold_float`, a few scans in C) is final as written;
    the others go through the general encoder, which also refuses NaN and infinities.
    Parsing a page of a thousand records (1.6 MB) back to look for floats cost ten
    times the scans.
    """
    fast = canonical_bytes_no_floats(value)
    if not _may_hold_float(fast):
        return fast
    return canonical_bytes(value)


def accepts_taxii(accept: str | None) -> bool:
    """Whether an ``Accept`` header admits TAXII 2.1 JSON (absent: yes)."""
    if not accept:
        return True
    for part in accept.split(","):
        tokens = [p.strip().lower() for p in part.split(";")]
        kind = tokens[0]
        version = next((p.split("=", 1)[1] for p in tokens[1:] if p.startswith("version=")),
                       None)
        if kind in ("*/*", "application/*"):
            return True
        if kind == "application/taxii+json" and version in (None, "2.1"):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Query:
    """The filters and page of a TAXII objects or manifest request."""

    limit: int = DEFAULT_LIMIT
    next: str | None = None
    added_after: datetime | None = None
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    spec_versions: tuple[str, ...] = ()

    def context(self) -> dict[str, str | None]:
        """What a cursor is bound to: every filter (not the page size, which clients such
        as taxii2-client change between pages, nor the cursor itself)."""
        return {
            "added_after": self.added_after.isoformat() if self.added_after else None,
            "ids": ",".join(self.ids) or None,
            "types": ",".join(self.types) or None,
            "versions": ",".join(self.versions) or None,
            "spec_versions": ",".join(self.spec_versions) or None,
        }


_MATCH = {"match[id]": "ids", "match[type]": "types", "match[version]": "versions",
          "match[spec_version]": "spec_versions"}
_KNOWN = {"limit", "next", "added_after", *_MATCH}


def _split(values: Sequence[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


def parse_query(params: Mapping[str, Sequence[str]], allowed: frozenset[str] | None = None
                ) -> Query:
    """Parse a request's query parameters; :class:`ValidationError` lists every problem.

    ``allowed`` narrows which parameters the endpoint takes (others are errors, as an
    unknown filter silently ignored would return more than the client asked for).
    """
    problems: list[Problem] = []
    allowed = frozenset(_KNOWN) if allowed is None else allowed
    for name in params:
        if name not in allowed:
            problems.append(Problem(tr("unsupported parameter {name!r}", name=name), column=name))
    fields: dict[str, Any] = {}
    for name, values in params.items():
        if name not in allowed:
            continue
        if name in ("limit", "next", "added_after") and len(values) > 1:
            problems.append(Problem(tr("given more than once"), column=name))
            continue
        value = values[0] if values else ""
        if name == "limit":
            try:
                limit = int(value)
            except ValueError:
                problems.append(Problem(tr(
                    "{value!r} is not an integer", value=value), column=name))
                continue
            if limit < 1:
                problems.append(Problem(tr("must be at least 1"), column=name))
            fields["limit"] = max(1, min(limit, MAX_LIMIT))
        elif name == "next":
            fields["next"] = value
        elif name == "added_after":
            try:
                fields["added_after"] = parse_time(value)
            except (ValueError, TypeError):
                problems.append(Problem(tr(
                    "{value!r} is not a timestamp", value=value), column=name))
        else:
            fields[_MATCH[name]] = _split(values)
    versions = fields.get("versions", ())
    for v in versions:
        if v not in ("first", "last", "all"):
            try:
                parse_time(v)
            except (ValueError, TypeError):
                problems.append(Problem(tr("{v!r} is not first, last, all or a timestamp", v=v),
                                        column="match[version]"))
    if problems:
        raise ValidationError(tr("invalid TAXII request parameters"), problems)
    return Query(**fields)


def version_matches(obj: Mapping[str, Any], versions: Sequence[str]) -> bool:
    """Whether an object's version passes ``match[version]`` (one version is kept per object,
    so first, last and all each select it)."""
    if not versions:
        return True
    version = obj.get("modified", obj.get("created"))
    for v in versions:
        if v in ("first", "last", "all"):
            return True
        if isinstance(version, str) and _same_time(v, version):
            return True
    return False


def _same_time(a: str, b: str) -> bool:
    try:
        return math.isclose(parse_time(a).timestamp(), parse_time(b).timestamp(), abs_tol=1e-7)
    except (ValueError, TypeError):
        return False
