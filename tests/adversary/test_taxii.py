"""Every TAXII answer our node (us.dea) gives a peer node — SEMAR's vetted unit or FGR's
— and what it answers to the peer's receipts, purge receipts and cosignatures: nothing
depends on what the peer may not receive, including another agency's ORCON statements
(paths: ``paths_taxii.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adversary.lab import Lab, noninterference, runs_every_path
from adversary.paths_taxii import run_taxii
from adversary.secrecy import FEMDO, UIE
from adversary.worlds import Backend

PEERS = (UIE, FEMDO)


@pytest.fixture(scope="module")
def lab(backend: Backend, node_injected: None) -> Iterator[Lab]:
    made = Lab(backend, run_taxii)
    yield made
    made.close()


test_hidden_record = noninterference("taxii", "hidden_record", PEERS, taxii=True)
test_hidden_portion = noninterference("taxii", "hidden_portion", PEERS, taxii=True)
test_hidden_change = noninterference("taxii", "hidden_change", PEERS, taxii=True)
test_hidden_value = noninterference("taxii", "hidden_value", PEERS, taxii=True)
test_hidden_reference = noninterference("taxii", "hidden_reference", PEERS, taxii=True)
test_other_activity = noninterference("taxii", "other_activity", PEERS, taxii=True)
test_hidden_release = noninterference("taxii", "hidden_release", PEERS, taxii=True)
test_orcon_statement = noninterference("taxii", "orcon_statement", PEERS, taxii=True)
test_every_path_is_run = runs_every_path("taxii", UIE)
