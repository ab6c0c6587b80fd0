"""Shared fixtures: a store on every backend, the reference data folder.

Store tests run on SQLite and on PostgreSQL. PostgreSQL tests start a throwaway
server from the installed binaries; where none is installed they are skipped,
unless ``TEARLINE_REQUIRE_POSTGRES=1`` (set by CI), where that is a failure.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

from pgserver import PgServer, find_bindir, pg_url  # noqa: E402
from tearline.store.store import Store  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"

# CI replays the same examples every run and sets no per-example deadline (the CI
# machine is shared), so a red build is about the change under
# test; local runs keep drawing new examples and are where new cases are found.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
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
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tearline.sqlite'}"
    return pg_url(request.getfixturevalue("pg_server"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store.open(db_url)
    yield s
    s.close()


# Running in parallel (pytest-xdist, `--dist loadgroup`; dev.py passes it). Two rules:
# - tests that share a module- or class-scoped fixture run on one worker, in file order,
#   so the shared world (three node processes, a TAXII server, a parsed source file)
#   is built once and the tests that build on each other's steps see them in order;
#   every other test is scheduled on its own, so a module's tests spread over workers;
# - slow tests are handed out first, so that a long one does not start last while the
#   other workers sit idle (the scheduler keeps collection order with
#   `--no-loadscope-reorder`). Outside xdist neither rule applies and the order is the
#   files' order.
_SCHEDULED_AS = pytest.StashKey[str]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.pluginmanager.hasplugin("xdist") or "PYTEST_XDIST_WORKER" not in os.environ:
        return
    slow: set[str] = set()
    for item in items:
        key = item.nodeid
        info = getattr(item, "_fixtureinfo", None)
        defs = info.name2fixturedefs.values() if info is not None else ()
        if any(d[-1].scope in ("module", "class", "package") for d in defs):
            key = item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(key))
        item.stash[_SCHEDULED_AS] = key
        if item.get_closest_marker("slow") is not None:
            slow.add(key)
    # stable: within a group and among the rest, the files' order is kept
    items.sort(key=lambda item: item.stash[_SCHEDULED_AS] not in slow)
