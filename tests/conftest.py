"""Shared fixtures: a store on every backend, the reference data folder.

Store tests run on SQLite and on PostgreSQL. PostgreSQL tests start a throwaway
server from the installed binaries; where none is installed they are skipped,
unless ``TEARLINE_REQUIRE_POSTGRES=1`` (set by ``dev.py test``, so in CI), where that
is a failure. A store (``store``, ``current_db_url``) is a copy of one database migrated
per test process and backend (``store_template.py``); ``db_url`` alone stays empty.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

from pgserver import PgServer, find_bindir, pg_url  # noqa: E402
from store_template import PgTemplate, build, copy_to  # noqa: E402
from tearline.store.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"

# ``dev.py test`` (and so CI) replays the same examples every run, so a red build is
# about the change under test; HYPOTHESIS_PROFILE=default draws new examples, which is
# where new cases are found. Neither times anything: Hypothesis's own default fails an
# example slower than 200 ms, and its too_slow health check a slow generation — on a
# busy machine, a pass turned into a failure by the clock (tests never race it).
UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", derandomize=True, print_blob=True, **UNTIMED)
settings.register_profile("default", **UNTIMED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def require_postgres() -> bool:
    return os.environ.get("TEARLINE_REQUIRE_POSTGRES", "") not in ("", "0", "false")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not (DATA / "README.md").exists():
        pytest.fail(f"reference data not found at {DATA}: check out shared/ beside the repository")
    return DATA


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = find_bindir()
    if bindir is None:
        if require_postgres():
            pytest.fail("PostgreSQL binaries not found and TEARLINE_REQUIRE_POSTGRES is set")
        pytest.skip("PostgreSQL binaries not installed (apt-get install postgresql)")
    server = PgServer.start(bindir)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL of the backend, the database empty. On PostgreSQL, a test that
    also uses ``current_db_url`` gets the copy of :func:`pg_template` it names (one
    database for both, as on SQLite), dropped after the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tearline.sqlite'}"
    elif "current_db_url" in request.fixturenames:
        template: PgTemplate = request.getfixturevalue("pg_template")
        url = template.copy()
        yield url
        template.drop(url)
    else:
        yield pg_url(request.getfixturevalue("pg_server"))


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """umask 022 for the test (what tearline creates must not rely on a strict one)."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, made once per test process (``store_template.py``)."""
    return build(tmp_path_factory.mktemp("store-template"))


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> Iterator[PgTemplate]:
    """A migrated PostgreSQL database on the session's server (``store_template.py``)."""
    template = PgTemplate(pg_server.url)
    yield template
    template.close()


@pytest.fixture
def current_db_url(request: pytest.FixtureRequest, db_url: str) -> str:
    """``db_url`` holding the newest schema, empty: a store opened on it migrates
    nothing. On SQLite a copy of :func:`store_template`; on PostgreSQL ``db_url`` is
    already a copy of :func:`pg_template` (migrated by :meth:`Store.open` where this
    fixture is asked for only while the test runs, outside its fixtures' closure)."""
    if db_url.startswith("sqlite"):
        return copy_to(request.getfixturevalue("store_template"), db_url)
    return db_url


@pytest.fixture
def store(current_db_url: str) -> Iterator[Store]:
    s = Store.open(current_db_url)
    yield s
    s.close()


# Running in parallel (pytest-xdist; dev.py passes `--dist loadfile`): each file runs
# on one worker, in its own order, so a module-scoped world (three node processes, a
# TAXII server, a parsed source file) is built once and tests that build on each other's
# steps see them in order. Files holding slow tests are handed out first, so that a long
# one does not start last while the other worker sits idle (the scheduler keeps this
# order with `--no-loadscope-reorder`). Outside xdist the order is the files' order.
#
# (`--dist loadgroup` with `xdist_group` marks would spread the other tests of a file
# too, but pytest-xdist 3.8 tags grouped tests by rewriting `item._nodeid`, which
# pytest 9 no longer reads: the marks are silently ignored.)
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return
    slow = {item.path for item in items if item.get_closest_marker("slow") is not None}
    items.sort(key=lambda item: item.path not in slow)  # stable: each file's order is kept


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """tearline speaks English in every test that does not choose its language: what a
    test expects a person to read must not follow the LANG of the machine running it."""
    monkeypatch.setenv("TEARLINE_LANG", "en_US")
