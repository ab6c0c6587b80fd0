"""What a viewer received, step by step, and the comparison of two worlds' transcripts.

A runner records every step as (label, text): the text is everything the viewer got —
exit status and output, status, headers and body — after :mod:`adversary.public` took
out only what is public by design. Step ``n`` runs at ``T_RUN + n`` seconds in both
worlds. :func:`assert_same` names the first step whose answer differs, with a short
diff, so that a failure reads as the leak it is.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from adversary.cast import T_RUN
from adversary.clock import CLOCK


@dataclass
class Transcript:
    start: datetime = T_RUN
    steps: list[tuple[str, str]] = field(default_factory=list)
    #: The paths run: ("CLI", command words) and (method, declared path) pairs.
    asked: set[tuple[str, str]] = field(default_factory=set)

    def begin(self) -> None:
        """Set the clock for the next step (also for work that precedes its answer)."""
        CLOCK.set(self.start + timedelta(seconds=len(self.steps)))

    def add(self, label: str, text: str) -> str:
        self.steps.append((label, text))
        self.begin()
        return text

    def step(self, label: str, run: Callable[[], str]) -> str:
        self.begin()
        return self.add(label, run())

    def labels(self) -> list[str]:
        return [label for label, _ in self.steps]


def _diff(a: str, b: str, lines: int = 40) -> str:
    out = list(difflib.unified_diff(a.splitlines(), b.splitlines(),
                                    "world A (without the secret)", "world B (with it)",
                                    lineterm="", n=2))
    more = f"\n… {len(out) - lines} more diff lines" if len(out) > lines else ""
    return "\n".join(out[:lines]) + more


def first_difference(a: Transcript, b: Transcript) -> str | None:
    """A readable account of the first step whose answers differ (and which others do);
    ``None`` if none does."""
    pairs = list(zip(a.steps, b.steps, strict=False))
    for n, ((la, ta), (lb, tb)) in enumerate(pairs):
        if la != lb:
            return f"step {n}: the runs diverged: {la!r} against {lb!r}"
        if ta != tb:
            others = [label for (label, x), (_, y) in pairs[n + 1:] if x != y]
            more = (f"\n{len(others)} later steps differ too: " + ", ".join(others[:12])
                    + (" …" if len(others) > 12 else "")) if others else ""
            return f"step {n}: `{la}` answered differently:\n{_diff(ta, tb)}{more}"
    if len(a.steps) != len(b.steps):
        return f"the runs have {len(a.steps)} and {len(b.steps)} steps"
    return None


def assert_same(a: Transcript, b: Transcript, about: str) -> None:
    found = first_difference(a, b)
    assert found is None, f"the viewer can tell the worlds apart ({about})\n{found}"
