"""Fixtures of the noninterference suite: the backend of a module, the injected clock.

The base world is built once per backend (``backend`` is the session-scoped counterpart
of ``db_url``: SQLite files, or databases on the session's PostgreSQL server) and copied
by every module; everything runs with the clock and ``uuid4`` injected
(:mod:`adversary.clock`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import typer.testing
from argon2 import PasswordHasher

from adversary.clock import injected
from adversary.once import Once
from adversary.paths import command
from adversary.worlds import Backend, Place, build_base
from tearline.api import credentials
from tearline.reports import charts, pdf

#: Each distinct PDF and chart made once in the session (``once.py``).
MADE_ONCE = {(pdf, "html_to_pdf"): Once(pdf.html_to_pdf),
             **{(charts, name): Once(getattr(charts, name))
                for name in ("monthly_lines", "annual_lines", "bars", "trend")}}


@contextmanager
def patched() -> Iterator[None]:
    """The injected clock and uuid4; the click command built once; Argon2 at its lowest
    cost for the viewers' tokens (what is checked is who sees what, not the hash); each
    distinct PDF and chart made once (:data:`MADE_ONCE`)."""
    with injected(), pytest.MonkeyPatch.context() as mp:
        for (module, name), once in MADE_ONCE.items():
            mp.setattr(module, name, once)
        mp.setattr(typer.testing, "_get_command", command)
        mp.setattr(credentials, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                           parallelism=1))
        yield


@pytest.fixture(scope="session", params=["sqlite",
                                         pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Backend:
    folder = tmp_path_factory.mktemp(f"adversary-{request.param}")
    if request.param == "sqlite":
        return Backend("sqlite", folder)
    server = request.getfixturevalue("pg_server")
    return Backend("postgresql", folder, server.url)


@pytest.fixture(scope="session")
def base(backend: Backend) -> Iterator[Place]:
    """The base world, built once per backend; every module copies it."""
    with patched():
        place = build_base(backend)
    yield place
    backend.drop(place)


@pytest.fixture(scope="module")
def node_injected() -> Iterator[None]:
    with patched():
        yield
