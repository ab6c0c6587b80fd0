"""Threat assessments (``tearline report assessment`` as JSON and HTML with charts,
``GET /reports/assessment``): figures, digest and document do not depend on a seizure,
or a weight, the viewer may not see (paths: ``paths_reports.py``)."""

from __future__ import annotations

import pytest

from adversary.cast import VIEWERS
from adversary.lab import Lab, noninterference, runs_every_path
from adversary.paths_reports import run_reports
from adversary.secrecy import SDFD
from adversary.worlds import Backend, Place

pytestmark = pytest.mark.slow  # handed out first in a parallel run (tests/conftest.py)


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_reports)


test_hidden_record = noninterference("reports", "hidden_record", VIEWERS)
test_hidden_portion = noninterference("reports", "hidden_portion", VIEWERS)
test_hidden_change = noninterference("reports", "hidden_change", VIEWERS)
test_every_path_is_run = runs_every_path("reports", SDFD)
