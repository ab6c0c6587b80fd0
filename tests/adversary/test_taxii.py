"""Every TAXII answer our node (us.dea) gives a peer node — SEMAR's vetted unit or FGR's
— and what it answers to the peer's receipts, purge receipts and cosignatures: nothing
depends on what the peer may not receive, including another agency's ORCON statements
(paths: ``paths_taxii.py``)."""

from __future__ import annotations

import pytest

from adversary.lab import Lab, noninterference, runs_every_path
from adversary.paths_taxii import run_taxii
from adversary.secrecy import FEMDO, UIE
from adversary.worlds import Backend, Place

PEERS = (UIE, FEMDO)

#: Each test builds and runs whole worlds: scheduled early (tests/conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_taxii)


test_hidden_record = noninterference("taxii", "hidden_record", PEERS, taxii=True)
test_hidden_reference = noninterference("taxii", "hidden_reference", PEERS, taxii=True)

test_hidden_portion = noninterference("taxii", "hidden_portion", PEERS, taxii=True)
test_hidden_change = noninterference("taxii", "hidden_change", PEERS, taxii=True)
test_hidden_release = noninterference("taxii", "hidden_release", PEERS, taxii=True)
test_orcon_statement = noninterference("taxii", "orcon_statement", PEERS, taxii=True)
test_every_path_is_run = runs_every_path("taxii", UIE)
