"""Where the records of a file go: ids in the writing unit's own namespace.

A file names its records with ids of its own choosing (references between its lines
need them, and re-ingesting the same file must add nothing). Such an id may already
belong to a record of another party that the writer may not see; writing into that
record, or answering "1 changed" instead of "1 new", would tell the writer it exists.
So a file's id ``X`` names an existing record only when that record exists *for the
writer*. Otherwise the record is the writer's own, created (or, on a second ingest,
found again) under ``own_id(unit, X)``: ``<unit>..<X>``, e.g. ``mx.fgr.femdo..p-1``.
A hidden ``X`` and a free ``X`` then give the writer the same id, the same answer
and the same store, and nobody else's record is touched.

The form is readable, a valid FollowTheMoney entity id (letters, digits, ``.`` and
``-``) and safe in a URL path. ``..`` never occurs in a unit id (its dotted parts are
never empty), so the part before the first ``..`` names the owning unit; the store
refuses a new record under a namespace that is not its author's (``store/writer.py``),
which keeps every unit's namespace its own. A unit id that is not a valid
FollowTheMoney id (an ``_``, or very long) is replaced by a digest (``u…``, no dot:
never a unit id), and so is a file id that would not fit (its readable part kept).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tearline.model.marking import Marking

#: FollowTheMoney's entity id (``EntityType.REGEX``), the form a reference can take.
FTM_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$")
SEPARATOR = ".."
#: The longest id a record may have (``model.record.ENTITY_ID``).
MAX_ID = 128
#: A unit id longer than this is replaced by its digest in the namespace.
MAX_NAMESPACE = 64


def _digest(text: str, size: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:size]


def namespace(unit: str) -> str:
    """The prefix of the ids of ``unit``'s own records."""
    if len(unit) <= MAX_NAMESPACE and FTM_ID.fullmatch(unit) and SEPARATOR not in unit:
        return unit
    return "u" + _digest(unit, 24)


def owner(entity_id: str) -> str | None:
    """The namespace an id lies in (the part before its first ``..``), if any."""
    head, sep, _ = entity_id.partition(SEPARATOR)
    return head if sep else None


def own_id(unit: str, file_id: str) -> str:
    """The id under which ``unit`` keeps the record its file calls ``file_id``.

    An id already in ``unit``'s namespace is kept (a file exported by the unit and
    ingested again names the same records).
    """
    prefix = namespace(unit)
    if owner(file_id) == prefix:
        return file_id
    candidate = f"{prefix}{SEPARATOR}{file_id}"
    if len(candidate) <= MAX_ID and FTM_ID.fullmatch(candidate):
        return candidate
    readable = re.sub(r"[^0-9a-zA-Z.-]+", "-", file_id).strip(".-")
    room = MAX_ID - len(prefix) - len(SEPARATOR) - 17
    readable = readable[:room].rstrip(".-")
    tail = _digest(file_id, 16)
    return f"{prefix}{SEPARATOR}{readable}-{tail}" if readable else f"{prefix}{SEPARATOR}{tail}"


@dataclass(frozen=True, slots=True)
class Target:
    """An existing record a file's id names: its head as the writer may know it."""

    id: str
    schema: str
    originator: str
    author: str
    marking: Marking


@dataclass(frozen=True, slots=True)
class Placement:
    """What a writer's file ids name, decided from what exists *for the writer* only.

    ``existing`` holds the writer unit's own records among the ids asked about (by
    their own-namespace id, whatever their visibility: they are its own) and the
    records that exist for the writer; ``blocked`` the own-namespace ids held by a
    record of another author (written before namespaces were enforced), which the
    writer may neither create nor change.
    """

    unit: str
    existing: Mapping[str, Target] = field(default_factory=dict)
    blocked: frozenset[str] = frozenset()

    def id_for(self, file_id: str) -> str:
        """The stored id for ``file_id``: the writer's own record first, then a record
        that exists for the writer, else a new record of the writer's own."""
        own = own_id(self.unit, file_id)
        if own in self.existing or own in self.blocked or file_id not in self.existing:
            return own
        return file_id

    def target(self, file_id: str) -> Target | None:
        """The existing record ``file_id`` names, or ``None`` for a new record."""
        return self.existing.get(self.id_for(file_id))
