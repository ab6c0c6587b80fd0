"""One module's experiment: copies of the base world on one backend, and the check of one case.

World A is a copy of the base (receiving ``Case.instead``, if any); world B is another
copy that receives the case's secret (at ``T_SECRET``). The viewer runs the same steps in
both (from ``T_RUN``), and the transcripts must be the same. World A's transcript
depends only on the viewer and ``instead``, so it is recorded once and kept.

Each test of a family runs the canonical case of its kind (the finding it reproduces)
and then cases Hypothesis draws: :data:`GENERATED` per backend, derandomized under the
``ci`` profile; ``ADVERSARY_EXAMPLES`` raises the number where time allows.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from adversary.actions import apply_all
from adversary.canon import canonical
from adversary.cast import T_SECRET
from adversary.clock import CLOCK
from adversary.coverage import declared
from adversary.kinds import Case, cases
from adversary.transcript import Transcript, first_difference
from adversary.worlds import Backend, Place, opened

Runner = Callable[[Place, str], Transcript]
#: Drawn cases per test beyond the canonical one, by backend (the store's SQL differs
#: by backend; the drawn variety of secrets is explored on SQLite).
GENERATED = {"sqlite": int(os.environ.get("ADVERSARY_EXAMPLES", "1")),
             "postgresql": int(os.environ.get("ADVERSARY_EXAMPLES_PG", "0"))}


class Lab:
    def __init__(self, backend: Backend, base: Place, runner: Runner) -> None:
        self.backend, self.base, self.runner = backend, base, runner
        self._without: dict[tuple[str, tuple[Any, ...]], Transcript] = {}

    def world(self, actions: tuple[Any, ...]) -> Place:
        place = self.backend.copy(self.base)
        if actions:
            with opened(place) as store:
                apply_all(store, actions, T_SECRET)
        return place

    def run(self, place: Place, viewer: str) -> Transcript:
        CLOCK.stream("viewer")
        try:
            return self.runner(place, viewer)
        finally:
            self.backend.drop(place)

    def without_secret(self, viewer: str, instead: tuple[Any, ...] = ()) -> Transcript:
        """World A's transcript (kept: it depends only on the viewer and ``instead``)."""
        key = (viewer, instead)
        if key not in self._without:
            self._without[key] = self.run(self.world(instead), viewer)
        return self._without[key]

    def check(self, case: Case) -> None:
        a = self.without_secret(case.viewer, case.instead)
        b = self.run(self.world(case.actions), case.viewer)
        found = first_difference(a, b)
        if found is not None:  # the message alone: the transcripts are long
            pytest.fail(f"the viewer can tell the worlds apart\n{case}\n{found}", pytrace=False)

    def explore(self, strategy: Any) -> None:
        count = GENERATED[self.backend.kind]
        if count <= 0:
            return

        @settings(max_examples=count, deadline=None, database=None, phases=(Phase.generate,),
                  suppress_health_check=(HealthCheck.too_slow, HealthCheck.data_too_large))
        @given(strategy)
        def drawn(case: Case) -> None:
            self.check(case)

        drawn()


def noninterference(family: str, kind: str, viewers: tuple[str, ...],
                    taxii: bool = False) -> Callable[[Lab], None]:
    """The test of one kind of secret for one family: its canonical case, then drawn ones."""
    def test(lab: Lab) -> None:
        lab.check(canonical(family, kind))
        lab.explore(cases(kind, viewers, taxii))

    test.__doc__ = f"{family}: a secret of kind {kind!r} changes nothing the viewer gets."
    test.__name__ = f"test_{kind}"
    return test


def runs_every_path(family: str, viewer: str) -> Callable[[Lab], None]:
    """The test that the family's runner runs every path ``coverage.py`` gives it (and
    gets answers: the viewer sees records there to compare)."""
    def test(lab: Lab) -> None:
        seen = lab.without_secret(viewer)
        missing = declared(family) - seen.asked
        assert not missing, f"declared for {family} but never run: {sorted(missing)}"
        assert sum(1 for _, text in seen.steps if text) >= 3, "the viewer got no answers"

    test.__doc__ = f"{family}: every path declared for it is run, with answers to compare."
    return test
