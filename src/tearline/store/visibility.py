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

Releases add a fourth disjunct: ``item IN R`` where R (one uncorrelated sub-select per
query: :meth:`Visibility.released_statements`, :meth:`Visibility.released_records`)
holds the statements and records covered at t by a release in force whose selector
matches the subject and that the item's current marking still allows (not expired,
not RED, and for an onward release the AMBER+STRICT, legal-basis and ORCON-consent
conditions of ``policy/release.py``).

Existence (``docs/policy.md``): a record exists when it is visible, has a visible
statement that is not a reference to an entity that is not present, and, for a
relationship, a visible statement for each end naming an entity that is present.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, false, func, literal, or_, select

from tearline.model.marking import Tlp
from tearline.model.schema import get_model
from tearline.policy.subject import Subject
from tearline.store import release_tables as rt
from tearline.store import tables as t

PUBLIC = [Tlp.CLEAR.value, Tlp.GREEN.value]
# Aliases built once (building their column collections is the costly part of a
# predicate); each is used at one nesting level only, so sharing them is safe.
_RS, _RR, _RH = t.statements.alias("rs"), t.records.alias("rr"), t.records.alias("rh")
_RV, _SV, _SE = t.records.alias("rv"), t.statements.alias("sv"), t.statements.alias("se")
_ENDS = (t.statements.alias("end0"), t.statements.alias("end1"))
AMBERS = [Tlp.AMBER.value, Tlp.AMBER_STRICT.value]


@dataclass(frozen=True)
class Visibility:
    """SQL predicates for one subject at one instant.

    The sets that do not depend on the row (markings visible, vetting agencies,
    released items) are common table expressions, built once per instance: a query
    that mentions them many times carries each one once, and the database computes
    each once per query.
    """

    subject: Subject
    at: datetime

    @cached_property
    def _memo(self) -> dict[tuple[object, ...], Any]:
        """Predicates already built for this subject and instant (they are immutable)."""
        return {}

    def _once(self, key: tuple[object, ...], build: Any, *keep: object) -> Any:
        """Build once per key; ``keep`` holds the keyed objects alive, so ids stay unique."""
        if key not in self._memo:
            self._memo[key] = (build(), keep)
        return self._memo[key][0]

    @property
    def _t(self) -> str:
        return t.ts(self.at)

    @cached_property
    def _vetted_cte(self) -> Any:
        v, r = t.vettings, t.vetting_revocations
        revoked = exists().where(r.c.vetting_id == v.c.id, r.c.revoked_at <= self._t)
        return (
            select(v.c.by_agency.label("agency"))
            .where(
                v.c.unit == self.subject.unit,
                v.c.valid_from <= self._t,
                v.c.valid_until > self._t,
                ~revoked,
            )
            .cte("vis_vetted")
        )

    def _vetted_by(self) -> Any:
        return select(self._vetted_cte.c.agency)

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

    @cached_property
    def _any_cte(self) -> Any:
        return self._s_any().cte("vis_any")

    @cached_property
    def _own_cte(self) -> Any:
        return self._s_own().cte("vis_own")

    @cached_property
    def _rel_statements_cte(self) -> Any:
        return self._released_statements().cte("vis_rel_st")

    @cached_property
    def _rel_records_cte(self) -> Any:
        return self._released_records().cte("vis_rel_rec")

    def s_any(self) -> Any:
        return select(self._any_cte.c.id)

    def s_own(self) -> Any:
        return select(self._own_cte.c.id)

    def released_statements(self) -> Any:
        """Ids of the statements that a release in force covers for the subject at t."""
        return select(self._rel_statements_cte.c.statement_id)

    def released_records(self) -> Any:
        """Ids of the records whose own marking a release in force covers for the subject."""
        return select(self._rel_records_cte.c.entity_id)

    def _s_any(self) -> Any:
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

    def _s_own(self) -> Any:
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

    # -- releases -----------------------------------------------------------------------

    def _release_matches(self, rl: Any) -> ColumnElement[bool]:
        rv = rt.release_revocations
        return and_(
            rl.c.released_at <= self._t,
            ~exists().where(rv.c.release_id == rl.c.id, rv.c.revoked_at <= self._t),
            or_(
                and_(rl.c.to_kind == "agency", rl.c.to_value == self.subject.agency),
                and_(rl.c.to_kind == "unit", rl.c.to_value == self.subject.unit),
                and_(rl.c.to_kind == "vetted-by", rl.c.to_value.in_(self._vetted_by())),
            ),
        )

    def _release_allows(self, rl: Any, m: Any, origin: Any) -> ColumnElement[bool]:
        """The item's current marking ``m`` (from ``origin``) still allows release ``rl``."""
        c, w = rt.consents, rt.consent_withdrawals
        inside = func.coalesce(rl.c.to_agency, "") == rl.c.by_agency
        consent = exists().where(
            c.c.entity_id == rl.c.entity_id,
            c.c.by_agency == origin,
            c.c.to_agency == rl.c.by_agency,
            c.c.granted_at <= self._t,
            ~exists().where(w.c.consent_id == c.c.id, w.c.withdrawn_at <= self._t),
        )
        return and_(
            or_(m.c.expires_at.is_(None), m.c.expires_at > self._t),
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

    def _released_statements(self) -> Any:
        rl, ri, m = rt.releases, rt.release_items, t.markings
        s2, r2 = _RS, _RR
        return (
            select(ri.c.statement_id)
            .join(rl, rl.c.id == ri.c.release_id)
            .join(s2, s2.c.id == ri.c.statement_id)
            .join(r2, r2.c.id == s2.c.entity_id)
            .join(m, m.c.id == func.coalesce(s2.c.marking_id, r2.c.marking_id))
            .where(self._release_matches(rl), self._release_allows(rl, m, s2.c.origin))
        )

    def _released_records(self) -> Any:
        rl, m = rt.releases, t.markings
        r2 = _RH
        return (
            select(rl.c.entity_id)
            .join(r2, r2.c.id == rl.c.entity_id)
            .join(m, m.c.id == r2.c.marking_id)
            .where(self._release_matches(rl), self._release_allows(rl, m, r2.c.originator))
        )

    # -- items, statements, records ---------------------------------------------------------

    def item(self, marking_id: Any, origin: Any, author: Any) -> ColumnElement[bool]:
        """The visibility predicate for one marked item, releases aside."""
        return or_(
            author == self.subject.unit,
            marking_id.in_(self.s_any()),
            and_(origin == literal(self.subject.agency), marking_id.in_(self.s_own())),
        )

    def record(self, r: Any = t.records) -> ColumnElement[bool]:
        return self._once(("record", id(r)), lambda: self._record(r), r)  # type: ignore[no-any-return]

    def _record(self, r: Any) -> ColumnElement[bool]:
        return and_(
            r.c.retracted_at.is_(None),
            or_(
                self.item(r.c.marking_id, r.c.originator, r.c.author),
                r.c.id.in_(self.released_records()),
            ),
        )

    def statement(self, s: Any, r: Any) -> ColumnElement[bool]:
        """Statement ``s`` of record ``r``: both visible (or released), not retracted."""
        return self._once(("statement", id(s), id(r)),  # type: ignore[no-any-return]
                          lambda: self._statement(s, r), s, r)

    def _statement(self, s: Any, r: Any) -> ColumnElement[bool]:
        return and_(
            s.c.retracted_at.is_(None),
            self.record(r),
            or_(
                self.item(func.coalesce(s.c.marking_id, r.c.marking_id), s.c.origin, s.c.author),
                s.c.id.in_(self.released_statements()),
            ),
        )

    def entity_exists(self, entity_id: Any) -> ColumnElement[bool]:
        """The entity named by ``entity_id`` is present: it has a visible statement."""
        r, s = _RV, _SV
        return exists().where(
            r.c.id == entity_id,
            self.record(r),
            exists().where(s.c.entity_id == r.c.id, self.statement(s, r)),
        )

    def shown(self, s: Any, r: Any) -> ColumnElement[bool]:
        """Statement ``s`` is visible and, if it names an entity, that entity is present."""
        return and_(
            self.statement(s, r),
            or_(~is_reference(r.c.schema, s.c.prop), self.entity_exists(s.c.value)),
        )

    def entity(self, r: Any, ends: dict[str, tuple[str, ...]]) -> ColumnElement[bool]:
        """Record ``r`` exists for the subject (with relationship ends checked).

        ``ends`` maps each relationship schema to its end properties.
        """
        return self._once(("entity", id(r), id(ends)),  # type: ignore[no-any-return]
                          lambda: self._entity(r, ends), r, ends)

    def _entity(self, r: Any, ends: dict[str, tuple[str, ...]]) -> ColumnElement[bool]:
        s = _SE
        has_statement = exists().where(s.c.entity_id == r.c.id, self.shown(s, r))
        conditions: list[ColumnElement[bool]] = [self.record(r), has_statement]
        if ends:
            first = {schema: props[0] for schema, props in ends.items()}
            second = {schema: props[-1] for schema, props in ends.items()}
            checks = []
            for n, mapping in enumerate((first, second)):
                e = _ENDS[n]
                checks.append(
                    exists().where(
                        e.c.entity_id == r.c.id,
                        e.c.prop == case(mapping, value=r.c.schema),
                        self.statement(e, r),
                        self.entity_exists(e.c.value),
                    )
                )
            conditions.append(or_(r.c.schema.notin_(list(ends)), and_(*checks)))
        return and_(*conditions)


@lru_cache(maxsize=1)
def reference_properties() -> tuple[list[str], dict[str, list[str]]]:
    """Entity-typed property names: those that are in every schema, and per schema the rest."""
    always: set[str] = set()
    other: set[str] = set()
    by_schema: dict[str, set[str]] = {}
    for schema in get_model():
        for name, prop in schema.properties.items():
            if prop.type.name == "entity":
                always.add(name)
                by_schema.setdefault(schema.name, set()).add(name)
            else:
                other.add(name)
    ambiguous = always & other
    per_schema = {
        schema: sorted(names & ambiguous) for schema, names in by_schema.items()
        if names & ambiguous
    }
    return sorted(always - ambiguous), per_schema


@lru_cache(maxsize=256)
def is_reference(schema: Any, prop: Any) -> ColumnElement[bool]:
    """SQL: property ``prop`` of a record of ``schema`` names another entity."""
    always, per_schema = reference_properties()
    parts = [prop.in_(always)]
    for name, props in per_schema.items():
        parts.append(and_(schema == name, prop.in_(props)))
    return or_(*parts)

