"""How a viewer reaches a world: the command line and the HTTP API, in process.

The runners of each path family (``paths_*.py``) use these to record a
:class:`~adversary.transcript.Transcript`. Both go through the product's own entry
points: Typer's ``CliRunner`` on ``tearline.cli.app`` with ``--db-url``/``-w`` of the
world, and an ``httpx`` client on the FastAPI app of the world's store, with the
viewer's analyst token. Nothing here decides what the viewer may see.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import typer.main
from typer.testing import CliRunner

from adversary import public
from adversary.coverage import cli_words
from adversary.worlds import Place
from tearline.api.app import create_app
from tearline.api.settings import ApiSettings
from tearline.cli import app as cli_app
from tearline.cli.common import STATE, console, err
from tearline.store.store import Store
from tearline.store.tokens import query_tokens

DATA = Path(__file__).parent / "data"
#: The API's cursor key in every world (a node keeps one across restarts via the
#: environment), so that cursors of both worlds can be opened and compared.
CURSOR_KEY = "ad" * 32
#: The filters of the list and search operations (``api/filtering.py``).
FILTERS = ("drug", "country", "date_from", "date_to", "originator", "tlp", "modified_since")


@cache
def command(app: Any) -> Any:
    """Typer's click command for ``app``, built once (Typer rebuilds it on every invoke,
    a tenth of a second; the conftest puts this in ``typer.testing``'s place)."""
    return typer.main.get_command(app)


class Cli:
    """``tearline --db-url … -w … ARGS`` in process; the answer as one text.

    The commands share one open store of the world (``STATE.store`` answers it) instead
    of opening the database, and running its migrations, once per command: what a
    command prints does not depend on it, and it halves the suite's time.
    """

    def __init__(self, place: Place, asked: set[tuple[str, str]]) -> None:
        self.place, self.asked = place, asked
        self.store = Store.open(place.url)

    def close(self) -> None:
        self.store.close()

    def invoke(self, *args: str) -> str:
        self.asked.add(("CLI", cli_words(args)))
        width = console.width, err.width
        console.width = err.width = 200  # the console's width is fixed at import
        STATE.store = lambda: self.store  # type: ignore[method-assign]
        try:
            result = CliRunner().invoke(cli_app, ["--db-url", self.place.url,
                                                  "-w", str(self.place.root), *args])
        finally:
            console.width, err.width = width
            del STATE.store
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return (f"exit {result.exit_code}\n--- stdout\n{result.stdout}"
                f"--- stderr\n{result.stderr}")


class Api:
    """The world's API app over ASGI, for one viewer's token."""

    def __init__(self, store: Store, token: str) -> None:
        self.app = create_app(store, ApiSettings.from_env(
            {}, request_timeout_seconds=300.0, cursor_key=CURSOR_KEY))
        self.token = token
        self.runner = asyncio.Runner()
        transport = httpx.ASGITransport(app=self.app, client=("127.0.0.9", 4242))
        self.client = httpx.AsyncClient(transport=transport, base_url="http://tearline")

    def close(self) -> None:
        self.runner.run(self.client.aclose())
        self.runner.close()

    def raw(self, method: str, url: str, body: Any = None, token: str | None = None
            ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["json"] = body
        return self.runner.run(self.client.request(method, url, **kwargs))

    def text(self, answer: httpx.Response, body: Any = None) -> str:
        """Status, headers (public ones taken out) and body, as one text."""
        if body is None:
            try:
                body = answer.json()
            except ValueError:
                body = answer.text
        return (f"{answer.status_code}\n{public.dump(public.headers(answer))}\n"
                f"{public.dump(body)}")

    def unseal(self, cursor: str, unit: str, path: str) -> str:
        """What an API cursor seals (the last id of a page; for a search, its rank and
        id), for ``path``'s query. Filters are bound as the API parsed them: the paged
        paths give them in that form already (``fentanyl``, ``us.dea``, ``2025-11-01``)."""
        params = httpx.URL(path).params
        filters = {name: params.get(name) for name in FILTERS}
        if "/search" in path:
            query = {"q": " ".join(query_tokens(params["q"])), "schema": params.get("schema"),
                     **filters}
            return str(self.app.state.cursors.open(cursor, unit, "search", query))
        return str(self.app.state.cursors.open(cursor, unit, "list",
                                               {"schema": params.get("schema"), **filters}))


def written(path: Path, run: Callable[[], str]) -> str:
    """What ``run`` printed, and the file it wrote at ``path`` (removed first, so that a
    file of the other world's run cannot stand in for one that was not written)."""
    path.unlink(missing_ok=True)
    said = run()
    return said + (path.read_text("utf-8") if path.exists() else "<no file>")


def written_folder(path: Path, run: Callable[[], str]) -> str:
    """What ``run`` printed, and every file it wrote in folder ``path`` (emptied first)."""
    shutil.rmtree(path, ignore_errors=True)
    said = run()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []
    return said + "".join(f"--- {p.relative_to(path)}\n{p.read_text('utf-8')}" for p in files)
