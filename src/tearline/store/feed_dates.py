"""A record's date added for a peer: the query of the times that make it up.

``store/feed.py`` walks the stored times in order and settles each record it meets with
this query: the record's schema and each of the times listed in its docstring (the
statements shown added, markings set, releases reaching the peer, what narrowed the
peer's view, and when this node passes it on, the consents), with the collection's
filter and the policy's predicates for the peer. Apart from the walk because the
query that dates a record is its own concern; it is built once per shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, and_, bindparam, exists, func, or_, select

from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.consent_documents import consent_documents
from tearline.store.existence import relationship_ends
from tearline.store.relay import BY_AGENCY
from tearline.store.visibility import Visibility
from tearline.store.visibility_sets import AT

_QUERIES: dict[tuple[str, bool, bool], Any] = {}


def _cites(vis: Visibility, r: Any, bases: Any, many: bool) -> Any:
    """Record ``r``'s marking, or one of its releases reaching the subject, cites ``bases``
    (one, or any of many): a release to someone else is not the subject's to see."""
    m, rl = t.markings, rt.releases
    if many:
        return or_(exists().where(m.c.id == r.c.marking_id, m.c.legal_basis.in_(bases)),
                   exists().where(rl.c.entity_id == r.c.id, rl.c.basis.in_(bases),
                                  vis.reaches(rl)))
    return or_(exists().where(m.c.id == r.c.marking_id, m.c.legal_basis == bases),
               exists().where(rl.c.entity_id == r.c.id, rl.c.basis == bases,
                              vis.reaches(rl)))


def _relayable(r: Any) -> Any:
    """Record ``r`` is this node's agency's own, or its originator consented to this
    node's agency passing it on; never a record of the peer's own agency."""
    cd = consent_documents
    consented = exists().where(cd.c.entity_id == r.c.id, cd.c.by_agency == r.c.originator,
                               cd.c.to_agency == BY_AGENCY)
    return and_(r.c.originator != bindparam("peer_agency", type_=String()),
                or_(r.c.originator == BY_AGENCY, consented))


def _dates_query(vis: Visibility, default: bool, relay: bool) -> Any:
    """Each record among ``ids`` that is in the collection for the subject: its schema and
    the times that make up its date added (:func:`_date`). Built once per shape."""
    key = (vis.shape, default, relay)
    found = _QUERIES.get(key)
    if found is None:
        found = _QUERIES[key] = _build_dates(vis, default, relay)
    return found


def _build_dates(vis: Visibility, default: bool, relay: bool) -> Any:
    r = t.records.alias("fr")
    s1, s2, s3 = (t.statements.alias(f"fs{n}") for n in (1, 2, 3))
    mc1, mc2 = rt.marking_changes.alias("fm1"), rt.marking_changes.alias("fm2")
    rl = rt.releases.alias("fl")
    added = select(func.max(s1.c.added_at)).where(
        s1.c.entity_id == r.c.id, vis.shown_portion(s1, r)).scalar_subquery()
    marked = select(func.max(mc1.c.changed_at)).where(
        mc1.c.entity_id == r.c.id, mc1.c.statement_id.is_(None)).scalar_subquery()
    portion_marked = (select(func.max(mc2.c.changed_at))
                      .select_from(mc2.join(s2, s2.c.id == mc2.c.statement_id))
                      .where(mc2.c.entity_id == r.c.id, s2.c.entity_id == r.c.id,
                             or_(vis.shown_portion(s2, r),
                                 # shown before this change: the peer saw it narrow
                                 vis.item(func.coalesce(mc2.c.old_marking_id, r.c.marking_id),
                                          s2.c.origin, s2.c.author)))
                      .scalar_subquery())
    released = select(func.max(rl.c.released_at)).where(
        rl.c.entity_id == r.c.id, vis.reaches(rl)).scalar_subquery()
    # what narrowed the peer's view moves the record too (its dates never go back, so a
    # record is never left behind a cursor): a release that reached it revoked, a
    # statement it could see retracted, a consent to pass it on withdrawn
    rv, rl2 = rt.release_revocations.alias("frv"), rt.releases.alias("fl2")
    revoked = (select(func.max(rv.c.revoked_at))
               .select_from(rv.join(rl2, rl2.c.id == rv.c.release_id))
               .where(rl2.c.entity_id == r.c.id, rl2.c.released_at <= AT,
                      rv.c.revoked_at <= AT, vis.addressed(rl2)).scalar_subquery())
    s4 = t.statements.alias("fs4")
    retracted = select(func.max(s4.c.retracted_at)).where(
        s4.c.entity_id == r.c.id, s4.c.retracted_at <= AT,
        vis.item(func.coalesce(s4.c.marking_id, r.c.marking_id), s4.c.origin, s4.c.author),
    ).scalar_subquery()
    times: list[Any] = [added, marked, portion_marked, released, revoked, retracted]
    if relay:
        # consents letting this node's agency pass on the record (its originator's) or a
        # statement the peer may see (its origin's): recorded, received, or withdrawn
        c, cd = rt.consents.alias("fc"), consent_documents.alias("fd")
        c2, w = rt.consents.alias("fc2"), rt.consent_withdrawals.alias("fw")
        origins = select(s3.c.origin).where(
            s3.c.entity_id == r.c.id,
            vis.item(func.coalesce(s3.c.marking_id, r.c.marking_id), s3.c.origin,
                     s3.c.author))
        times.append(select(func.max(c.c.granted_at)).where(
            c.c.entity_id == r.c.id, c.c.to_agency == BY_AGENCY, c.c.granted_at <= AT,
            or_(c.c.by_agency == r.c.originator, c.c.by_agency.in_(origins)),
        ).scalar_subquery())
        times.append(select(func.max(cd.c.received_at)).where(
            cd.c.entity_id == r.c.id, cd.c.to_agency == BY_AGENCY, cd.c.received_at <= AT,
            or_(cd.c.by_agency == r.c.originator, cd.c.by_agency.in_(origins)),
        ).scalar_subquery())
        times.append(select(func.max(w.c.withdrawn_at))
                     .select_from(w.join(c2, c2.c.id == w.c.consent_id))
                     .where(c2.c.entity_id == r.c.id, c2.c.to_agency == BY_AGENCY,
                            w.c.withdrawn_at <= AT,
                            or_(c2.c.by_agency == r.c.originator,
                                c2.c.by_agency.in_(origins)))
                     .scalar_subquery())
    member = _cites(vis, r, bindparam("coll_basis", type_=String()), many=False)
    if default:  # also what cites none of the peer's agreements
        member = or_(member, ~_cites(vis, r, bindparam("coll_all", expanding=True),
                                            many=True))
    query = select(r.c.id, r.c.schema, *times).where(
        r.c.id.in_(bindparam("entity_ids", expanding=True)),
        member,
        vis.entity(r, relationship_ends()),
    )
    return query.where(_relayable(r)) if relay else query


def _date(times: Iterable[str | None]) -> str | None:
    present = [x for x in times if x is not None]
    return max(present) if present else None
