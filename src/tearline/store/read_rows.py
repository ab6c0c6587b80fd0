"""The rows of a read made into values: markings by id, statements, tear-line records.

Apart from the statement (``store/read_query.py``) because decoding is its own concern:
:func:`_decode` turns the rows of the read statement (its columns in the order of
``read_query._HEAD_COLUMNS`` then ``_STATEMENT_COLUMNS``, then the two times of the
current markings) into records as the subject sees them; markings are immutable
values, loaded once per process by id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from tearline.model.grading import Credibility, Reliability
from tearline.model.marking import Marking
from tearline.model.record import Record
from tearline.model.statement import Statement
from tearline.policy.evaluator import viewed
from tearline.store import tables as t

_RELIABILITY = {m.value: m for m in Reliability}
_CREDIBILITY = {m.value: m for m in Credibility}


#: Markings by id. An id is the hash of the marking's canonical form (``Marking.id``), so
#: an entry is right for every store and never goes stale.
_MARKINGS: dict[str, Marking] = {}


def markings_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, Marking]:
    """The markings ``ids``, loading in one query those not seen before."""
    wanted = set(ids)
    missing = sorted(wanted - _MARKINGS.keys())
    if missing:
        if len(_MARKINGS) > 65_536:
            _MARKINGS.clear()
        m = t.markings
        for mid, body in conn.execute(select(m.c.id, m.c.body).where(m.c.id.in_(missing))):
            _MARKINGS[mid] = Marking.from_dict(json.loads(body))
    return {mid: _MARKINGS[mid] for mid in wanted}


class MarkingCache:
    """Markings by id, loaded on demand (they are immutable values)."""

    def get(self, conn: Connection, marking_id: str) -> Marking:
        return markings_by_id(conn, [marking_id])[marking_id]


def statement_from_row(row: Any, marking: Marking | None) -> Statement:
    return Statement(
        id=row.id,
        entity_id=row.entity_id,
        schema=row.schema,
        prop=row.prop,
        value=row.value,
        original_value=row.original_value,
        origin=row.origin,
        author=row.author,
        reliability=Reliability(row.reliability),
        credibility=Credibility(row.credibility),
        first_seen=t.from_ts(row.first_seen),
        last_seen=t.from_ts(row.last_seen),
        marking=marking,
    )


def _decode(conn: Connection, rows: Sequence[Any]) -> dict[str, Record]:
    """Records from rows of :func:`_with_statements` (ordered by record id), each with the
    version and times of what the subject sees (:func:`~tearline.policy.evaluator.viewed`)."""
    markings = markings_by_id(conn, {row[4] for row in rows} | {row[20] for row in rows
                                                                 if row[20] is not None})
    moments: dict[str, datetime] = {}

    def moment(text: str) -> datetime:
        found = moments.get(text)
        if found is None:
            found = moments[text] = t.from_ts(text)
        return found

    out: dict[str, Record] = {}
    head: Any = None
    statements: list[Statement] = []
    remarked: dict[str | None, datetime] = {}

    def finish() -> None:
        if head is not None and statements:
            stored = Record(
                id=head[0], schema=head[1], originator=head[2], author=head[3],
                marking=markings[head[4]], statements=(), synthetic=bool(head[5]),
                version=int(head[6]), created_at=moment(head[7]), modified_at=moment(head[8]))
            out[head[0]] = viewed(stored, statements, remarked)

    for row in rows:
        if head is None or row[0] != head[0]:
            finish()
            head, statements, remarked = row, [], {}
            if row[21] is not None:
                remarked[None] = moment(row[21])
        statements.append(Statement(
            row[0], row[10], row[11], row[12], row[14], row[15], moment(row[18]),
            moment(row[19]), _RELIABILITY[row[16]], _CREDIBILITY[row[17]], row[13],
            None if row[20] is None else markings[row[20]], row[9]))
        if row[22] is not None:
            remarked[row[9]] = moment(row[22])
    finish()
    return out
