"""The release sets of the visibility predicates: the items a release in force covers.

Releases add a fourth disjunct to the visibility rule: ``item IN R``, where R holds the
statements and records covered at t by a release in force whose selector matches the
subject and that the item's current marking still allows (not expired, not RED, and
for an onward release the AMBER+STRICT, legal-basis and ORCON-consent conditions of
``policy/release.py``). Each R is one uncorrelated sub-select per query. Apart from
``store/visibility.py`` because the release conditions are their own concern.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select

from tearline.model.marking import Tlp
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.visibility_sets import AGENCY, AT, UNIT, _live, _vetted_by

# Aliases built once (building their column collections is the costly part of a
# predicate); each is used at one nesting level only, so sharing them is safe.
_RS, _RR, _RH = t.statements.alias("rs"), t.records.alias("rr"), t.records.alias("rh")


def _release_addressed(rl: Any) -> ColumnElement[bool]:
    return or_(
        and_(rl.c.to_kind == "agency", rl.c.to_value == AGENCY),
        and_(rl.c.to_kind == "unit", rl.c.to_value == UNIT),
        and_(rl.c.to_kind == "vetted-by", rl.c.to_value.in_(_vetted_by())),
    )


def _release_matches(rl: Any) -> ColumnElement[bool]:
    rv = rt.release_revocations
    return and_(
        rl.c.released_at <= AT,
        ~exists().where(rv.c.release_id == rl.c.id, rv.c.revoked_at <= AT),
        _release_addressed(rl),
    )


def _release_allows(rl: Any, m: Any, origin: Any) -> ColumnElement[bool]:
    """The item's current marking ``m`` (from ``origin``) still allows release ``rl``."""
    c, w = rt.consents, rt.consent_withdrawals
    inside = func.coalesce(rl.c.to_agency, "") == rl.c.by_agency
    consent = exists().where(
        c.c.entity_id == rl.c.entity_id,
        c.c.by_agency == origin,
        c.c.to_agency == rl.c.by_agency,
        c.c.granted_at <= AT,
        ~exists().where(w.c.consent_id == c.c.id, w.c.withdrawn_at <= AT),
    )
    return and_(
        _live(m),
        m.c.tlp != Tlp.RED.value,
        or_(inside, rl.c.basis.is_not(None)),
        or_(
            rl.c.by_agency == origin,
            and_(
                or_(m.c.tlp != Tlp.AMBER_STRICT.value, inside),
                or_(m.c.orcon == false(), consent),
            ),
        ),
    )


@cache
def _rel_statements_cte() -> Any:
    """Statements that a release in force covers for the subject at t."""
    rl, ri, m = rt.releases, rt.release_items, t.markings
    s2, r2 = _RS, _RR
    return (
        select(ri.c.statement_id)
        .join(rl, rl.c.id == ri.c.release_id)
        .join(s2, s2.c.id == ri.c.statement_id)
        .join(r2, r2.c.id == s2.c.entity_id)
        .join(m, m.c.id == func.coalesce(s2.c.marking_id, r2.c.marking_id))
        .where(_release_matches(rl), _release_allows(rl, m, s2.c.origin))
        .cte("vis_rel_st")
    )


@cache
def _rel_records_cte() -> Any:
    """Records whose own marking a release in force covers for the subject at t."""
    rl, m = rt.releases, t.markings
    r2 = _RH
    return (
        select(rl.c.entity_id)
        .join(r2, r2.c.id == rl.c.entity_id)
        .join(m, m.c.id == r2.c.marking_id)
        .where(_release_matches(rl), _release_allows(rl, m, r2.c.originator))
        .cte("vis_rel_rec")
    )
