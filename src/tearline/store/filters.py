"""Filters of the list and search reads, compiled into the same policy-bound statement.

Each filter is a condition on the candidate record, evaluated over what the subject may
see only: a value filter (drug, country, date) is met by a statement that is **shown**
to the subject (``Visibility.shown_portion``: visible, and naming no entity that does
not exist for it), so a hidden portion holding the value makes no record match — the
record answers exactly as if that value did not exist. The record-level filters read
the record's head, which the subject sees whenever the record exists for it: its
originating agency and its own marking's TLP level. ``modified_since`` compares the
subject's own view of the record's modification time (``policy.evaluator.viewed``):
the latest first- or last-seen of a shown statement, or the time at which the current
marking of the record or of a shown statement was set.

A filter's value is a bound parameter; which filters are present is part of the
statement's cache key (``store/prepared.py``), so a statement per combination is
compiled once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, String, bindparam, or_, select

from tearline.model.schema import get_model
from tearline.store import release_tables as rt
from tearline.store import tables as t
from tearline.store.visibility import Predicates

#: Above every character a stored date holds (digits, ``-``, ``T``, ``:``): a partial
#: date ``2025-11`` is the interval up to ``2025-11~``, which every day of November
#: precedes.
_AFTER = "~"

# Aliases, one per filter (each at one nesting level, inside the candidate selection).
_DRUG, _COUNTRY, _DATE, _SEEN = (t.statements.alias(n) for n in ("fdr", "fco", "fda", "fse"))
_RE_HEAD, _RE_STATEMENT = rt.marking_changes.alias("fmh"), rt.marking_changes.alias("fms")


@dataclass(frozen=True, slots=True)
class Filters:
    """What a list or a search is narrowed to; ``None`` leaves a dimension open.

    ``drug``: the vocabulary's name (``model/drugs.py``); ``country``: an ISO 3166-1
    alpha-2 code, lower case, held by any country-typed property; ``date_from`` and
    ``date_to``: inclusive bounds on a value of a property of the schema's temporal
    extent (a Seizure's ``date``, an Event's start and end, a Person's birth and death);
    ``originator``: the originating agency; ``tlp``: the TLP level of the record's own
    marking; ``modified_since``: the subject's view of the record changed at or after
    this instant.
    """

    drug: str | None = None
    country: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    originator: str | None = None
    tlp: str | None = None
    modified_since: datetime | None = None

    @property
    def key(self) -> tuple[str, ...]:
        """Which filters are set: what the statement's SQL depends on."""
        return tuple(f.name for f in fields(self) if getattr(self, f.name) is not None)

    @property
    def params(self) -> dict[str, Any]:
        """The bound values of the filters that are set."""
        out: dict[str, Any] = {}
        if self.drug is not None:
            out["f_drug"] = self.drug
        if self.country is not None:
            out["f_country"] = self.country
        if self.date_from is not None:
            out["f_date_from"] = self.date_from.isoformat()
        if self.date_to is not None:
            out["f_date_to"] = self.date_to.isoformat() + _AFTER
        if self.originator is not None:
            out["f_originator"] = self.originator
        if self.tlp is not None:
            out["f_tlp"] = self.tlp
        if self.modified_since is not None:
            out["f_since"] = t.ts(self.modified_since)
        return out

    def as_query(self) -> dict[str, str | None]:
        """The filters as text (what a cursor is bound to)."""
        return {f.name: None if (v := getattr(self, f.name)) is None else str(v)
                for f in fields(self)}


NO_FILTERS = Filters()


@cache
def country_properties() -> tuple[str, ...]:
    """Property names of type country (in every schema that has them)."""
    return tuple(sorted({p.name for s in get_model().schemata.values()
                         for p in s.properties.values() if p.type.name == "country"}))


@cache
def temporal_properties() -> tuple[str, ...]:
    """Property names of the schemata's temporal extents (start and end)."""
    return tuple(sorted({p.name for s in get_model().schemata.values()
                         for p in (*s.temporal_start_props, *s.temporal_end_props)}))


def _bound(name: str) -> Any:
    return bindparam(name, type_=String())


def _shown_value(vis: Predicates, s: Any, r: Any, *conditions: Any) -> ColumnElement[bool]:
    """Record ``r`` has a statement ``s`` shown to the subject that meets ``conditions``."""
    return (select(s.c.id).where(s.c.entity_id == r.c.id, *conditions, vis.shown_portion(s, r))
            .correlate_except(s).exists())


def _modified_since(vis: Predicates, r: Any) -> ColumnElement[bool]:
    s, mh, ms = _SEEN, _RE_HEAD, _RE_STATEMENT
    since = _bound("f_since")
    # Nested in the statement's test: it names the statement only, and keeps its own
    # table (SQLAlchemy correlates to the immediate enclosing query alone).
    statement_remarked = select(ms.c.statement_id).where(
        ms.c.entity_id == s.c.entity_id, ms.c.statement_id == s.c.id,
        ms.c.changed_at >= since).correlate_except(ms).exists()
    return or_(
        select(mh.c.entity_id).where(mh.c.entity_id == r.c.id, mh.c.statement_id.is_(None),
                                     mh.c.changed_at >= since).correlate_except(mh).exists(),
        _shown_value(vis, s, r, or_(s.c.first_seen >= since, s.c.last_seen >= since,
                                    statement_remarked)),
    )


def clauses(vis: Predicates, r: Any, key: tuple[str, ...]) -> list[ColumnElement[bool]]:
    """The conditions of the filters named by ``key`` (:attr:`Filters.key`) on candidate
    record ``r``, to be used beside the predicate that ``r`` exists for the subject."""
    out: list[ColumnElement[bool]] = []
    if "drug" in key:
        d = _DRUG
        out.append(_shown_value(vis, d, r, d.c.prop == "drug", d.c.value == _bound("f_drug")))
    if "country" in key:
        c = _COUNTRY
        out.append(_shown_value(vis, c, r, c.c.prop.in_(country_properties()),
                                c.c.value == _bound("f_country")))
    if "date_from" in key or "date_to" in key:
        d = _DATE
        bounds = []
        if "date_from" in key:
            bounds.append(d.c.value + _AFTER >= _bound("f_date_from"))
        if "date_to" in key:
            bounds.append(d.c.value <= _bound("f_date_to"))
        out.append(_shown_value(vis, d, r, d.c.prop.in_(temporal_properties()), *bounds))
    if "originator" in key:
        out.append(r.c.originator == _bound("f_originator"))
    if "tlp" in key:
        m = t.markings
        out.append(r.c.marking_id.in_(select(m.c.id).where(m.c.tlp == _bound("f_tlp"))))
    if "modified_since" in key:
        out.append(_modified_since(vis, r))
    return out
