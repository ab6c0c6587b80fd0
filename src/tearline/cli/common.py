"""Shared CLI plumbing: global options, the store, output formats, error reporting."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tearline.errors import InputError, NotFound, TearlineError
from tearline.model.marking import parse_timestamp
from tearline.reports.spreadsheet import write_csv
from tearline.settings import Settings
from tearline.store import Store

app = typer.Typer(
    name="tearline",
    help="Share counter-narcotics intelligence between agencies of unequal trust.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
#: Console markup is off: what the CLI prints comes from data other units wrote (a
#: caption ``[/bold]`` would stop every listing that shows it; ``[link=…]`` would make a
#: terminal link). Styles are given as ``Text`` styles, never as markup in a string.
console = Console(markup=False)
err = Console(stderr=True, markup=False)


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format for listings.")
]
AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this unit or analyst (unit.id or name@unit.id)."),
]
AtOption = Annotated[
    str | None,
    typer.Option("--at", help="Evaluate the policy at this ISO-8601 time (default: now)."),
]


@dataclass
class State:
    workspace: Path | None = None
    db_url: str | None = None
    _store: Store | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        return Settings.load(self.workspace, self.db_url)

    def store(self) -> Store:
        if self._store is None:
            settings = self.settings
            if settings.db_url.startswith("sqlite:///"):
                path = Path(settings.db_url.removeprefix("sqlite:///"))
                if not path.exists():
                    raise InputError(
                        f"no workspace database at {path}: run `tearline init` first "
                        "(or set TEARLINE_WORKSPACE / TEARLINE_DB_URL)"
                    )
            self._store = Store.open(settings.db_url)
        return self._store

    def close(self) -> None:
        """Release the database connections (at the end of every command)."""
        if self._store is not None:
            self._store.close()
            self._store = None


STATE = State()


@app.callback()
def _global(
    ctx: typer.Context,
    workspace: Annotated[
        Path | None,
        typer.Option("--workspace", "-w", envvar="TEARLINE_WORKSPACE",
                     help="Workspace folder (default ./workspace)."),
    ] = None,
    db_url: Annotated[
        str | None,
        typer.Option("--db-url", envvar="TEARLINE_DB_URL",
                     help="Database URL (default: SQLite file in the workspace)."),
    ] = None,
) -> None:
    """tearline: precise, provable, lawful, traceable and minimal intelligence sharing."""
    STATE.close()
    STATE.workspace = workspace
    STATE.db_url = db_url
    ctx.call_on_close(STATE.close)


def at_time(value: str | None) -> datetime:
    return parse_timestamp(value) if value else datetime.now(UTC)


def emit(rows: Sequence[dict[str, Any]], fmt: Format, columns: Sequence[str],
         title: str | None = None) -> None:
    """Print a listing as a table, a JSON array, JSON lines, or CSV for a spreadsheet
    (formula cells neutralized: ``tearline.reports.spreadsheet``)."""
    if fmt is Format.csv:
        write_csv(sys.stdout, columns, ([_cell(row.get(col)) for col in columns]
                                        for row in rows))
    elif fmt is Format.json:
        sys.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt is Format.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    else:
        table = Table(title=None if title is None else Text(title))
        for col in columns:
            table.add_column(Text(col))
        for row in rows:
            table.add_row(*(Text(_cell(row.get(col))) for col in columns))
        console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return str(value)


@contextmanager
def reporting() -> Iterator[None]:
    """Turn tearline errors into a clear message and a non-zero exit status."""
    try:
        yield
    except NotFound as exc:
        err.print(labelled("not found:", exc.message), highlight=False)
        raise typer.Exit(3) from None
    except InputError as exc:
        err.print(labelled("error:", exc.message), highlight=False)
        raise typer.Exit(2) from None
    except TearlineError as exc:
        err.print(labelled(f"error ({exc.code}):", exc.message), highlight=False)
        raise typer.Exit(1) from None


def labelled(label: str, message: str, style: str = "red") -> Text:
    """``label`` in ``style``, then ``message`` as plain text (never markup)."""
    return Text.assemble((label, style), " ", message)
