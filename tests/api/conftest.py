"""API fixtures: the seeded world on each backend, over ASGI and over loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apiworld import Api, Served, build_api, serving


@pytest.fixture
def api(db_url: str) -> Iterator[Api]:
    made = build_api(db_url)
    yield made
    made.close()
    made.store.close()

@pytest.fixture
def served(db_url: str) -> Iterator[Served]:
    made = build_api(db_url)
    with serving(made.app) as base:
        yield Served(base, made.tokens)
    made.close()
    made.store.close()
