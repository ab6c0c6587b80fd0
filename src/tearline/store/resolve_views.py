"""Entity resolution for one viewer: the model over what it may see, its judgements applied.

The records compared are the Person records the subject may see, as it sees them
(tear-line views through :meth:`Store.page`, which logs the reads); the judgements
applied are those it may see about records it may see (``resolve_judgements``). The
command line and the API both answer from here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tearline.errors import NotFound, ValidationError, tr
from tearline.model.marking import Marking
from tearline.policy.subject import Subject
from tearline.resolve.clusters import PersonJudgement, apply_judgements
from tearline.resolve.decide import Judged
from tearline.resolve.model import dedupe
from tearline.resolve.records import from_entity
from tearline.store import resolve_judgements
from tearline.store.visibility import Visibility

if TYPE_CHECKING:
    from tearline.store.store import Store

PAGE = 500


def resolved(store: Store, subject: Subject, at: datetime
             ) -> tuple[list[Judged], dict[str, str]]:
    """The subject's pairs (the model's, then its visible judgements) and record names."""
    people, after = [], None
    while True:
        page = store.page(subject, at, schema="Person", after=after, limit=PAGE, path="list")
        people.extend(page)
        if len(page) < PAGE:
            break
        after = page[-1].id
    records = [from_entity(r.to_ftm()) for r in people]
    with store.reading() as conn:
        judged = resolve_judgements.visible(conn, Visibility(subject, at))
    taken = {k: PersonJudgement(j.judgement, j.reason, j.judged_by, j.judged_at)
             for k, j in judged.items()}
    pairs = apply_judgements(dedupe([r for r in records if r.name]), taken)
    return pairs, {r.id: r.name for r in records}


def judge(store: Store, subject: Subject, left: str, right: str, judgement: str,
          reason: str, marking: Marking, at: datetime) -> resolve_judgements.Judgement:
    """Check and append a judgement; :class:`NotFound` for a record the subject may not
    see, exactly as for one that does not exist."""
    if judgement not in resolve_judgements.JUDGEMENTS:
        raise ValidationError(tr(
            "a judgement is one of {JUDGEMENTS}, not {judgement!r}",
            JUDGEMENTS=', '.join(resolve_judgements.JUDGEMENTS), judgement=judgement))
    if left == right or not reason.strip():
        raise ValidationError(tr("judge two different records, and say why (a reason)"))
    found = {r.id for r in store.read_many(subject, at, [left, right], path="show")}
    for wanted in (left, right):
        if wanted not in found:
            raise NotFound(tr("no record {wanted!r}", wanted=wanted))
    with store.transaction() as conn:
        return resolve_judgements.add(conn, subject, left, right, judgement, reason.strip(),
                                      marking, at)
