"""The passing-on rule of ``policy/relay.py`` compiled into SQL: what an agency may hand
on of what a subject may see.

:class:`Relay` is a :class:`~tearline.store.visibility.Visibility` for the receiving
subject, narrowed to the items that agency ``A`` (``by_agency``: this node's agency when
it serves a peer, the exporting unit's when it writes a file) may pass on. An item —
the record's own marking, or a statement with its marking (the record's when it has
none) and its originating agency O — passes when::

    O = A
    OR its marking is not ORCON
    OR a consent of O for A on this record is in force at t:
         recorded here (``consents``, granted at or before t, not withdrawn by t), or
         received signed from O's node (``consent_documents``, received by t)

Only :meth:`Relay.record` and :meth:`Relay.portion` are narrowed. Everything built
from them — shown statements, existence, relationship ends — is inherited, and is
memoized under this class's ``shape`` (``"relay"``), apart from the plain predicates;
statements compiled from it are cached under that shape too (``store/prepared.py``).
Whether a referenced entity is present is not narrowed (``policy/relay.py`` says why).
The ORCON markings are one uncorrelated set per query, like the visibility sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    true,
)

from tearline.store import existence
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.consent_documents import consent_documents
from tearline.store.visibility import Visibility, _portion, _record
from tearline.store.visibility_sets import AT, _once

#: The agency handing the data on, a bound parameter like the subject (``Relay.params``).
BY_AGENCY = bindparam("relay_agency", type_=String())


@cache
def _orcon_cte() -> Any:
    m = t.markings
    return select(m.c.id).where(m.c.orcon == true()).cte("relay_orcon")


def _exists_in(table: Any, *conditions: Any) -> ColumnElement[bool]:
    """EXISTS over ``table`` alone, correlated to whichever enclosing query holds the
    other columns named (the feed nests these deeper than the immediate query)."""
    return exists(select(literal(1)).select_from(table).where(*conditions)
                  .correlate_except(table))


def consented(entity_id: Any, origin: Any) -> ColumnElement[bool]:
    """A consent of ``origin`` for the agency handing on, on record ``entity_id``, is in
    force at t."""
    c, w, cd = rt.consents, rt.consent_withdrawals, consent_documents
    recorded = _exists_in(
        c, c.c.entity_id == entity_id, c.c.by_agency == origin, c.c.to_agency == BY_AGENCY,
        c.c.granted_at <= AT,
        ~_exists_in(w, w.c.consent_id == c.c.id, w.c.withdrawn_at <= AT))
    received = _exists_in(
        cd, cd.c.entity_id == entity_id, cd.c.by_agency == origin,
        cd.c.to_agency == BY_AGENCY, cd.c.received_at <= AT)
    return or_(recorded, received)


def passable(marking_id: Any, origin: Any, entity_id: Any) -> ColumnElement[bool]:
    """The item (its marking and originating agency, on record ``entity_id``) may be
    handed on by the agency bound as ``relay_agency``."""
    return or_(origin == BY_AGENCY,
               marking_id.notin_(select(_orcon_cte().c.id)),
               consented(entity_id, origin))


@dataclass(frozen=True)
class Relay(Visibility):
    """What the subject may see at ``at``, as agency ``by_agency`` may hand it on."""

    by_agency: str

    shape: ClassVar[str] = "relay"

    @property
    def params(self) -> dict[str, str]:
        return {**super().params, "relay_agency": self.by_agency}

    def record(self, r: Any = t.records) -> ColumnElement[bool]:
        return _once((self.shape, "record", id(r)),  # type: ignore[no-any-return]
                     lambda: and_(_record(r), passable(r.c.marking_id, r.c.originator,
                                                       r.c.id)), r)

    def portion(self, s: Any, r: Any) -> ColumnElement[bool]:
        return _once(  # type: ignore[no-any-return]
            (self.shape, "portion", id(s), id(r)),
            lambda: and_(_portion(s, r), passable(func.coalesce(s.c.marking_id, r.c.marking_id),
                                                  s.c.origin, r.c.id)), s, r)

    def entity_exists(self, entity_id: Any) -> ColumnElement[bool]:
        """Whether a referenced record exists is the subject's plain visibility: a
        reference is shown when the subject may see the record, whether or not this
        agency may hand that record itself on (``policy/relay.py``)."""
        return Visibility(self.subject, self.at).entity_exists(entity_id)

    def entity(self, r: Any, ends: dict[str, tuple[str, ...]]) -> ColumnElement[bool]:
        """Record ``r`` exists for the subject (plain visibility, at every depth) and is
        handed on: its own marking passes, a shown statement passes and, for a
        relationship, a statement of each end passes — as ``Relay.tear_line`` decides."""
        plain = Visibility(self.subject, self.at)

        def build() -> ColumnElement[bool]:
            s = t.statements.alias()
            handed = [self.record(r), exists().where(s.c.entity_id == r.c.id,
                                                     self.shown_portion(s, r))]
            edge_ends = []
            for n in (0, 1):
                e = t.statements.alias()
                edge_ends.append(exists().where(e.c.entity_id == r.c.id,
                                                e.c.prop == existence.end_name(n, r),
                                                self.portion(e, r)))
            return and_(plain.entity(r, ends), *handed,
                        or_(existence.not_edge(r), and_(*edge_ends)))

        return _once((self.shape, "entity", id(r)), build, r)  # type: ignore[no-any-return]
