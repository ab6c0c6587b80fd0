"""Link analysis and screening (``tearline network …``, ``tearline screen``, ``GET
/network…``, ``/screening``): measures, paths, exports and hits do not depend on a
record, a portion, a link or a judgement the viewer may not see — a merged node included
(paths: ``paths_network.py``)."""

from __future__ import annotations

import pytest

from adversary.cast import GREEN, VIEWERS
from adversary.kinds import Case
from adversary.lab import Lab, noninterference, runs_every_path
from adversary.paths_network import run_network
from adversary.resolve_acts import Judges
from adversary.secrecy import SDFD, SOD, UIE, red
from adversary.worlds import Backend, Place

pytestmark = pytest.mark.slow  # handed out first in a parallel run (tests/conftest.py)


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_network)


test_hidden_record = noninterference("network", "hidden_record", VIEWERS)
test_hidden_portion = noninterference("network", "hidden_portion", VIEWERS)
test_hidden_value = noninterference("network", "hidden_value", VIEWERS)
test_hidden_change = noninterference("network", "hidden_change", VIEWERS)
test_hidden_reference = noninterference("network", "hidden_reference", VIEWERS)


def test_judgements_hidden_or_naming_hidden_records_merge_nothing(lab: Lab) -> None:
    """SEMAR's RED judgement that two people San Diego sees are one, and a GREEN judgement
    joining one of them to a record San Diego may not see (dea-p-red): no merged node, no
    changed measure or path (one world for both: each case costs a world and a run)."""
    lab.check(Case(SDFD, (Judges(UIE, "dea-p-caro", "dea-p-guzman", "match", red(UIE)),
                          Judges(SOD, "dea-p-guzman", "dea-p-red", "match", GREEN))))


test_every_path_is_run = runs_every_path("network", SDFD)
