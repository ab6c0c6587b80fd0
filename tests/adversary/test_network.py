"""Link analysis and screening (``tearline network …``, ``tearline screen``, ``GET
/network…``, ``/screening``): measures, paths, exports and hits do not depend on a
record, a portion or a link the viewer may not see (paths: ``paths_network.py``)."""

from __future__ import annotations

import pytest

from adversary.cast import VIEWERS
from adversary.lab import Lab, noninterference, runs_every_path
from adversary.paths_network import run_network
from adversary.secrecy import SDFD
from adversary.worlds import Backend, Place


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_network)


test_hidden_record = noninterference("network", "hidden_record", VIEWERS)
test_hidden_portion = noninterference("network", "hidden_portion", VIEWERS)
test_hidden_value = noninterference("network", "hidden_value", VIEWERS)
test_hidden_change = noninterference("network", "hidden_change", VIEWERS)
test_hidden_reference = noninterference("network", "hidden_reference", VIEWERS)
test_every_path_is_run = runs_every_path("network", SDFD)
