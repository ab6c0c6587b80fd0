"""Every page of the web application (search with facets and filters, records, sharing,
audit, the language switch and the forms): nothing the viewer's browser gets depends on
a secret (paths: ``paths_web.py``).

The pages read through the same store calls as the API, whose family is checked against
every kind of secret; here the kinds that reach what the pages add — a hidden record and
a hidden portion in the HTML, a hidden value in the facet counts and filters — to keep
the suite within its time (a case runs some sixty pages in two worlds).
"""

from __future__ import annotations

import pytest

from adversary.canon import canonical
from adversary.cast import VIEWERS
from adversary.lab import Lab, noninterference, runs_every_path
from adversary.paths_web import run_web
from adversary.secrecy import SDFD
from adversary.worlds import Backend, Place

#: Each test builds and runs whole worlds: scheduled early (tests/conftest.py).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lab(backend: Backend, base: Place, node_injected: None) -> Lab:
    return Lab(backend, base, run_web)


test_hidden_record = noninterference("web", "hidden_record", VIEWERS)
test_hidden_portion = noninterference("web", "hidden_portion", VIEWERS)
test_hidden_filtered = noninterference("web", "hidden_filtered", VIEWERS)


def test_hidden_consent_request(lab: Lab) -> None:
    """web: another unit's consent request (asked and refused), and another agency's
    release with its partner's receipt, change nothing the viewer's pages show — the
    canonical case only (the suite's time); drawn requests run in the cli and audit
    families' ``hidden_release``, and the API lists requests through the same store
    call as ``consent requests``."""
    lab.check(canonical("web", "hidden_consent_request"))


test_every_path_is_run = runs_every_path("web", SDFD)
