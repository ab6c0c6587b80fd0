"""Sanctions screening: ``tearline screen`` (the store's records, or a file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tearline.cli.common import (
    STATE,
    AsOption,
    AtOption,
    Format,
    FormatOption,
    acting,
    app,
    at_time,
    console,
    emit,
    err,
)
from tearline.cli.language import _
from tearline.errors import InputError, tr
from tearline.ingest.files import open_sdn_text
from tearline.screening.files import read_entities
from tearline.screening.matcher import REVIEW
from tearline.screening.run import hit_row, parties_of, screen, visible

COLUMNS = ["entity_id", "name", "designation", "list_id", "listed_name", "programs",
           "score", "decision", "evidence"]


@app.command("screen")
def screen_command(
    path: Annotated[Path | None, typer.Argument(
        exists=True, dir_okay=False,
        help="Parties to screen: FollowTheMoney JSON lines or CSV (default: every person "
             "and organization you may see in the store).")] = None,
    as_: AsOption = None,
    at: AtOption = None,
    min_score: Annotated[float, typer.Option(
        "--min-score", help="The lowest score shown (0.75: review, 0.90: match).")] = REVIEW,
    fmt: FormatOption = Format.table,
) -> None:
    """Screen parties against the sanctions designations you may see (the OFAC SDN list
    as imported by `import-ofac`), with scores, the evidence of each hit and the
    designation's programs."""
    if not 0.0 <= min_score <= 1.0:
        raise InputError(tr(
            "--min-score must be between 0 and 1, not {min_score}", min_score=min_score))
    subject = acting(as_)
    seen = visible(STATE.store(), subject, at_time(at))
    if not seen.designations:
        err.print(_("no sanctions designation is visible to you: import a list first "
                    "(`tearline import-ofac sdn.csv`)"))
    parties = (seen.parties if path is None
               else parties_of(read_entities(open_sdn_text(path), path.name)))
    rows = [hit_row(h) for h in screen(parties, seen.designations, min_score)]
    emit(rows, fmt, COLUMNS, title=_("{hits} hit(s): {parties} parties screened against "
                                     "{designations} designations").format(
        hits=len(rows), parties=len(parties), designations=len(seen.designations)))
    if fmt is Format.table and not rows:
        console.print(_("no hits"))
