"""What one list records about a person that the other, as a rule, records too.

A pair accepted on names alone rests on nothing but the names; a detail that one
record holds and the other lacks (a passport number, a nickname, a CURP, an RFC)
is evidence only where the two lists usually hold it together. Whether they do is
not assumed but measured, in each run, on the pairs that the name **and** the full
date of birth join (a choice that depends on none of these details): when, among
them, at least :data:`EXPECTED_AT` of those holding a detail on one side hold it on
the other too (and at least :data:`SAMPLE` hold it on that side), a names-alone
pair with the detail on that side only is the other person far more often than the
same one, and is left to review. Where the lists do not share a detail (one agency
never records nicknames), the measure stays low and the detail's absence counts for
nothing, as in any comparison with a value missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .decide import NAMES_AGREE, Judged
from .records import PersonRecord

#: the details measured, and how a reason names them
DETAILS = (("passport", "passport number"), ("curp", "CURP"), ("rfc", "RFC"),
           ("nicknames", "nickname"))
#: share of the agreeing pairs holding a detail on both sides, given one, at or above
#: which that detail missing from the other side speaks against a names-alone match
EXPECTED_AT = 0.9
#: fewest agreeing pairs holding a detail on one side for its share to be judged
SAMPLE = 20
#: the reasons that make a pair "agreeing": a full date of birth, and the names
_DATE = "dates of birth agree"


@dataclass(frozen=True)
class Held:
    """The share of agreeing pairs holding each detail on both sides, per side."""

    #: (detail, side) → (pairs holding it on that side, of which on both sides)
    counts: Mapping[tuple[str, str], tuple[int, int]]

    def expected(self, detail: str, side: str) -> bool:
        """Whether a detail held on ``side`` is, as a rule, held on the other side too."""
        total, both = self.counts.get((detail, side), (0, 0))
        return total >= SAMPLE and both >= EXPECTED_AT * total


def _has(record: PersonRecord, detail: str) -> bool:
    return bool(getattr(record, detail))


def _agreeing(pair: Judged) -> bool:
    return _DATE in pair.reasons and any(r in NAMES_AGREE for r in pair.reasons)


def measure(pairs: Iterable[Judged], left: Mapping[str, PersonRecord],
            right: Mapping[str, PersonRecord], *, one_list: bool = False) -> Held:
    """Count, on the agreeing pairs, which details both sides hold. With ``one_list``
    the two sides are one list, so each pair is counted both ways round."""
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for pair in pairs:
        if not _agreeing(pair):
            continue
        a, b = left[pair.left], right[pair.right]
        ways = ((a, b, "left"), (b, a, "left")) if one_list else ((a, b, "left"),
                                                                 (b, a, "right"))
        for this, other, side in ways:
            for detail, _ in DETAILS:
                if _has(this, detail):
                    total, both = counts.get((detail, side), (0, 0))
                    counts[(detail, side)] = (total + 1, both + _has(other, detail))
    return Held(counts)


def lacking(pairs: Iterable[Judged], left: Mapping[str, PersonRecord],
            right: Mapping[str, PersonRecord], *, one_list: bool = False
            ) -> dict[tuple[str, str], str]:
    """(left id, right id) → why, for each pair one of whose records lacks a detail the
    other holds where the agreeing pairs show both lists hold it together."""
    pairs = list(pairs)
    held = measure(pairs, left, right, one_list=one_list)
    out: dict[tuple[str, str], str] = {}
    for pair in pairs:
        a, b = left[pair.left], right[pair.right]
        for detail, label in DETAILS:
            for this, other, side in ((a, b, "left"), (b, a, "right")):
                side = "left" if one_list else side
                if _has(this, detail) and not _has(other, detail) and held.expected(detail,
                                                                                    side):
                    out.setdefault((pair.left, pair.right),
                                   f"{label} on one record only, where the agreeing "
                                   "pairs hold it on both")
    return out
