"""Entity resolution: what a unit gets from `tearline resolve` does not depend on records,
portions or judgements it may not see (paths: ``paths_resolve.py``; judgements as
secrets: ``resolve_acts.py``)."""

from __future__ import annotations

import pytest

from adversary.actions import Amend, Create
from adversary.cast import GREEN, SOD_ONLY
from adversary.kinds import Case
from adversary.lab import Lab, runs_every_path
from adversary.paths_resolve import run_resolve
from adversary.resolve_acts import Judges
from adversary.secrecy import FEMDO, SDFD, SOD, UIE, red
from adversary.worlds import Backend, Place

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_resolve)


def test_a_hidden_duplicate_changes_nothing(lab: Lab) -> None:
    """A record the viewer may not see, the same person as one it sees: no merge, no count,
    no pair to review, no hint in `show`."""
    lab.check(Case(FEMDO, (Create(SOD, "x-person", "Person", (
        ("name", ("RAFAEL CARO QUINTERO",)), ("alias", ("El Narco de Narcos",))),
        SOD_ONLY),)))


def test_a_hidden_portion_changes_nothing(lab: Lab) -> None:
    """A RED birth date on a record the viewer sees may not move a score."""
    lab.check(Case(SDFD, (Amend(SOD, "dea-p-caro", (("birthDate", ("1990-03-29",)),),
                                portions=(("birthDate", SOD_ONLY),)),)))


def test_a_judgement_the_viewer_may_not_see_changes_nothing(lab: Lab) -> None:
    """SEMAR's RED judgement on two records San Diego sees."""
    lab.check(Case(SDFD, (Judges(UIE, "dea-p-caro", "dea-p-guzman", "match", red(UIE)),)))


def test_a_visible_judgement_about_a_hidden_record_changes_nothing(lab: Lab) -> None:
    """A GREEN judgement naming a record San Diego may not see (dea-p-red, RED to SOD)."""
    lab.check(Case(SDFD, (Judges(SOD, "dea-p-guzman", "dea-p-red", "match", GREEN),)))


test_every_path_is_run = runs_every_path("resolve", SDFD)
