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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, ClassVar, Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
)

from tearline.model.marking import Tlp
from tearline.model.schema import get_model
from tearline.policy.subject import Subject
from tearline.store import release_tables as rt
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

# Aliases built once (building their column collections is the costly part of a
# predicate); each is used at one nesting level only, so sharing them is safe.
_RS, _RR, _RH = t.statements.alias("rs"), t.records.alias("rr"), t.records.alias("rh")
_RV, _SV, _SE = t.records.alias("rv"), t.statements.alias("sv"), t.statements.alias("se")
_ENDS = (t.statements.alias("end0"), t.statements.alias("end1"))

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


class Predicates(Protocol):
    """What the reader asks of a visibility: :class:`Visibility`, or a benchmark's baseline.

    ``shape`` names the SQL the predicates produce (statements built from them are
    cached under it); ``params`` are the bound values every such statement runs with.
    """

    shape: ClassVar[str]

    @property
    def params(self) -> dict[str, str]: ...

    def record(self, r: Any) -> ColumnElement[bool]: ...

    def portion(self, s: Any, r: Any) -> ColumnElement[bool]: ...

    def shown_portion(self, s: Any, r: Any) -> ColumnElement[bool]: ...

    def entity(self, r: Any, ends: dict[str, tuple[str, ...]]) -> ColumnElement[bool]: ...


@dataclass(frozen=True)
class Visibility:
    """SQL predicates for one subject at one instant.

    The sets that do not depend on the row (markings visible, vetting agencies,
    released items) are common table expressions: a query that mentions them many
    times carries each one once, and the database computes each once per query. The
    predicates themselves are built once per process (they name the subject and the
    instant only through bound parameters); a query that uses them is executed with
    :attr:`params`.
    """

    subject: Subject
    at: datetime

    #: Identifies the predicates' SQL for statement caches (see ``store/prepared.py``).
    shape: ClassVar[str] = "policy"

    @property
    def params(self) -> dict[str, str]:
        """The bound values of the predicates: the subject and the instant."""
        return {"vis_unit": self.subject.unit, "vis_agency": self.subject.agency,
                "vis_at": t.ts(self.at)}

    def s_any(self) -> Any:
        return select(_any_cte().c.id)

    def s_own(self) -> Any:
        return select(_own_cte().c.id)

    def released_statements(self) -> Any:
        """Ids of the statements that a release in force covers for the subject at t."""
        return select(_rel_statements_cte().c.statement_id)

    def released_records(self) -> Any:
        """Ids of the records whose own marking a release in force covers for the subject."""
        return select(_rel_records_cte().c.entity_id)

    # -- items, statements, records -----------------------------------------------------

    def item(self, marking_id: Any, origin: Any, author: Any) -> ColumnElement[bool]:
        """The visibility predicate for one marked item, releases aside."""
        return _item(marking_id, origin, author)

    def record(self, r: Any = t.records) -> ColumnElement[bool]:
        """Record ``r`` is not retracted and its own marking is visible (or released)."""
        return _once((self.shape, "record", id(r)),  # type: ignore[no-any-return]
                     lambda: _record(r), r)

    def statement(self, s: Any, r: Any) -> ColumnElement[bool]:
        """Statement ``s`` of record ``r``: both visible (or released), not retracted."""
        return and_(self.record(r), self.portion(s, r))

    def portion(self, s: Any, r: Any) -> ColumnElement[bool]:
        """Statement ``s`` of record ``r`` is visible, given that ``r`` is (checked apart).

        Used inside a query that already requires :meth:`record` of ``r``, so that the
        record's own marking is not tested again for every statement.
        """
        return _once((self.shape, "portion", id(s), id(r)),  # type: ignore[no-any-return]
                     lambda: _portion(s, r), s, r)

    def entity_exists(self, entity_id: Any) -> ColumnElement[bool]:
        """The entity named by ``entity_id`` is present: it has a visible statement."""
        return _present(entity_id)

    def shown(self, s: Any, r: Any) -> ColumnElement[bool]:
        """Statement ``s`` is visible and, if it names an entity, that entity is present."""
        return and_(self.record(r), self.shown_portion(s, r))

    def shown_portion(self, s: Any, r: Any) -> ColumnElement[bool]:
        """:meth:`shown`, given that record ``r`` is visible (checked apart)."""
        return _once((self.shape, "shown", id(s), id(r)),  # type: ignore[no-any-return]
                     lambda: and_(self.portion(s, r), _reference_present(self, s, r)), s, r)

    def entity(self, r: Any, ends: dict[str, tuple[str, ...]]) -> ColumnElement[bool]:
        """Record ``r`` exists for the subject (with relationship ends checked).

        ``ends`` maps each relationship schema to its end properties.
        """
        return _once((self.shape, "entity", id(r), id(ends)),  # type: ignore[no-any-return]
                     lambda: _entity(self, r, ends), r, ends)


def _item(marking_id: Any, origin: Any, author: Any) -> ColumnElement[bool]:
    return or_(
        author == UNIT,
        marking_id.in_(select(_any_cte().c.id)),
        and_(origin == AGENCY, marking_id.in_(select(_own_cte().c.id))),
    )


def _record(r: Any) -> ColumnElement[bool]:
    return and_(
        r.c.retracted_at.is_(None),
        or_(
            _item(r.c.marking_id, r.c.originator, r.c.author),
            r.c.id.in_(select(_rel_records_cte().c.entity_id)),
        ),
    )


def _portion(s: Any, r: Any) -> ColumnElement[bool]:
    return and_(
        s.c.retracted_at.is_(None),
        or_(
            _item(func.coalesce(s.c.marking_id, r.c.marking_id), s.c.origin, s.c.author),
            s.c.id.in_(select(_rel_statements_cte().c.statement_id)),
        ),
    )


def _present(entity_id: Any) -> ColumnElement[bool]:
    r, s = _RV, _SV
    return exists().where(
        r.c.id == entity_id,
        _once(("record", id(r)), lambda: _record(r), r),
        exists().where(s.c.entity_id == r.c.id, _once(("portion", id(s), id(r)),
                                                      lambda: _portion(s, r), s, r)),
    )


def _reference_present(vis: Visibility, s: Any, r: Any) -> ColumnElement[bool]:
    return or_(~is_reference(r.c.schema, s.c.prop), vis.entity_exists(s.c.value))


def _entity(vis: Visibility, r: Any, ends: dict[str, tuple[str, ...]]) -> ColumnElement[bool]:
    s = _SE
    has_statement = exists().where(s.c.entity_id == r.c.id, vis.shown_portion(s, r))
    conditions: list[ColumnElement[bool]] = [vis.record(r), has_statement]
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
                    vis.portion(e, r),
                    vis.entity_exists(e.c.value),
                )
            )
        conditions.append(or_(r.c.schema.notin_(list(ends)), and_(*checks)))
    return and_(*conditions)


# -- releases ---------------------------------------------------------------------------


def _release_matches(rl: Any) -> ColumnElement[bool]:
    rv = rt.release_revocations
    return and_(
        rl.c.released_at <= AT,
        ~exists().where(rv.c.release_id == rl.c.id, rv.c.revoked_at <= AT),
        or_(
            and_(rl.c.to_kind == "agency", rl.c.to_value == AGENCY),
            and_(rl.c.to_kind == "unit", rl.c.to_value == UNIT),
            and_(rl.c.to_kind == "vetted-by", rl.c.to_value.in_(_vetted_by())),
        ),
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


@cache
def reference_rows() -> list[tuple[str, bool]]:
    """The rows ``reference_properties`` holds: (name, entity-typed in every schema)."""
    always, per_schema = reference_properties()
    return sorted([(name, True) for name in always]
                  + [(name, False) for name in set().union(*per_schema.values())])


def reference_properties_current(conn: Connection) -> bool:
    """Whether the table ``reference_properties`` holds exactly the schemata's names.

    The read queries trust it: a name missing there would show a statement that names
    a hidden entity. So a database whose table differs is not current
    (:func:`~tearline.store.engine.needs_upgrade`), and each upgrade makes it so.
    """
    rp = t.reference_properties
    held = sorted((r.prop, bool(r.every_schema)) for r in conn.execute(select(rp)))
    return held == reference_rows()


def sync_reference_properties(conn: Connection) -> bool:
    """Make the table ``reference_properties`` equal to the schemata; whether it changed."""
    if reference_properties_current(conn):
        return False
    rp = t.reference_properties
    conn.execute(rp.delete())
    conn.execute(rp.insert(), [{"prop": p, "every_schema": e} for p, e in reference_rows()])
    return True


@lru_cache(maxsize=256)
def is_reference(schema: Any, prop: Any) -> ColumnElement[bool]:
    """SQL: property ``prop`` of a record of ``schema`` names another entity.

    One probe of ``reference_properties`` by name (false for most statements); for the
    few names entity-typed in some schemata but not in others, the record's schema
    decides.
    """
    _, per_schema = reference_properties()
    rp = t.reference_properties
    decided = or_(rp.c.every_schema.is_(True),
                  *(and_(schema == name, prop.in_(props)) for name, props in per_schema.items()))
    # Correlated to whichever enclosing query holds ``prop`` (a feed nests it deeper
    # than the immediate one): nothing but the table itself is this subquery's own.
    return exists(select(literal(1)).select_from(rp).where(rp.c.prop == prop, decided)
                  .correlate_except(rp))

