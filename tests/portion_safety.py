"""What a STIX consumer that ignores granular markings holds, and under which marking.

Such a consumer (MISP's ``misp-stix``, a script reading ``object_marking_refs``) keeps
every value of an object under the object's markings alone. :func:`wider` lists each
portion value that such a consumer would hold under markings wider than the portion's
own: the finding of issue #21 (an AMBER nationality inside a GREEN object's
``description``, tagged GREEN by MISP).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.stix.markings import TLP_BY_ID, is_plain, marking_refs


def strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON value (keys and values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def covers(refs: Iterable[str], marking: Marking) -> bool:
    """Do object-level ``refs`` say at least what ``marking`` says?"""
    refs = set(refs)
    if set(marking_refs(marking)) <= refs:
        return True
    levels = [TLP_BY_ID[r].rank for r in refs if r in TLP_BY_ID]
    return is_plain(marking) and bool(levels) and max(levels) >= marking.tlp.rank


def blind(obj: dict[str, Any]) -> dict[str, Any]:
    """The object as a consumer that ignores granular markings keeps it."""
    return {k: v for k, v in obj.items() if k != "granular_markings"}


def wider(objects: Iterable[dict[str, Any]], records: Iterable[Record]) -> list[str]:
    """Each (object, portion value) where the value sits under markings wider than its own.

    A value counts as carried by an object when one of the object's strings contains it;
    test records use values that occur nowhere else. A portion naming another record
    (a link's end) is a link, not a value: records are named everywhere, and which
    object carries the link is checked by the tests of links.
    """
    records = list(records)
    ids = {r.id for r in records}
    portions = [(s.value, s.marking) for r in records for s in r.statements
                if s.marking is not None and s.marking != r.marking and s.value not in ids]
    found = []
    for obj in objects:
        if obj.get("type") == "marking-definition":
            continue
        seen = blind(obj)
        text = list(strings(seen))
        for value, marking in portions:
            if any(value in t for t in text) and not covers(
                    seen.get("object_marking_refs", []), marking):
                found.append(f"{obj['id']}: {value!r} under "
                             f"{seen.get('object_marking_refs')} (needs {marking})")
    return found
