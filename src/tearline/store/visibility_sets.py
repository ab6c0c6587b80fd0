"""The subject's sets of the visibility predicates, and the bound parameters they name.

``store/visibility.py`` composes its predicates from these; they are apart because they
are the parts every predicate shares (and ``store/relay.py`` and the release sets of
``store/visibility_releases.py`` reuse them):

* the subject and the instant as bound parameters (:data:`UNIT`, :data:`AGENCY`,
  :data:`AT`), so the SQL is the same for every subject and instant;
* S_any and S_own, the markings visible to the subject (uncorrelated sub-selects, each
  evaluated once per query), with the selector match and the vetting agencies;
* :func:`_once`, the memo of predicates built (they do not depend on the subject).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, String, and_, bindparam, exists, or_, select

from tearline.model.marking import Tlp
from tearline.store import tables as t

PUBLIC = [Tlp.CLEAR.value, Tlp.GREEN.value]
AMBERS = [Tlp.AMBER.value, Tlp.AMBER_STRICT.value]

#: The subject and the instant, as bound parameters: the predicates' SQL is the same for
#: every subject and every instant, so it is built and compiled once per process and a
#: query carries only these three values (:attr:`Visibility.params`). A statement run
#: without them fails (a missing bound value), it never runs unfiltered.
UNIT = bindparam("vis_unit", type_=String())
AGENCY = bindparam("vis_agency", type_=String())
AT = bindparam("vis_at", type_=String())

#: Predicates already built (they are immutable and do not depend on the subject). The
#: keys of :class:`Visibility`'s methods lead with its ``shape``: a subclass that narrows
#: a predicate (``store/relay.py``) builds every predicate composed from it anew.
_MEMO: dict[tuple[object, ...], tuple[Any, tuple[object, ...]]] = {}


def _once(key: tuple[object, ...], build: Callable[[], Any], *keep: object) -> Any:
    """Build once per key; ``keep`` holds the keyed objects alive, so ids stay unique."""
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) > 4096:  # callers passing new aliases each time: stay bounded
            _MEMO.clear()
        found = _MEMO[key] = (build(), keep)
    return found[0]


@cache
def _vetted_cte() -> Any:
    v, r = t.vettings, t.vetting_revocations
    revoked = exists().where(r.c.vetting_id == v.c.id, r.c.revoked_at <= AT)
    return (
        select(v.c.by_agency.label("agency"))
        .where(v.c.unit == UNIT, v.c.valid_from <= AT, v.c.valid_until > AT, ~revoked)
        .cte("vis_vetted")
    )


def _vetted_by() -> Any:
    return select(_vetted_cte().c.agency)


def _selector_match(marking_id: Any) -> ColumnElement[bool]:
    ms = t.marking_selectors
    return exists().where(
        ms.c.marking_id == marking_id,
        or_(
            and_(ms.c.kind == "agency", ms.c.value == AGENCY),
            and_(ms.c.kind == "unit", ms.c.value == UNIT),
            and_(ms.c.kind == "vetted-by", ms.c.value.in_(_vetted_by())),
        ),
    )


def _named(marking_id: Any) -> ColumnElement[bool]:
    ms = t.marking_selectors
    return exists().where(ms.c.marking_id == marking_id, ms.c.kind == "unit", ms.c.value == UNIT)


def _live(m: Any) -> ColumnElement[bool]:
    return or_(m.c.expires_at.is_(None), m.c.expires_at > AT)


@cache
def _any_cte() -> Any:
    """S_any: markings visible to the subject whoever the originator is."""
    m = t.markings
    return select(m.c.id).where(
        _live(m),
        or_(
            m.c.tlp.in_(PUBLIC),
            and_(m.c.tlp.in_(AMBERS), _selector_match(m.c.id)),
            and_(m.c.tlp == Tlp.RED.value, _named(m.c.id)),
        ),
    ).cte("vis_any")


@cache
def _own_cte() -> Any:
    """S_own: markings visible to the subject when the item originates in its agency."""
    m = t.markings
    return select(m.c.id).where(
        or_(
            and_(_live(m), m.c.tlp.in_(AMBERS)),
            and_(~_live(m), or_(m.c.tlp != Tlp.RED.value, _named(m.c.id))),
        )
    ).cte("vis_own")
