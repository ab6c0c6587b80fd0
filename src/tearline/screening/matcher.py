"""The screening of a party against the designations: candidates by name keys, scored
with reasons.

**Candidates.** Every name of every designation is parsed once and indexed by its
blocking keys (:func:`tearline.resolve.names.name_keys`: the phonetic surnames with
given-name initials, the first given name with the start of the paternal surname); a
party is compared with the designations that share a key with one of its names.
Organizations are compared by their folded names (exact after folding accents, case,
punctuation and legal-form words).

**Score.** For a person, the best :func:`~tearline.resolve.names.name_similarity` over
its names and the designation's (its reasons are the evidence), then:

* an identity number, tax number or passport equal on both sides is decisive (score 1);
  one of the same kind on both sides and none equal rules the pair out — two people
  with different CURPs are two people, however alike their names;
* a birth date equal on both sides adds :data:`SAME_BIRTH`; one within a typist's
  error (day and month swapped, one digit) adds half; dates that all differ subtract
  :data:`OTHER_BIRTH` (siblings and namesakes share names, rarely birth dates);
* a nickname on both sides adds :data:`SAME_NICKNAME` (weak evidence only).

A pair scoring at least :data:`REVIEW` is a hit: **match** from :data:`MATCH`, else
**review** (a person looks at it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tearline.resolve.names import (
    NameEvidence,
    PersonName,
    name_keys,
    name_similarity,
    parse_name,
)
from tearline.resolve.phonetic import fold
from tearline.screening.parties import IDENTIFIERS, Designation, Party

MATCH = 0.90
REVIEW = 0.75
SAME_BIRTH = 0.08
OTHER_BIRTH = 0.20
SAME_NICKNAME = 0.03
_LEGAL = frozenset({"sa", "de", "cv", "s", "a", "c", "v", "srl", "sc", "inc", "llc", "ltd",
                    "rl", "the", "la", "el", "los", "las", "y"})


@dataclass(frozen=True, slots=True)
class Hit:
    party: Party
    designation: Designation
    score: float
    decision: str
    #: the party's name and the listed name that matched best
    name: str
    listed_name: str
    evidence: tuple[str, ...]


@lru_cache(maxsize=65_536)
def _parsed(text: str) -> PersonName:
    return parse_name(text)


@lru_cache(maxsize=65_536)
def _similarity(a: str, b: str) -> NameEvidence:
    return name_similarity(_parsed(a), _parsed(b))


def _org_key(text: str) -> str:
    words = [w for w in re.split(r"[^0-9a-z]+", fold(text)) if w and w not in _LEGAL]
    return " ".join(words)


class Screener:
    """The designations, indexed for screening."""

    def __init__(self, designations: Iterable[Designation]) -> None:
        self.designations = sorted(designations, key=lambda d: d.party.id)
        #: blocking key → (designation, listed name) pairs
        self._people: dict[str, set[tuple[int, str]]] = defaultdict(set)
        self._orgs: dict[str, set[int]] = defaultdict(set)
        #: decisive identifier (property, value) → designations: an identifier shared
        #: decides whatever the names, so it is a blocking key of its own
        self._ids: dict[tuple[str, str], set[int]] = defaultdict(set)
        for i, d in enumerate(self.designations):
            for prop, value in d.party.identifiers:
                if prop in IDENTIFIERS:
                    self._ids[(prop, value)].add(i)
            for name in d.party.names:
                if d.party.person:
                    for key in name_keys(_parsed(name)):
                        self._people[key].add((i, name))
                elif key := _org_key(name):
                    self._orgs[key].add(i)

    def screen(self, party: Party) -> list[Hit]:
        """The hits of ``party``, best first (then by designation id)."""
        hits = []
        for i, pairs in sorted(self._candidates(party).items()):
            designation = self.designations[i]
            if designation.party.id == party.id:
                continue  # the listed record itself
            hit = (_person_hit(party, designation, pairs) if party.person
                   else _org_hit(party, designation))
            if hit is not None:
                hits.append(hit)
        hits.sort(key=lambda h: (-h.score, h.designation.party.id))
        return hits

    def _candidates(self, party: Party) -> dict[int, set[tuple[str, str]]]:
        """Designation → the (party's name, listed name) pairs that share a key."""
        found: dict[int, set[tuple[str, str]]] = defaultdict(set)
        if party.person:
            for name in party.names:
                for key in name_keys(_parsed(name)):
                    for i, listed in self._people.get(key, ()):
                        found[i].add((name, listed))
            for ident in party.identifiers:
                for i in self._ids.get(ident, ()):
                    found[i].update((name, listed) for name in party.names
                                    for listed in self.designations[i].party.names)
        else:
            for name in party.names:
                for i in self._orgs.get(_org_key(name), ()):
                    found[i].add((name, name))
        return found


def _decision(score: float) -> str:
    return "match" if score >= MATCH else "review"


def _org_hit(party: Party, designation: Designation) -> Hit | None:
    for name in party.names:
        for listed in designation.party.names:
            if _org_key(name) and _org_key(name) == _org_key(listed):
                return Hit(party, designation, 1.0, "match", name, listed,
                           (f"name {name!r} equals listed {listed!r} once folded",))
    return None


def _person_hit(party: Party, designation: Designation,
                pairs: set[tuple[str, str]]) -> Hit | None:
    """The pair scored: its best names (of those sharing a blocking key), then the rest."""
    listed = designation.party
    best = max(((_similarity(a, b), a, b) for a, b in pairs),
               key=lambda found: (found[0].score, found[1], found[2]))
    evidence, a, b = best
    score = evidence.score
    why = [f"name {a!r} ~ listed {b!r}: {score:.3f}"
           + (f" ({'; '.join(evidence.reasons)})" if evidence.reasons else "")]
    ids = _identifiers(party, listed)
    if ids is False:
        return None
    if isinstance(ids, str) and ids:
        score = 1.0
        why.append(ids)
    score, said = _births(score, party.birth_dates, listed.birth_dates)
    why.extend(said)
    shared = sorted({fold(n) for n in party.nicknames} & {fold(n) for n in listed.nicknames})
    if shared:
        score += SAME_NICKNAME
        why.append(f"nickname {shared[0]!r} on both (weak evidence)")
    score = round(max(0.0, min(1.0, score)), 3)
    if score < REVIEW:
        return None
    return Hit(party, designation, score, _decision(score), a, b, tuple(why))


def _identifiers(party: Party, listed: Party) -> str | bool:
    """The decisive identifier shared (text), False if the same kind differs, else ''."""
    mine: dict[str, set[str]] = defaultdict(set)
    for prop, value in party.identifiers:
        mine[prop].add(value)
    theirs: dict[str, set[str]] = defaultdict(set)
    for prop, value in listed.identifiers:
        theirs[prop].add(value)
    for prop in IDENTIFIERS:
        shared = mine[prop] & theirs[prop]
        if shared:
            return f"{IDENTIFIERS[prop]} {min(shared)} on both (decisive)"
    if any(mine[p] and theirs[p] for p in IDENTIFIERS):
        return False
    return ""


def _births(score: float, mine: Sequence[str], theirs: Sequence[str]
            ) -> tuple[float, list[str]]:
    if not mine or not theirs:
        return score, []
    for a in mine:
        for b in theirs:
            if a == b:
                return score + SAME_BIRTH, [f"birth date {a} on both"]
    for a in mine:
        for b in theirs:
            if len(a) != len(b) and (a.startswith(b) or b.startswith(a)):
                return score + SAME_BIRTH / 2, [f"birth dates {a} and {b} agree as far as "
                                               "both go"]
            if _typo(a, b):
                return score + SAME_BIRTH / 2, [f"birth dates {a} and {b} differ by a "
                                               "typist's error"]
    return score - OTHER_BIRTH, [f"birth dates differ ({', '.join(mine)} / "
                                 f"{', '.join(theirs)})"]


def _typo(a: str, b: str) -> bool:
    """Day and month swapped, or one digit different (full dates only)."""
    if len(a) != 10 or len(b) != 10:
        return False
    if a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
        return True
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1
