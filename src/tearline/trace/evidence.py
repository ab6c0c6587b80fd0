"""Weighing what a leaked file holds: which recipients' copy it is, and how sure.

Three kinds of evidence, each reduced to what it says about each candidate recipient:

* **copy marks** found in the text that the node recorded at release: a mark is 60 bits
  of a MAC under the node's secret, never guessed, only copied from a copy the node
  released, so a recorded mark names its recipient with near certainty;
* **keyed orders** of each record's values (``fingerprint.order_agreement``): in the
  recipient's own copy every compared pair is in its order; in anyone else's, each
  pair is by chance (one half);
* **text choices** of a report (``textmarks``): each distinct context agrees with the
  recipient's copy, and by chance (one in three) with anyone else's.

For the last two the confidence is one minus the chance that a copy that is *not* the
recipient's agrees as often or more (a binomial tail at the chance per trial; for
orders, adjacent pairs of a random order are treated as independent halves, which
overstates that chance: a whole order of k values agrees by chance once in k!),
multiplied by the number of candidates (a leaker's copy is compared with every one).
Each kind is weighed on its own and the strongest counts. A recipient is
named when the confidence reaches :data:`NAMED`; data the node released as public
(TLP:CLEAR) carries no mark and is never weighed (``docs/trace.md``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: The confidence at which ``tearline trace`` names a recipient.
NAMED = 0.999
#: Fewer trials than this are not weighed (a handful of agreements proves little).
MIN_TRIALS = 8


def chance_at_least(agree: int, trials: int, p: float = 0.5) -> float:
    """P(X ≥ agree) for X ~ Binomial(trials, p), computed in log space."""
    if agree <= 0:
        return 1.0
    if agree > trials:
        return 0.0
    logs = [math.lgamma(trials + 1) - math.lgamma(k + 1) - math.lgamma(trials - k + 1)
            + k * math.log(p) + (trials - k) * math.log1p(-p)
            for k in range(agree, trials + 1)]
    top = max(logs)
    return min(1.0, math.exp(top) * sum(math.exp(x - top) for x in logs))


@dataclass(frozen=True, slots=True)
class Tally:
    """Agreements of one kind of evidence with one recipient's copies."""

    kind: str  # "order" or "text"
    agree: int
    trials: int
    records: int = 0  # for "order": how many records the pairs came from
    chance: float = 0.5  # that a copy made for someone else agrees at one trial

    def miss(self) -> float:
        """The chance that someone else's copy agrees this often or more."""
        return chance_at_least(self.agree, self.trials, self.chance)

    def describe(self) -> str:
        where = f" over {self.records} record(s)" if self.kind == "order" else ""
        what = "value orders" if self.kind == "order" else "hyphen choices"
        return f"{what}: {self.agree} of {self.trials} agree with this recipient's copy{where}"


@dataclass(frozen=True, slots=True)
class Finding:
    recipient: str
    confidence: float
    evidence: tuple[str, ...] = field(default=())

    @property
    def named(self) -> bool:
        return self.confidence >= NAMED

    def to_dict(self) -> dict[str, object]:
        return {"recipient": self.recipient, "confidence": round(self.confidence, 6),
                "named": self.named, "evidence": list(self.evidence)}


def weigh(marks: Mapping[str, Sequence[tuple[str, str]]],
          tallies: Mapping[str, Sequence[Tally]], candidates: int) -> list[Finding]:
    """The findings, best first: ``marks`` maps each recipient to the (mark, channel)
    pairs found that were released to it; ``tallies`` each recipient to its tallies;
    ``candidates`` is how many recipients were compared."""
    findings: list[Finding] = []
    for recipient in sorted(set(marks) | set(tallies)):
        evidence: list[str] = []
        miss = 1.0
        for mark, channel in marks.get(recipient, ()):
            evidence.append(f"copy mark {mark}: released to this recipient ({channel})")
            miss = 0.0
        for t in tallies.get(recipient, ()):
            evidence.append(t.describe())
            if t.trials >= MIN_TRIALS:
                miss = min(miss, t.miss() * max(candidates, 1))
        if miss >= 1.0:  # a copy no more like this recipient's than anyone's
            continue
        findings.append(Finding(recipient, max(0.0, 1.0 - miss), tuple(evidence)))
    findings.sort(key=lambda f: (-f.confidence, f.recipient))
    return findings
