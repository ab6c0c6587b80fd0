"""Shared CLI plumbing: global options, the store, output formats, error reporting.

Errors are reported in one place: :class:`ReportingGroup`, the class of the root
application, turns any :class:`~tearline.errors.TearlineError` raised by a command (of
any sub-application, which runs inside the root's ``invoke``) into one line on stderr
and the exit status of :data:`tearline.errors.CLI_EXIT`. Commands just raise.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.main
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand, TyperGroup

from tearline.cli.headings import heading
from tearline.cli.language import _, cli_locale, localize_help
from tearline.cli.lazy import COMMANDS, LazyCommands
from tearline.errors import InputError, NotFound, TearlineError, cli_exit, tr
from tearline.i18n.messages import localize

# The store (SQLAlchemy, alembic, followthemoney) is imported by the commands that open
# it, not by ``tearline --help``: ``lazy.py`` says why.
if TYPE_CHECKING:
    from tearline.policy.subject import Subject
    from tearline.settings import Settings
    from tearline.store import Store


class ReportingGroup(TyperGroup):
    """The root command group: reports a tearline error once, for every command.

    Its commands are built when first looked up (:class:`~tearline.cli.lazy.LazyCommands`):
    running a command imports its area only; listing them (``--help``, completion)
    shows each one's help line from the table, importing nothing."""

    # ``ctx`` is Typer's Click context (Typer bundles its own Click, whose types it does
    # not export): typed as ``Any`` rather than through a private module.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(dict(self.commands), lambda: typer.main.get_group(app))
        # every command registered so far is built by now: say their help in the
        # command line's language (a command built later is said in it by its build)
        localize_help(self, cli_locale())

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command if built, else a stand-in that only says its help line."""
        assert isinstance(self.commands, LazyCommands)
        if cmd_name in self.commands.loaded or cmd_name not in COMMANDS:
            return self.commands.loaded.get(cmd_name)
        return TyperCommand(cmd_name, help=_(COMMANDS[cmd_name][1]))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # the command to run (or complete) is built, not its stand-in
        if args and args[0] in COMMANDS:
            assert isinstance(self.commands, LazyCommands)
            self.commands.load(args[:1])
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TearlineError as exc:
            report(exc)
            raise typer.Exit(cli_exit(exc)) from None


app = typer.Typer(
    name="tearline",
    cls=ReportingGroup,
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
        from tearline.settings import Settings

        return Settings.load(self.workspace, self.db_url)

    def store(self) -> Store:
        if self._store is None:
            settings = self.settings
            if settings.db_url.startswith("sqlite:///"):
                path = Path(settings.db_url.removeprefix("sqlite:///"))
                if not path.exists():
                    raise InputError(tr(
                        "no workspace database at {path}: run `tearline init` first "
                        "(or set TEARLINE_WORKSPACE / TEARLINE_DB_URL)", path=path))
            from tearline.store import Store

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


def acting(name: str | None) -> Subject:
    """The subject named by ``--as``, which every read and write must name."""
    if not name:
        raise InputError(tr("say who is acting: --as UNIT or --as name@UNIT (every read goes "
                            "through the dissemination policy)"))
    return STATE.store().subject(name)


def at_time(value: str | None) -> datetime:
    from tearline.model.marking import parse_timestamp

    return parse_timestamp(value) if value else datetime.now(UTC)


#: Columns holding ids: never cut (a person copies them into the next command). The
#: other columns wrap, also inside a word, rather than end in "…".
ID_COLUMNS = frozenset({"id", "entity_id", "file_id", "prefix", "leaf_hash"})


def emit(rows: Sequence[dict[str, Any]], fmt: Format, columns: Sequence[str],
         title: str | None = None) -> None:
    """Print a listing as a table, a JSON array, JSON lines, or CSV for a spreadsheet
    (formula cells neutralized: ``tearline.reports.spreadsheet``)."""
    if fmt is Format.csv:
        from tearline.reports.spreadsheet import write_csv

        write_csv(sys.stdout, columns, ([_cell(row.get(col)) for col in columns]
                                        for row in rows))
    elif fmt is Format.json:
        sys.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt is Format.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    else:
        print_table(rows, columns, title)


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str],
                title: str | None = None) -> None:
    """A table whose id columns are whole: as wide as their longest id, and the table
    wider than the terminal when the ids alone need it (the terminal then wraps lines,
    which cuts no id)."""
    table = Table(title=None if title is None else Text(title))
    cells = [[_cell(row.get(col)) for col in columns] for row in rows]
    needed = 4 + 3 * (len(columns) - 1)  # borders and padding
    for i, col in enumerate(columns):
        name = heading(col)
        if col in ID_COLUMNS:
            width = max([len(name), *(len(r[i]) for r in cells)])
            table.add_column(Text(name), no_wrap=True, min_width=width)
            needed += width
        else:
            table.add_column(Text(name), overflow="fold")
            needed += 1
    for row_cells in cells:
        table.add_row(*(Text(c) for c in row_cells))
    console.print(table, width=max(needed, console.width))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return str(value)


def report(exc: TearlineError) -> None:
    """Print ``exc`` on stderr as one labelled message (never markup)."""
    if isinstance(exc, NotFound):
        label = _("not found:")
    elif isinstance(exc, InputError):
        label = _("error:")
    else:
        label = _("error ({code}):").format(code=exc.code)
    # never broken by the console: a path or an id in a message stays whole to copy
    err.print(labelled(label, localize(exc, cli_locale())), highlight=False, soft_wrap=True)


def labelled(label: str, message: str, style: str = "red") -> Text:
    """``label`` in ``style``, then ``message`` as plain text (never markup)."""
    return Text.assemble((label, style), " ", message)
