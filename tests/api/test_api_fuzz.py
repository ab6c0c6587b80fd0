"""Schemathesis against the published OpenAPI: every operation, with and without a token.

Checks: no server error (5xx), and every answer conforms to the document — status
code, content type, headers and body schema. The number of examples per operation is
bounded by ``TEARLINE_FUZZ_EXAMPLES`` (default 4, so the suite stays fast); the full
form, ``make fuzz``, runs the same test with 300::

    TEARLINE_FUZZ_EXAMPLES=300 .venv/bin/pytest -p no:cacheprovider tests/api/test_api_fuzz.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from apiworld import build_api
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from waiting import HANG

pytestmark = pytest.mark.slow  # handed out first in a parallel run (tests/conftest.py)

EXAMPLES = int(os.environ.get("TEARLINE_FUZZ_EXAMPLES", "4"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    # Generous failure limits: the fuzzer sends many bad tokens from one address.
    api = build_api(f"sqlite:///{folder / 'tearline.sqlite'}",
                    auth_failures_per_address=1_000_000, auth_failures_per_prefix=1_000_000)
    yield api
    api.close()
    api.store.close()


def test_openapi_conformance(fuzzed: Any) -> None:
    spec = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzzed.app)
    operations = [result.ok() for result in spec.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def conforms(case: Any) -> None:
            # Each case with an admin+write token, a read-only token, and no token at all.
            for who in ("mx.semar.uie", "reader", None):
                headers = {"Authorization": f"Bearer {fuzzed.tokens[who]}"} if who else {}
                case.call_and_validate(headers=headers, checks=CHECKS, timeout=HANG)

        conforms()
