"""The command line (show, search, list, stats, export, policy explain, mark, release,
consent, recall, ingest, import-ofac): nothing the viewer's commands print or write
depends on a secret (paths: ``paths_cli.py``)."""

from __future__ import annotations

import pytest

from adversary.cast import VIEWERS
from adversary.lab import Lab, noninterference, runs_every_path
from adversary.paths_cli import run_cli
from adversary.secrecy import SDFD
from adversary.worlds import Backend, Place

#: Each test builds and runs whole worlds: scheduled early (tests/conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_cli)


test_hidden_record = noninterference("cli", "hidden_record", VIEWERS)
test_hidden_portion = noninterference("cli", "hidden_portion", VIEWERS)
test_hidden_change = noninterference("cli", "hidden_change", VIEWERS)
test_hidden_reference = noninterference("cli", "hidden_reference", VIEWERS)
test_hidden_release = noninterference("cli", "hidden_release", VIEWERS)
test_other_recipients = noninterference("cli", "other_recipients", VIEWERS)
test_every_path_is_run = runs_every_path("cli", SDFD)
