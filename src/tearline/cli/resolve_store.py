"""``tearline resolve run | review | judge | show``: resolution over what a unit may see.

What is compared and applied is ``store/resolve_views.py``'s: the Person records the
acting unit may see, as it sees them, and the judgements it may see about them. So
nothing a unit cannot see enters the comparison, the pairs, the counts or the reasons.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tearline.cli.common import (
    STATE,
    AsOption,
    AtOption,
    Format,
    FormatOption,
    acting,
    at_time,
    console,
    emit,
)
from tearline.cli.language import _
from tearline.cli.resolve import resolve_app
from tearline.errors import NotFound, tr
from tearline.model.marking import Marking
from tearline.policy.subject import Subject

if TYPE_CHECKING:  # Splink and DuckDB load when a resolve command runs
    from tearline.resolve.decide import Judged

_COLUMNS = ("left", "right", "score", "decision", "reasons")


def resolved(subject: Subject, at: datetime) -> tuple[list[Judged], dict[str, str]]:
    from tearline.store import resolve_views

    return resolve_views.resolved(STATE.store(), subject, at)


def _rows(pairs: list[Judged], names: dict[str, str]) -> list[dict[str, Any]]:
    return [{"left": f"{p.left} ({names.get(p.left, '')})",
             "right": f"{p.right} ({names.get(p.right, '')})", "score": f"{p.score:.3f}",
             "decision": str(p.decision), "reasons": "; ".join(p.reasons)} for p in pairs]


@resolve_app.command("run")
def run(as_: AsOption = None, at: AtOption = None, fmt: FormatOption = Format.table) -> None:
    """Compare the Person records you may see; list matches, pairs to review, judgements."""
    from tearline.resolve.clusters import entities
    from tearline.resolve.decide import Decision

    pairs, names = resolved(acting(as_), at_time(at))
    shown = [p for p in pairs if p.decision is not Decision.NO_MATCH
             or p.reasons[0].startswith("judged ")]
    emit(_rows(shown, names), fmt, _COLUMNS)
    groups = entities(pairs)
    console.print(_("{n} entities of several records; {review} pairs to review").format(
        n=len(groups), review=sum(p.decision is Decision.REVIEW for p in pairs)))


@resolve_app.command("review")
def review(as_: AsOption = None, at: AtOption = None, fmt: FormatOption = Format.table) -> None:
    """The pairs a person should judge: the model was unsure and nobody judged them."""
    from tearline.resolve.decide import Decision

    pairs, names = resolved(acting(as_), at_time(at))
    emit(_rows([p for p in pairs if p.decision is Decision.REVIEW
                and not p.reasons[0].startswith("judged ")], names), fmt, _COLUMNS)


@resolve_app.command("show")
def show(entity: Annotated[str, typer.Argument(help="A record id.")], as_: AsOption = None,
         at: AtOption = None, fmt: FormatOption = Format.table) -> None:
    """The entity a record belongs to: its records and the pairs that join them."""
    from tearline.resolve.clusters import entities
    from tearline.resolve.decide import Decision

    pairs, names = resolved(acting(as_), at_time(at))
    if entity not in names:
        raise NotFound(tr("no record {entity!r}", entity=entity))
    group = next((g for g in entities(pairs) if entity in g), [entity])
    console.print(_("entity of {n} records:").format(n=len(group)) + " " + ", ".join(
        f"{m} ({names[m]})" for m in group))
    emit(_rows([p for p in pairs if p.left in group or p.right in group
                if p.decision is not Decision.NO_MATCH], names), fmt, _COLUMNS)


@resolve_app.command("judge")
def judge(
    left: Annotated[str, typer.Argument(help="A record id.")],
    right: Annotated[str, typer.Argument(help="Another record id.")],
    judgement: Annotated[str, typer.Argument(help="match, no-match or unsure.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the judgement).")],
    tlp: Annotated[str, typer.Option(help="TLP 2.0 level of the judgement.")] = "AMBER",
    rel_to: Annotated[list[str] | None, typer.Option(
        "--rel-to", help="Who may see the judgement (default: your agency).")] = None,
    as_: AsOption = None,
) -> None:
    """Record your judgement on a pair; it overrides the model (undo: judge again)."""
    from tearline.store import resolve_views

    subject, now = acting(as_), at_time(None)
    marking = Marking.build(tlp, rel_to or [f"agency:{subject.agency}"])
    done = resolve_views.judge(STATE.store(), subject, left, right, judgement, reason, marking,
                               now)
    console.print(_("{left} / {right}: {judgement} by {by}").format(
        left=done.left, right=done.right, judgement=done.judgement, by=done.judged_by)
        + f" [{marking}]")
