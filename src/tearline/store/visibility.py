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
conditions of ``policy/release.py``), compiled in ``store/visibility_releases.py``.
The bound parameters and the marking sets S_any and S_own are in
``store/visibility_sets.py``; the reference-properties sync the existence test reads
is ``store/references.py``.

Existence at every depth (``docs/policy.md``) is compiled in ``store/existence.py``: a
statement that names an entity is shown only when that entity exists for the subject,
and a relationship (or a record made of references) exists only when every record it
rests on does, however long the chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Protocol

from sqlalchemy import ColumnElement, and_, func, or_, select

from tearline.policy.subject import Subject
from tearline.store import existence
from tearline.store import tables as t
from tearline.store.references import is_reference
from tearline.store.visibility_releases import (
    _rel_records_cte,
    _rel_statements_cte,
    _release_addressed,
    _release_matches,
)
from tearline.store.visibility_sets import AGENCY, UNIT, _any_cte, _once, _own_cte


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

    def addressed(self, rl: Any) -> ColumnElement[bool]:
        """Release ``rl`` is addressed to the subject (its agency, its unit, or an agency
        that has vetted its unit), in force or not."""
        return _release_addressed(rl)

    def reaches(self, rl: Any) -> ColumnElement[bool]:
        """Release ``rl`` is in force at t and addressed to the subject: its agency, its
        unit, or an agency that has vetted its unit."""
        return _release_matches(rl)

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
        """The record named by ``entity_id`` (a column) exists for the subject, at every depth."""
        return _once((self.shape, "exists", id(entity_id)),  # type: ignore[no-any-return]
                     lambda: existence.id_exists(self, entity_id), entity_id)

    def shown(self, s: Any, r: Any) -> ColumnElement[bool]:
        """Statement ``s`` is visible and, if it names an entity, that entity exists."""
        return and_(self.record(r), self.shown_portion(s, r))

    def shown_portion(self, s: Any, r: Any) -> ColumnElement[bool]:
        """:meth:`shown`, given that record ``r`` is visible (checked apart)."""
        return _once((self.shape, "shown", id(s), id(r)),  # type: ignore[no-any-return]
                     lambda: and_(self.portion(s, r), _reference_present(self, s, r)), s, r)

    def entity(self, r: Any, ends: dict[str, tuple[str, ...]]) -> ColumnElement[bool]:
        """Record ``r`` exists for the subject (with every record it rests on checked).

        ``ends`` maps each relationship schema to its end properties; it must be
        :func:`~tearline.store.existence.relationship_ends` (the ends of every schema).
        """
        assert ends == existence.relationship_ends(), "existence covers every edge schema"
        return _once((self.shape, "entity", id(r)),  # type: ignore[no-any-return]
                     lambda: existence.record_exists(self, r), r)


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


def _reference_present(vis: Visibility, s: Any, r: Any) -> ColumnElement[bool]:
    return or_(~is_reference(r.c.schema, s.c.prop), vis.entity_exists(s.c.value))
