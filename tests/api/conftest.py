"""API fixtures: the seeded world on each backend, over ASGI and over loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apiworld import Api, Served, build_api
from argon2 import PasswordHasher

from serving import serving
from tearline.api import credentials


@pytest.fixture(autouse=True)
def cheap_token_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tokens made by these tests are hashed with Argon2id at its lowest cost.

    What the API tests check is who gets in and what is refused, audited and never
    echoed; the same code paths run (a hash carries its parameters, and verification
    reads them from it). At the production cost (64 MiB, 3 passes, 4 lanes) each hash
    and each refused or first-used token costs a tenth of a second or more of CPU, hundreds
    of times over in this folder. The production parameters are the module's
    own and stay untouched; tokens issued outside these tests use them.
    """
    monkeypatch.setattr(credentials, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def api(current_db_url: str) -> Iterator[Api]:
    made = build_api(current_db_url)
    yield made
    made.close()
    made.store.close()

@pytest.fixture
def served(current_db_url: str) -> Iterator[Served]:
    made = build_api(current_db_url)
    with serving(made.app) as base:
        yield Served(base, made.tokens)
    made.close()
    made.store.close()
