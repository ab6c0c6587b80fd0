"""The visibility rule of ``policy/rules.py`` compiled into SQL predicates.

For a subject (unit U of agency G) at time t, a marked item (marking m, originating
agency O, authoring unit A) is visible when::

    A = U
    OR m ∈ S_any                 -- markings visible whoever the originator is
    OR (O = G AND m ∈ S_own)     -- markings visible to units of the originator

with ``S_any`` and ``S_own`` uncorrelated sub-selects over the markings table, so the
database evaluates them once per query, not once per row:

* S_any: not expired, and (CLEAR/GREEN, or AMBER/AMBER+STRICT with a matching
  releasable_to selector, or RED naming unit U);
* S_own: not expired and AMBER/AMBER+STRICT, or expired and (not RED, or RED naming U).

A selector matches for ``agency:G``, ``unit:U``, or ``vetted-by:X`` where a vetting by
X of U has valid_from ≤ t < valid_until and no revocation at or before t.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, literal, or_, select

from tearline.model.marking import Tlp
from tearline.policy.subject import Subject
from tearline.store import tables as t

PUBLIC = [Tlp.CLEAR.value, Tlp.GREEN.value]
AMBERS = [Tlp.AMBER.value, Tlp.AMBER_STRICT.value]


@dataclass(frozen=True, slots=True)
class Visibility:
    """SQL predicates for one subject at one instant."""

    subject: Subject
    at: datetime

    @property
    def _t(self) -> str:
        return t.ts(self.at)

    def _vetted_by(self) -> Any:
        v, r = t.vettings, t.vetting_revocations
        revoked = exists().where(r.c.vetting_id == v.c.id, r.c.revoked_at <= self._t)
        return select(v.c.by_agency).where(
            v.c.unit == self.subject.unit,
            v.c.valid_from <= self._t,
            v.c.valid_until > self._t,
            ~revoked,
        )

    def _selector_match(self, marking_id: Any) -> ColumnElement[bool]:
        ms = t.marking_selectors
        return exists().where(
            ms.c.marking_id == marking_id,
            or_(
                and_(ms.c.kind == "agency", ms.c.value == self.subject.agency),
                and_(ms.c.kind == "unit", ms.c.value == self.subject.unit),
                and_(ms.c.kind == "vetted-by", ms.c.value.in_(self._vetted_by())),
            ),
        )

    def _named(self, marking_id: Any) -> ColumnElement[bool]:
        ms = t.marking_selectors
        return exists().where(
            ms.c.marking_id == marking_id, ms.c.kind == "unit", ms.c.value == self.subject.unit
        )

    def s_any(self) -> Any:
        m = t.markings
        live = or_(m.c.expires_at.is_(None), m.c.expires_at > self._t)
        return select(m.c.id).where(
            live,
            or_(
                m.c.tlp.in_(PUBLIC),
                and_(m.c.tlp.in_(AMBERS), self._selector_match(m.c.id)),
                and_(m.c.tlp == Tlp.RED.value, self._named(m.c.id)),
            ),
        )

    def s_own(self) -> Any:
        m = t.markings
        live = or_(m.c.expires_at.is_(None), m.c.expires_at > self._t)
        return select(m.c.id).where(
            or_(
                and_(live, m.c.tlp.in_(AMBERS)),
                and_(
                    ~live,
                    or_(m.c.tlp != Tlp.RED.value, self._named(m.c.id)),
                ),
            )
        )

    def item(self, marking_id: Any, origin: Any, author: Any) -> ColumnElement[bool]:
        """The visibility predicate for one marked item."""
        return or_(
            author == self.subject.unit,
            marking_id.in_(self.s_any()),
            and_(origin == literal(self.subject.agency), marking_id.in_(self.s_own())),
        )

    def record(self, r: Any = t.records) -> ColumnElement[bool]:
        return and_(
            r.c.retracted_at.is_(None), self.item(r.c.marking_id, r.c.originator, r.c.author)
        )

    def statement(self, s: Any, r: Any) -> ColumnElement[bool]:
        """Statement ``s`` of record ``r``: both markings visible, not retracted."""
        return and_(
            s.c.retracted_at.is_(None),
            self.record(r),
            self.item(func.coalesce(s.c.marking_id, r.c.marking_id), s.c.origin, s.c.author),
        )

    def entity_exists(self, entity_id: Any) -> ColumnElement[bool]:
        """The entity named by ``entity_id`` has at least one statement visible to the subject."""
        r = t.records.alias("rv")
        s = t.statements.alias("sv")
        return exists().where(
            r.c.id == entity_id,
            self.record(r),
            exists().where(s.c.entity_id == r.c.id, self.statement(s, r)),
        )

    def entity(self, r: Any, ends: dict[str, tuple[str, ...]]) -> ColumnElement[bool]:
        """Record ``r`` exists for the subject (with relationship ends checked).

        ``ends`` maps each relationship schema to its end properties.
        """
        s = t.statements.alias("se")
        has_statement = exists().where(s.c.entity_id == r.c.id, self.statement(s, r))
        conditions: list[ColumnElement[bool]] = [self.record(r), has_statement]
        edge_checks = []
        for schema, props in ends.items():
            parts = [r.c.schema == schema]
            for prop in props:
                e = t.statements.alias(f"end_{schema}_{prop}")
                parts.append(
                    exists().where(
                        e.c.entity_id == r.c.id,
                        e.c.prop == prop,
                        self.statement(e, r),
                        self.entity_exists(e.c.value),
                    )
                )
            edge_checks.append(and_(*parts))
        if edge_checks:
            conditions.append(or_(r.c.schema.notin_(list(ends)), or_(*edge_checks)))
        return and_(*conditions)
