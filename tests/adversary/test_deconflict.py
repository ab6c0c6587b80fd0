"""Blind deconfliction: what a unit gets from `tearline deconflict`, and what a peer node
gets from our index feed and our key share, does not depend on other units' registrations
or checks (paths: ``paths_deconflict.py``; secrets: ``deconflict_acts.py``)."""

from __future__ import annotations

import pytest

from adversary.deconflict_acts import REGISTERED, SECRET_PHONES, Checks, Registers
from adversary.kinds import Case
from adversary.lab import Lab, runs_every_path
from adversary.paths_deconflict import run_deconflict, run_deconflict_peer
from adversary.secrecy import FEMDO, HOFD, PN, SDFD, SOD, UIE
from adversary.worlds import Backend, Place

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_deconflict)


@pytest.fixture(scope="module")
def peer_lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_deconflict_peer)


def others(viewer: str, base: Place) -> tuple[object, ...]:
    """Other units' activity: a registration the viewer never asks about, a check that
    misses, a check that hits SOD's registration (not the viewer's)."""
    actor = HOFD if viewer != HOFD else PN
    return (Registers(actor, SECRET_PHONES[0], base.keys),
            Checks(SOD if viewer != SOD else HOFD, (SECRET_PHONES[1],), base.keys),
            Checks(actor, (REGISTERED, SECRET_PHONES[1]), base.keys))


@pytest.mark.parametrize("viewer", [SDFD, PN, FEMDO])
def test_other_units_activity_on_the_command_line(lab: Lab, base: Place, viewer: str) -> None:
    lab.check(Case(viewer, others(viewer, base)))  # type: ignore[arg-type]


@pytest.mark.parametrize("viewer", [UIE, FEMDO])
def test_other_units_checks_as_a_peer_node(peer_lab: Lab, base: Place, viewer: str) -> None:
    """A peer is served every registration of our node (that is the index), so the
    secrets here are checks: their queries, hits and notices addressed to others."""
    peer_lab.check(Case(viewer, (Checks(SOD, (SECRET_PHONES[1],), base.keys),
                            Checks(HOFD, (REGISTERED,), base.keys))))


test_every_path_is_run = runs_every_path("deconflict", SDFD)


def test_every_peer_path_is_run(peer_lab: Lab) -> None:
    runs_every_path("deconflict-peer", UIE)(peer_lab)
