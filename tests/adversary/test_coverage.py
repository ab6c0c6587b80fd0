"""Every path a viewer can reach has a runner: a new CLI command, API operation or TAXII
route fails here until a family runs it or ``coverage.py`` says why it is left out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main

from adversary.coverage import API, API_LEFT_OUT, CLI, CLI_LEFT_OUT, TAXII, WEB
from tearline.api.app import create_app
from tearline.cli import app as cli_app
from tearline.federation.identity import init_node
from tearline.store.store import Store
from tearline.taxii.app import create_app as taxii_app
from tearline.web.site import route_table


def commands() -> dict[str, list[str]]:
    """Every command of ``tearline``, by its words, with its parameters' names."""
    found: dict[str, list[str]] = {}

    def walk(command: object, words: tuple[str, ...]) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, (*words, name))
        else:
            found[" ".join(words)] = [p.name for p in getattr(command, "params", [])]

    walk(typer.main.get_command(cli_app), ())
    return found


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    made = Store.open(f"sqlite:///{tmp_path_factory.mktemp('coverage') / 'db.sqlite'}")
    yield made
    made.close()


def test_every_command_is_run_or_left_out_for_a_reason() -> None:
    found = commands()
    assert set(found) == set(CLI) | set(CLI_LEFT_OUT), (
        f"not in adversary/coverage.py: {sorted(set(found) - set(CLI) - set(CLI_LEFT_OUT))}; "
        f"no longer a command: {sorted((set(CLI) | set(CLI_LEFT_OUT)) - set(found))}")
    assert not set(CLI) & set(CLI_LEFT_OUT)
    acting = {words for words, params in found.items() if "as_" in params}
    assert acting <= set(CLI), f"commands acting as a viewer left out: {acting - set(CLI)}"


def test_every_api_operation_is_run(store: Store) -> None:
    document = create_app(store).openapi()
    operations = {(method.upper(), path) for path, ops in document["paths"].items()
                  for method in ops}
    assert operations == set(API) | set(API_LEFT_OUT), (
        f"not in adversary/coverage.py: {sorted(operations - set(API) - set(API_LEFT_OUT))}; "
        f"gone: {sorted(set(API) - operations)}")


def test_every_taxii_route_is_run(store: Store, tmp_path: Path) -> None:
    made = init_node(tmp_path / "keys", "us.dea", "us.dea.sod")
    app = taxii_app(store, made.identity, made.key)
    routes = {(method, route.path) for route in app.routes
              for method in getattr(route, "methods", None) or () if method != "HEAD"}
    assert routes == set(TAXII), f"TAXII routes without a runner: {routes - set(TAXII)}"


def test_every_web_route_is_run() -> None:
    routes = route_table()
    assert routes == set(WEB), f"web routes without a runner: {routes ^ set(WEB)}"
