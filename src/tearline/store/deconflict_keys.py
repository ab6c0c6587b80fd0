"""This node's key share, and evaluations under it: quota first, then the audit log.

A key-share holder evaluates blinded elements for a unit only within the unit's daily
quota (``deconflict_quotas``, else :data:`DEFAULT_DAILY_QUOTA`), counted per UTC day
in ``deconflict_usage`` by one conditional update, so two concurrent requests cannot
both pass the last slot. Every evaluation is an audit entry (``deconflict.evaluated``)
committed with the count; a refusal is an entry of its own (``deconflict.refused``),
committed before the refusal is raised. Enumeration is thereby bounded and visible:
a node alone cannot compute a token, and every element it helps evaluate is counted.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, and_, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tearline.audit.deconflict_events import DeconflictEvaluated, DeconflictRefused
from tearline.deconflict import group, threshold
from tearline.errors import Conflict, NotConfigured, QuotaExceeded, ValidationError, tr
from tearline.store import audit_log
from tearline.store import deconflict_tables as dt
from tearline.store.store import Store
from tearline.store.tables import ts

DEFAULT_DAILY_QUOTA = 1000
#: The most elements one request may carry (a batch check splits into requests).
MAX_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class Evaluation:
    key_id: str
    share_index: int
    threshold: int
    answers: tuple[bytes, ...]


def key_id_of(commitments: Sequence[bytes]) -> str:
    """A shared key's id: a digest of what every holder may know (the dealer's public
    commitment to the key), never of a share."""
    return hashlib.sha256(b"tearline-deconflict-key\x00" + b"".join(commitments)).hexdigest()[:32]


def deal(threshold_t: int, count: int) -> tuple[str, tuple[threshold.KeyShare, ...]]:
    """The key ceremony: a fresh key split ``threshold_t`` of ``count``, its id, and the
    key itself forgotten (only its public commitment names it)."""
    key = group.random_scalar()
    key_id = key_id_of([group.scalar_mult_base(key)])
    shares = threshold.split(key, threshold_t, count)
    del key
    return key_id, shares


def install_share(conn: Connection, key_id: str, share: threshold.KeyShare, at: datetime,
                  by: str) -> None:
    """Keep this node's share of key ``key_id``; the same share again is a no-op."""
    if not re.fullmatch(r"[0-9a-f]{32}", key_id):
        raise ValidationError(tr(
            "a deconfliction key id is 32 hex digits, not {key_id!r}", key_id=key_id))
    found = conn.execute(select(dt.shares).where(dt.shares.c.key_id == key_id)).first()
    if found is not None:
        if bytes(found.share) != share.scalar or found.share_index != share.index:
            raise Conflict(tr(
                "this node already holds another share of key {key_id}", key_id=key_id))
        return
    conn.execute(insert(dt.shares).values(
        key_id=key_id, share_index=share.index, threshold=share.threshold,
        share_count=share.count, share=share.scalar, installed_at=ts(at), installed_by=by))


def current_share(conn: Connection) -> tuple[str, threshold.KeyShare]:
    """The share of the newest key this node holds."""
    row = conn.execute(select(dt.shares).order_by(dt.shares.c.installed_at.desc(),
                                                  dt.shares.c.key_id).limit(1)).first()
    if row is None:
        raise NotConfigured(tr(
            "this node holds no deconfliction key share: run `tearline deconflict install-share`"))
    return row.key_id, threshold.KeyShare(
        index=row.share_index, scalar=bytes(row.share), threshold=row.threshold,
        count=row.share_count)


def set_quota(conn: Connection, unit: str, daily_limit: int, at: datetime, by: str) -> None:
    if not 0 <= daily_limit <= 10_000_000:
        raise ValidationError(tr("a daily quota is between 0 and 10,000,000 evaluations"))
    conn.execute(insert(dt.quotas).values(unit=unit, daily_limit=daily_limit, set_at=ts(at),
                                          set_by=by))


def daily_limit(conn: Connection, unit: str) -> int:
    found = conn.execute(select(dt.quotas.c.daily_limit).where(dt.quotas.c.unit == unit)
                         .order_by(dt.quotas.c.seq.desc()).limit(1)).scalar_one_or_none()
    return DEFAULT_DAILY_QUOTA if found is None else int(found)


def used(conn: Connection, unit: str, day: str) -> int:
    found = conn.execute(select(dt.usage.c.used).where(
        and_(dt.usage.c.unit == unit, dt.usage.c.day == day))).scalar_one_or_none()
    return 0 if found is None else int(found)


def _take(conn: Connection, unit: str, day: str, count: int, limit: int) -> bool:
    """Add ``count`` to the unit's day if the limit allows it, atomically."""
    dialect = conn.dialect.name
    stmt = (postgresql.insert(dt.usage) if dialect == "postgresql" else sqlite.insert(dt.usage))
    conn.execute(stmt.values(unit=unit, day=day, used=0).on_conflict_do_nothing())
    done = conn.execute(update(dt.usage).where(
        and_(dt.usage.c.unit == unit, dt.usage.c.day == day,
             dt.usage.c.used + count <= limit)).values(used=dt.usage.c.used + count))
    return bool(done.rowcount == 1)


def refuse(conn: Connection, actor: str, unit: str, count: int, at: datetime, channel: str,
           reason: str) -> DeconflictRefused:
    """Log a refusal (committed by the caller's transaction before it raises)."""
    day = _day(at)
    event = DeconflictRefused(
        at=ts(at), actor=actor, requester=f"unit:{unit}", element_count=count,
        used_today=used(conn, unit, day), daily_limit=daily_limit(conn, unit),
        reason=reason, channel=channel)  # type: ignore[arg-type]
    audit_log.append(conn, [event])
    return event


def _day(at: datetime) -> str:
    return at.astimezone(UTC).date().isoformat()


def _check_count(count: int) -> None:
    if not 1 <= count <= MAX_BATCH:
        raise ValidationError(tr(
            "send 1 to {MAX_BATCH} blinded elements per request", MAX_BATCH=MAX_BATCH))


def _count(conn: Connection, actor: str, unit: str, count: int, at: datetime,
           channel: str) -> tuple[str, threshold.KeyShare]:
    """Take ``count`` evaluations from the unit's quota and log them; the share to use.

    :class:`QuotaExceeded` when the quota would be exceeded: the caller rolls back and
    logs the refusal in a transaction of its own."""
    _check_count(count)
    key_id, share = current_share(conn)
    day = _day(at)
    limit = daily_limit(conn, unit)
    if not _take(conn, unit, day, count, limit):
        raise QuotaExceeded(
            tr(
                "unit {unit} would exceed its daily quota of {limit} evaluations on this node "
                "({used} used today); the refusal is logged",
                unit=unit, limit=limit, used=used(conn, unit, day)), retry_after=3600)
    audit_log.append(conn, [DeconflictEvaluated(
        at=ts(at), actor=actor, requester=f"unit:{unit}", key_id=key_id,
        element_count=count, used_today=used(conn, unit, day),
        channel=channel)])  # type: ignore[arg-type]
    return key_id, share


def evaluate(conn: Connection, actor: str, unit: str, elements: Sequence[bytes],
             at: datetime, channel: str) -> Evaluation:
    """Evaluate ``elements`` with this node's share for ``unit``, within its quota."""
    _check_count(len(elements))
    for i, element in enumerate(elements):
        group.check_shape(element, f"element {i}")  # libsodium decodes it; a refusal rolls back
    key_id, share = _count(conn, actor, unit, len(elements), at, channel)
    answers = threshold.evaluate_many(share, elements)
    return Evaluation(key_id, share.index, share.threshold, answers)


def evaluate_for(store: Store, actor: str, unit: str, elements: Sequence[bytes],
                 at: datetime, channel: str) -> Evaluation:
    """:func:`evaluate` in a transaction; a refusal is logged and committed, then raised."""
    try:
        with store.transaction() as conn:
            return evaluate(conn, actor, unit, elements, at, channel)
    except QuotaExceeded:
        with store.transaction() as conn:
            refuse(conn, actor, unit, len(elements), at, channel, "quota")
        raise


def local_share(store: Store, actor: str, unit: str, count: int, at: datetime
                ) -> tuple[str, threshold.KeyShare]:
    """This node's share, for its own units' ``count`` evaluations: counted against the
    quota and logged exactly like evaluations asked by a peer (channel ``local``), but
    applied by the client itself to the unblinded elements (``tokens.finish``), since
    the selectors never leave this process. A refusal is logged, committed, raised."""
    try:
        with store.transaction() as conn:
            return _count(conn, actor, unit, count, at, "local")
    except QuotaExceeded:
        with store.transaction() as conn:
            refuse(conn, actor, unit, count, at, "local", "quota")
        raise
