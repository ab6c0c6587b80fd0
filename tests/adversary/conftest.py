"""Fixtures of the noninterference suite: the backend of a module, the injected clock.

The base world is built once per module and backend (``backend`` is the module-scoped
counterpart of ``db_url``: SQLite files, or databases on the session's PostgreSQL
server), and everything runs with the clock and ``uuid4`` injected (:mod:`adversary.clock`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer.testing
from argon2 import PasswordHasher

from adversary.clock import injected
from adversary.paths import command
from adversary.worlds import Backend
from tearline.api import credentials


@pytest.fixture(scope="module", params=["sqlite",
                                        pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Backend:
    folder = tmp_path_factory.mktemp(f"adversary-{request.param}")
    if request.param == "sqlite":
        return Backend("sqlite", folder)
    server = request.getfixturevalue("pg_server")
    return Backend("postgresql", folder, server.url)


@pytest.fixture(scope="module")
def node_injected() -> Iterator[None]:
    """The injected clock and uuid4; the click command built once; Argon2 at its lowest
    cost for the viewers' tokens (what is checked is who sees what, not the hash)."""
    with injected(), pytest.MonkeyPatch.context() as mp:
        mp.setattr(typer.testing, "_get_command", command)
        mp.setattr(credentials, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                           parallelism=1))
        yield
