"""The audit log as the viewer reads it (``tearline audit log``, ``GET /audit/log``,
checkpoints, inclusion and consistency proofs, ``audit verify-proof``): no entry, field,
statement id, count or time the viewer is shown depends on a secret, apart from what is
public by design (paths: ``paths_audit.py``; exceptions: ``public.py``)."""

from __future__ import annotations

import pytest

from adversary.cast import VIEWERS
from adversary.lab import Lab, noninterference, runs_every_path
from adversary.paths_audit import run_audit
from adversary.secrecy import SDFD
from adversary.worlds import Backend, Place

#: Each test builds and runs whole worlds: scheduled early (tests/conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_audit)


test_hidden_record = noninterference("audit", "hidden_record", VIEWERS)
test_hidden_portion = noninterference("audit", "hidden_portion", VIEWERS)
test_hidden_change = noninterference("audit", "hidden_change", VIEWERS)
test_hidden_value = noninterference("audit", "hidden_value", VIEWERS)
test_hidden_reference = noninterference("audit", "hidden_reference", VIEWERS)
test_other_activity = noninterference("audit", "other_activity", VIEWERS)
test_search_listing = noninterference("audit", "search_listing", VIEWERS)
test_hidden_release = noninterference("audit", "hidden_release", VIEWERS)
test_every_path_is_run = runs_every_path("audit", SDFD)
