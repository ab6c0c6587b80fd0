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

#: A known leak, open in issue #13: the feed orders a record by its latest audit entry and
#: dates it by that entry, so a change the peer may not see (a hidden portion, a release
#: among others, a statement that may not be passed on) moves the record's position and
#: its date added (``X-TAXII-Date-Added-*``, manifest ``date_added``, ``versions``). Its
#: contents are identical. Strict: these fail the run as soon as the feed is fixed, so
#: the marks come off with the fix (docs/federation.md, "What a peer can learn").
FEED_DATES = pytest.mark.xfail(
    strict=True, reason="the feed's position and date added follow hidden changes (#13)")
test_hidden_portion = FEED_DATES(noninterference("taxii", "hidden_portion", PEERS, taxii=True))
test_hidden_change = FEED_DATES(noninterference("taxii", "hidden_change", PEERS, taxii=True))
test_hidden_release = FEED_DATES(noninterference("taxii", "hidden_release", PEERS, taxii=True))
test_orcon_statement = FEED_DATES(
    noninterference("taxii", "orcon_statement", PEERS, taxii=True))
test_every_path_is_run = runs_every_path("taxii", UIE)
