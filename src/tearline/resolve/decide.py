"""Decisions on candidate pairs: match, review or no match, with the reasons.

A CURP, RFC or passport number present on both sides decides: the same number is
one person, two different numbers that both pass their check are two people, whatever
the names say. Otherwise the model's probability decides: at or above
:data:`MATCH_AT` a match, at or above :data:`REVIEW_AT` a pair a person should
review, below it no match. The reasons are the levels the pair reached in each
comparison, the name comparison's own reasons first.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import comparisons
from .records import PersonRecord

#: probability at or above which a pair is a match
MATCH_AT = 0.5
#: probability at or above which a pair not a match goes to review
REVIEW_AT = 0.02

_DECISIVE = (("curp", "CURP"), ("rfc", "RFC"), ("passport", "passport number"))


class Decision(enum.StrEnum):
    MATCH = "match"
    REVIEW = "review"
    NO_MATCH = "no-match"


@dataclass(frozen=True)
class Judged:
    """One pair as the model decided it."""

    left: str
    right: str
    score: float
    decision: Decision
    reasons: tuple[str, ...]


@cache
def _labels() -> dict[str, list[tuple[float, str]]]:
    """comparison → (match weight, label) of each level but the null one."""
    out = {}
    for comparison in comparisons.settings("link_only")["comparisons"]:
        out[comparison["output_column_name"]] = [
            (math.log2(lv["m_probability"] / lv["u_probability"]), lv["label_for_charts"])
            for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
    return out


def _level(column: str, weight: object) -> str | None:
    """The level a pair reached, known by its weight (Splink reports weights, not levels)."""
    if not isinstance(weight, int | float) or weight == 0:
        return None
    return _nearest(column, float(weight))


@cache
def _nearest(column: str, weight: float) -> str | None:
    """Cached: a comparison has a handful of weights, asked once per pair."""
    best = min(_labels()[column], key=lambda level: abs(level[0] - weight))
    return best[1] if abs(best[0] - weight) < 0.01 else None


def _decisive(left: PersonRecord, right: PersonRecord) -> tuple[Decision, str] | None:
    for field, label in _DECISIVE:
        a, b = getattr(left, field), getattr(right, field)
        if not a or not b:
            continue
        if a == b:
            return Decision.MATCH, f"{label} agrees"
        checked = field == "passport" or (getattr(left, f"{field}_valid")
                                          and getattr(right, f"{field}_valid"))
        if checked:
            return Decision.NO_MATCH, f"{label} differs"
    return None


def decide(left: PersonRecord, right: PersonRecord, row: Mapping[str, Any]) -> Judged:
    """Decide one pair from Splink's output row (its probability and gamma levels)."""
    probability = float(row["match_probability"])
    reasons: list[str] = []
    if left.name and right.name:
        reasons.extend(comparisons.name_evidence(left.name, right.name).reasons)
    for column in _labels():
        label = _level(column, row.get(f"mw_{column}"))
        if label is not None:
            reasons.append(label)
    decisive = _decisive(left, right)
    if decisive is not None:
        decision, why = decisive
        reasons.insert(0, f"decided by identity number: {why}")
        probability = 1.0 if decision is Decision.MATCH else 0.0
    elif probability >= MATCH_AT:
        decision = Decision.MATCH
    elif probability >= REVIEW_AT:
        decision = Decision.REVIEW
    else:
        decision = Decision.NO_MATCH
    return Judged(left.id, right.id, round(probability, 6), decision,
                  tuple(dict.fromkeys(reasons)))


#: the reasons of the strongest name levels (comparisons._name)
NAMES_AGREE = ("names agree", "names agree but for a variant",
               "names agree but for several variants")
#: the name comparison's reason when it read a name otherwise than written
OTHER_READING = "names read another way"
#: the reason of a match sent to review because a record has a firm one elsewhere
FIRMER = "one of the records has a firmer match with another record"
#: another candidate of the same record within this factor of a pair's score competes
MARGIN = 0.5


@cache
def _against() -> frozenset[str]:
    """The levels of the comparisons other than the name that speak against a match
    (a date of birth, an identity number, the sex differing, even by a typo)."""
    return frozenset(label for column, levels in _labels().items() if column != "name"
                     for _, label in levels if "differ" in label)


def _names_alone(pair: Judged) -> bool:
    """Names in full agreement, nothing else known on one side at least, nothing against.

    Only the other comparisons' levels can speak against: the name comparison's own
    reasons ("spelling differs by a slip") are already in the name level reached. A
    name that agrees only when read another way (given names and surnames split
    otherwise than written) is a guess already, not agreement enough to stand alone.
    """
    return (pair.decision is Decision.REVIEW and any(r in pair.reasons for r in NAMES_AGREE)
            and OTHER_READING not in pair.reasons
            and not any(r in _against() or "birth agree" in r for r in pair.reasons))


@cache
def _outright() -> frozenset[str]:
    """The levels that tell two people apart outright: a date of birth, an identity
    number or the sex differing (not by a typo, not with a number failing its check)."""
    return frozenset(label for label in _against()
                     if "typo" not in label and "fails its check" not in label)


def _rival(pair: Judged) -> bool:
    """Whether a pair can be the namesake a names-alone pair is confused with: its names
    do not differ, and nothing tells its two records apart outright (a namesake born on
    another date is a namesake already accounted for)."""
    return "names differ" not in pair.reasons and not any(r in _outright()
                                                          for r in pair.reasons)


#: a match at or above this probability is firm: a name and a full date of birth
#: agreeing reach it; the name alone, or with a date one typo apart, does not
FIRM_AT = 0.995


def _firm(pair: Judged) -> bool:
    """A match that more than a name makes: an identity number, or a probability of
    :data:`FIRM_AT`. A date one typo apart is not firm: namesakes born the same year
    are written so (a month one digit off)."""
    return pair.decision is Decision.MATCH and (
        pair.score >= FIRM_AT or any(r.startswith("decided by identity") for r in pair.reasons))


def settle(pairs: list[Judged], *, one_list: bool = False,
           lacking: Mapping[tuple[str, str], str] | None = None) -> list[Judged]:
    """Accept a pair the names alone sent to review when nothing else competes for it.

    Namesakes are why two agreeing names are not enough; but when neither record has
    another candidate (a rival: see :func:`_rival`) scoring at least :data:`MARGIN`
    times as much, and nothing (a date of birth, an identity number, the sex)
    disagrees, there is no namesake in view to confuse it with. With ``one_list``
    both sides are one list's ids. A pair in ``lacking`` (one record lacks a detail
    the other holds and the lists hold together: :mod:`~tearline.resolve.expected`)
    is not accepted on names alone; the reason is added to it.

    Between two lists (not ``one_list``), each holding a person once as a rule, a
    record firmly matched (:func:`_firm`) is accounted for:

    - a weaker match of it with another record goes to review: the other record is
      most likely a namesake or a relative written with a date one typo apart; it
      stays in view, for a person to accept;
    - it is no rival to a pair whose full names agree (both surnames on both sides):
      the namesake it would have been is known to be someone else. Where a surname is
      missing, a cousin outside the other list fits as well, so it still competes.
    """
    def sides(pair: Judged) -> tuple[str, str]:
        return (pair.left, pair.right) if one_list else (f"l:{pair.left}", f"r:{pair.right}")

    by_side: dict[str, list[Judged]] = {}
    firm: dict[str, float] = {}
    partners: dict[str, set[str]] = {}
    for pair in pairs:
        left, right = sides(pair)
        for side, other in ((left, right), (right, left)):
            by_side.setdefault(side, []).append(pair)
            if _firm(pair) and not one_list:
                firm[side] = max(firm.get(side, 0.0), pair.score)
                partners.setdefault(side, set()).add(other)

    def accounted(pair: Judged, rival: Judged, side: str) -> bool:
        other = next(s for s in sides(rival) if s != side)
        return NAMES_AGREE[0] in pair.reasons and bool(partners.get(other, set()) - {side})

    def alone(pair: Judged, side: str) -> bool:
        return not any(q is not pair and _rival(q) and q.score >= MARGIN * pair.score
                       and not accounted(pair, q, side) for q in by_side[side])

    out = []
    for pair in pairs:
        if (pair.decision is Decision.MATCH and not _firm(pair)
                and any(firm.get(side, 0.0) > pair.score for side in sides(pair))):
            pair = Judged(pair.left, pair.right, pair.score, Decision.REVIEW,
                          (*pair.reasons, FIRMER))
        why = (lacking or {}).get((pair.left, pair.right))
        if why is not None and _names_alone(pair):
            pair = Judged(pair.left, pair.right, pair.score, pair.decision,
                          (*pair.reasons, why))
        elif _names_alone(pair) and all(alone(pair, side) for side in sides(pair)):
            pair = Judged(pair.left, pair.right, pair.score, Decision.MATCH,
                          (*pair.reasons, "names agree and no other candidate comes close"))
        out.append(pair)
    return out


def one_to_one(pairs: list[Judged]) -> list[Judged]:
    """Keep each record's best match only (for linking two lists without duplicates).

    Matches are taken best first; a match whose left or right record is already
    taken becomes a review, so nothing is hidden, only ranked.
    """
    taken_left: set[str] = set()
    taken_right: set[str] = set()
    out = []
    for pair in sorted(pairs, key=lambda p: (-p.score, p.left, p.right)):
        if pair.decision is Decision.MATCH:
            if pair.left in taken_left or pair.right in taken_right:
                pair = Judged(pair.left, pair.right, pair.score, Decision.REVIEW,
                              (*pair.reasons, "another pair is a better match"))
            else:
                taken_left.add(pair.left)
                taken_right.add(pair.right)
        out.append(pair)
    return out
