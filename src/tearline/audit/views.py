"""What one viewer is shown of one audit entry: the whole entry, a reduced form, or nothing.

The log says who looked at what, which is itself sensitive, and an entry can name
things its viewer may not see (statements of a hidden portion, another unit's
activity, a version number that counts hidden changes). So the log is never shown
raw: each entry is shown to a viewer V (a unit of an agency) in one of three ways,
chosen by a rule that reads only what V may already know — the entry's kind and
path, whether its actor is V's own unit, whether its record exists for V and is of
V's agency — never by what the entry holds that V may not see:

* **whole** — the entry's own fields, its index and its leaf hash, so that V can ask
  for an inclusion proof: only entries of V's own unit, of the kinds in
  :data:`WHOLE_WHEN_OWN`, whose every field is something V's unit supplied or was
  shown when it acted;
* **reduced** — the fields of :data:`REDUCED` only, the actor at unit level (never
  another unit's analyst), statement ids cut to those V sees now; no index, no leaf
  hash (a hash of the whole entry would let V test guesses of what was cut), so no
  proof. An entry whose statements were all cut is not shown: it would differ from
  a world without them;
* **nothing** — everything else, answered as if the entry did not exist.

Reduced forms go to V's own unit (kinds that may name others' hidden activity, e.g.
a version count) and, for the kinds in :data:`TO_ORIGINATOR`, to units of the
record's originating agency: the originator learns who opened its data, at unit
level, never a search or listing that merely returned it (:data:`OPENING_PATHS`).
Entries about no record go to the actor's own unit only. The node's oversight
(the operator, who holds the database and the node key) sees every entry whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from tearline.audit.envelope import Event

#: Read paths that open a record (its content is shown or leaves the node). Listing
#: paths — ``search``, ``list``, ``report`` — return records the reader did not choose
#: one by one; telling their originator would tell it the reader's interests.
OPENING_PATHS = frozenset({"show", "api", "export", "federation", "cli", "web"})

#: Kinds shown whole to the actor's own unit: every field is what the unit supplied or
#: was shown when it acted (the statements it read, wrote or re-marked, its own counts).
WHOLE_WHEN_OWN = frozenset({
    "record.read", "record.created", "search.query", "aggregate.read", "audit.queried",
    "marking.changed", "consent.recorded", "key.changed", "party.changed",
    "vetting.changed", "deconflict.query", "deconflict.evaluated", "deconflict.refused",
    "deconflict.registered", "deconflict.withdrawn", "deconflict.hit",
    "consent.requested", "consent.answered",
})

#: The fields a reduced form keeps, besides ``kind``, ``at``, ``actor`` and ``entity_id``.
#: What is left out can depend on data the viewer may not see: a record's ``version``
#: counts hidden changes, ``supersedes`` may name a release of hidden statements, a
#: recall's releases and recipients may be of hidden ones.
REDUCED: Mapping[str, tuple[str, ...]] = {
    "record.created": ("statement_ids",),
    "record.updated": ("statement_ids",),
    "record.retracted": ("statement_ids",),
    "record.read": ("subject", "statement_ids", "path"),
    "marking.changed": ("statement_ids", "marking_id", "previous_marking_id"),
    "release.created": ("release_id", "statement_ids", "recipient", "legal_basis"),
    "release.onward": ("release_id", "statement_ids", "from_party", "recipient",
                       "legal_basis", "consent_id"),
    "consent.recorded": ("consent_id", "originator", "to_agency", "decision"),
    "recall.issued": ("recall_id",),
}

#: Kinds about a record whose reduced form units of the record's originating agency see
#: when another unit is the actor (``record.read`` only by an opening path).
TO_ORIGINATOR = frozenset({
    "record.created", "record.updated", "record.retracted", "record.read",
    "marking.changed", "release.created", "release.onward", "consent.recorded",
})

Form = Literal["whole", "reduced"]


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who reads the log: a unit of an agency (the policy subject, analyst or not)."""

    unit: str
    agency: str


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What the viewer knows now of the record an entry is about (it exists for them)."""

    originator: str
    visible: frozenset[str]  # ids of the statements the viewer is shown now


@dataclass(frozen=True, slots=True)
class View:
    """An entry as one viewer is shown it; ``detail`` holds the kind's other fields."""

    form: Form
    kind: str
    at: str
    actor: str
    entity_id: str | None
    detail: dict[str, Any]


def unit_of(actor: str) -> str | None:
    """The unit an audit actor belongs to (``unit:U``, ``analyst:x@U``); None for others."""
    kind, _, rest = actor.partition(":")
    if kind == "unit":
        return rest
    if kind == "analyst":
        return rest.partition("@")[2]
    return None


def at_unit_level(actor: str) -> str:
    """``analyst:x@U`` as ``unit:U``; any other actor unchanged."""
    kind, _, rest = actor.partition(":")
    return f"unit:{rest.partition('@')[2]}" if kind == "analyst" else actor


_ENVELOPE = ("v", "kind", "at", "actor", "entity_id")


def whole(event: Event) -> View:
    """The entry as it is (for its own unit, or for the node's oversight)."""
    body = event.to_json()
    return View("whole", event.kind, event.at, event.actor, body.get("entity_id"),
                {k: v for k, v in body.items() if k not in _ENVELOPE})


def reduced(event: Event, facts: RecordFacts, own: bool = False) -> View | None:
    """The reduced form of an entry about a record (None: nothing of it may be shown).

    ``own``: the viewer's own unit is the actor, so its analysts are named.
    """
    people = (lambda who: who) if own else at_unit_level
    body = event.to_json()
    detail: dict[str, Any] = {}
    for name in REDUCED[event.kind]:
        value = body[name]
        if name == "statement_ids":
            kept = [s for s in value if s in facts.visible]
            if value and not kept:
                return None
            value = kept
        elif name == "subject":
            value = people(value)
        detail[name] = value
    return View("reduced", event.kind, event.at, people(event.actor),
                body.get("entity_id"), detail)


def view(event: Event, viewer: Viewer, facts: RecordFacts | None) -> View | None:
    """What ``viewer`` is shown of ``event`` (module doc); None: nothing.

    ``facts`` describes the entry's record when it has one and that record exists for
    the viewer now; an entry about a record that does not exist for the viewer is not
    shown, as for an id that never existed.
    """
    entity_id = getattr(event, "entity_id", None)
    if entity_id is not None and facts is None:
        return None
    own = unit_of(event.actor) == viewer.unit
    if own and event.kind in WHOLE_WHEN_OWN:
        return whole(event)
    if facts is None or event.kind not in REDUCED:
        return None
    if own:
        return reduced(event, facts, own=True)
    if facts.originator != viewer.agency or event.kind not in TO_ORIGINATOR:
        return None
    if event.kind == "record.read" and getattr(event, "path", None) not in OPENING_PATHS:
        return None
    return reduced(event, facts)
