"""Why an object a partner sent was not stored as a record of its own: named, countable.

A page holds more objects than records. A tearline peer sends, with each record, the
objects derived from it for standard consumers (threat actors, relationships from
references), and on every page the supporting objects its records cite (agency
identities, marking and extension definitions). A standard source sends types tearline
has no record for. None of these is refused — there is nothing to refuse — but
"5,795 objects skipped" alone tells an administrator nothing, so each skipped object
gets one of a few reasons, fixed strings that the sync summary counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from tearline.stix.extensions import RECORD_EXTENSION_ID

DERIVED = "derived from a record of the page (threat actor or relationship; rebuilt here)"
MARKING = "marking definition (kept for the pages that cite it)"
EXTENSION = "extension definition (describes tearline's STIX extensions)"
IDENTITY = "identity of an agency or source (the objects' creator, not a person or company)"
LINK = "relationship to an object that is not a record here"


def reason(obj: Mapping[str, Any]) -> str:
    """The reason an object that maps to no record was skipped."""
    extension = (obj.get("extensions") or {}).get(RECORD_EXTENSION_ID)
    if isinstance(extension, Mapping) and "derived_from" in extension:
        return DERIVED
    kind = str(obj.get("type"))[:64]
    if kind == "marking-definition":
        return MARKING
    if kind == "extension-definition":
        return EXTENSION
    if kind == "identity":
        return IDENTITY
    if kind == "relationship":
        return LINK
    return f"STIX type {kind!r} has no tearline record type"


def count(objects: Iterable[Mapping[str, Any]]) -> Counter[str]:
    return Counter(reason(o) for o in objects)


def describe(reasons: Mapping[str, int]) -> list[str]:
    """One line per reason, the most frequent first: ``1,204 × <reason>``."""
    return [f"{n:,} × {why}" for why, n in sorted(reasons.items(), key=lambda r: (-r[1], r[0]))]
