"""People's judgements over the model's decisions, and the entities they make.

A judgement (``match``, ``no-match``, ``unsure``) on a pair replaces the model's
decision for it, with who judged, when and why as the reason; ``unsure`` sends the
pair to review. The entities are the connected groups of records joined by matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .decide import Decision, Judged

_OF = {"match": Decision.MATCH, "no-match": Decision.NO_MATCH, "unsure": Decision.REVIEW}


@dataclass(frozen=True)
class PersonJudgement:
    """A judgement as the resolver takes it (the store's row, without the store)."""

    judgement: str
    reason: str
    judged_by: str
    judged_at: str


def key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def apply_judgements(pairs: Iterable[Judged],
                     judged: Mapping[tuple[str, str], PersonJudgement]) -> list[Judged]:
    """The pairs with each judged pair's decision replaced (judged pairs added if new)."""
    out: dict[tuple[str, str], Judged] = {}
    for pair in pairs:
        out[key(pair.left, pair.right)] = pair
    for (left, right), j in judged.items():
        model = out.get((left, right))
        why = f"judged {j.judgement} by {j.judged_by} at {j.judged_at}: {j.reason}"
        out[(left, right)] = Judged(left, right, model.score if model else 0.0, _OF[j.judgement],
                                    (why, *(model.reasons if model else ())))
    return [out[k] for k in sorted(out)]


def entities(pairs: Iterable[Judged]) -> list[list[str]]:
    """Groups of two or more records joined by matches, each sorted, in order."""
    return groups((pair.left, pair.right) for pair in pairs if pair.decision is Decision.MATCH)


def merged(matches: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each record joined to another by ``matches`` → its entity's id: the smallest
    record id of its group (an id the viewer sees, since it sees every member)."""
    return {member: group[0] for group in groups(matches) for member in group}


def groups(matches: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The connected groups of two or more records that ``matches`` join, each sorted."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for left, right in matches:
        a, b = find(left), find(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for member in parent:
        groups.setdefault(find(member), []).append(member)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)
