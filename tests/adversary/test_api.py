"""Every operation of the HTTP API (reads, listings and searches page by page, the
viewer's writes, refused and malformed requests): nothing the viewer's token gets
depends on a secret (paths: ``paths_api.py``)."""

from __future__ import annotations

import pytest

from adversary.cast import VIEWERS
from adversary.lab import Lab, noninterference, runs_every_path
from adversary.paths_api import run_api
from adversary.secrecy import SDFD
from adversary.worlds import Backend, Place

#: Each test builds and runs whole worlds: scheduled early (tests/conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_api)


test_hidden_record = noninterference("api", "hidden_record", VIEWERS)
test_hidden_portion = noninterference("api", "hidden_portion", VIEWERS)
test_hidden_change = noninterference("api", "hidden_change", VIEWERS)
test_hidden_reference = noninterference("api", "hidden_reference", VIEWERS)
test_hidden_filtered = noninterference("api", "hidden_filtered", VIEWERS)
test_other_recipients = noninterference("api", "other_recipients", VIEWERS)
test_every_path_is_run = runs_every_path("api", SDFD)
