"""``tearline resolve …``: entity resolution (``docs/resolve.md``).

``pairs`` compares two files of FollowTheMoney entities without storing anything
and writes ``left_id,right_id,score,decision``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from tearline.cli.common import app, console, err
from tearline.cli.language import _
from tearline.errors import NotFound, tr

resolve_app = typer.Typer(
    help="Entity resolution: which records are one person, with the reasons; "
    "judgements by people override the model.", no_args_is_help=True)
app.add_typer(resolve_app, name="resolve")

Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


def _bar(quiet: bool) -> Progress:
    return Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                    TimeElapsedColumn(), console=err, disable=quiet, transient=True)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise NotFound(tr("no such file: {path}", path=path)) from exc


@resolve_app.command("pairs")
def pairs(
    left: Annotated[Path, typer.Argument(help="FollowTheMoney entities, one JSON a line.")],
    right: Annotated[Path, typer.Argument(help="The entities to compare them with.")],
    out: Annotated[Path, typer.Option("--out", help="CSV written: left_id,right_id,score,"
                                      "decision.")],
    one_to_one: Annotated[bool, typer.Option(
        "--one-to-one", help="Each list holds a person once: keep each record's best "
        "match, send the others to review.")] = False,
    quiet: Quiet = False,
) -> None:
    """Compare two files of entities, storing nothing; write the candidate pairs."""
    from tearline.resolve import decide, model
    from tearline.resolve.entity_lines import read_entities

    with _bar(quiet) as bar:
        task = bar.add_task(_("reading"), total=4)
        left_file = read_entities(_lines(left), str(left))
        right_file = read_entities(_lines(right), str(right))
        bar.update(task, advance=1, description=_("comparing"))
        found = model.link(left_file.records, right_file.records,
                           progress=lambda stage: bar.update(task, advance=1,
                                                             description=stage))
        if one_to_one:
            found = decide.one_to_one(found)
        bar.update(task, advance=1, description=_("writing"))
        with out.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["left_id", "right_id", "score", "decision"])
            for pair in sorted(found, key=lambda p: (-p.score, p.left, p.right)):
                writer.writerow([pair.left, pair.right, f"{pair.score:.6f}", pair.decision])
    counts = {d: sum(p.decision is d for p in found) for d in decide.Decision}
    skipped = left_file.skipped + right_file.skipped
    console.print(_("{n} pairs written to {out}: {match} match, {review} review, {no} "
                    "no-match").format(n=len(found), out=out,
                                       match=counts[decide.Decision.MATCH],
                                       review=counts[decide.Decision.REVIEW],
                                       no=counts[decide.Decision.NO_MATCH])
                  + (_("; {n} entities not of schema Person skipped").format(n=skipped)
                     if skipped else ""))
