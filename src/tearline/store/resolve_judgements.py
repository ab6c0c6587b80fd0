"""Judgements on entity resolution (migration 0025): who said two records are (not) one.

Append-only, in the nomenklatura style: each row says that a person (``judged_by``,
acting for unit ``author`` of agency ``origin``) judged records ``left_id`` and
``right_id`` to be one entity (``match``), two (``no-match``) or could not tell
(``unsure``), when and why. Nothing is updated or deleted: an undo is a newer judgement
of the same pair. A person's judgement overrides the model's decision.

Each judgement is marked like a statement (``marking_id`` in ``markings``), and a
viewer reads it only when the visibility rule lets it see an item of that marking,
origin and author *and* both records exist for it — a judgement never tells a viewer
that a record it cannot see exists. Of the judgements a viewer may see, the latest per
pair counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Connection, ForeignKey, Index, String, Table, Text, and_, select

from tearline.model.marking import Marking
from tearline.policy.subject import Subject
from tearline.store.tables import TS, metadata, ts
from tearline.store.visibility import Visibility
from tearline.store.writer import store_markings

JUDGEMENTS = ("match", "no-match", "unsure")

judgements = Table(
    "resolve_judgements",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("left_id", String(200), nullable=False),
    Column("right_id", String(200), nullable=False),
    Column("judgement", String(12), nullable=False),
    Column("reason", Text, nullable=False),
    Column("judged_by", String(200), nullable=False),
    Column("origin", String(64), nullable=False),
    Column("author", String(128), nullable=False),
    Column("marking_id", String(40), ForeignKey("markings.id"), nullable=False),
    Column("judged_at", TS, nullable=False),
    Index("ix_resolve_judgements_pair", "left_id", "right_id"),
)


@dataclass(frozen=True)
class Judgement:
    left: str
    right: str
    judgement: str
    reason: str
    judged_by: str
    unit: str
    judged_at: str


def pair_of(a: str, b: str) -> tuple[str, str]:
    """A pair in its one order (judgements are about unordered pairs)."""
    return (a, b) if a <= b else (b, a)


def add(conn: Connection, subject: Subject, a: str, b: str, judgement: str, reason: str,
        marking: Marking, at: datetime) -> Judgement:
    """Append a judgement (the caller has checked both records exist for the subject)."""
    left, right = pair_of(a, b)
    stamp = ts(at)
    by = subject.analyst or subject.unit
    digest = hashlib.sha256("\x1f".join((left, right, judgement, reason, by, subject.unit,
                                         stamp)).encode()).hexdigest()
    store_markings(conn, [marking])
    conn.execute(judgements.insert().values(
        id=digest, left_id=left, right_id=right, judgement=judgement, reason=reason,
        judged_by=by, origin=subject.agency, author=subject.unit, marking_id=marking.id,
        judged_at=stamp))
    return Judgement(left, right, judgement, reason, by, subject.unit, stamp)


def visible(conn: Connection, vis: Visibility) -> dict[tuple[str, str], Judgement]:
    """The latest judgement per pair among those the viewer may see (see the docstring)."""
    j = judgements
    query = (select(j.c.left_id, j.c.right_id, j.c.judgement, j.c.reason, j.c.judged_by,
                    j.c.author, j.c.judged_at)
             .where(and_(vis.item(j.c.marking_id, j.c.origin, j.c.author),
                         vis.entity_exists(j.c.left_id), vis.entity_exists(j.c.right_id)))
             .order_by(j.c.judged_at, j.c.id))
    latest: dict[tuple[str, str], Judgement] = {}
    for row in conn.execute(query, vis.params):
        latest[(row.left_id, row.right_id)] = Judgement(
            row.left_id, row.right_id, row.judgement, row.reason, row.judged_by, row.author,
            row.judged_at)
    return latest
