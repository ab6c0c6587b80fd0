"""Totals and counts by any dimensions, top N, and shares by origin.

``events`` counts seizures: one per incident row, and the published count for an
aggregate row. Weights are summed exactly (see :mod:`tearline.analysis.engine`).
A null dimension value (an unknown origin, say) is a group of its own, keyed
``None``: leaving it out would make the shares of the known ones look larger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tearline.analysis.engine import (
    ALL,
    Dimension,
    Key,
    Selection,
    Weight,
    dimension_sql,
    display_sql,
    query,
    weight_sql,
)
from tearline.analysis.frame import SeizureFrame
from tearline.analysis.units import kg_to_lb


@dataclass(frozen=True, slots=True)
class Group:
    key: tuple[Key, ...]
    events: int
    kg: float
    synthetic_events: int

    @property
    def lb(self) -> float:
        return kg_to_lb(self.kg)

    def to_dict(self) -> dict[str, object]:
        return {
            "key": list(self.key),
            "events": self.events,
            "kg": self.kg,
            "lb": self.lb,
            "synthetic_events": self.synthetic_events,
        }


@dataclass(frozen=True, slots=True)
class Totals:
    by: tuple[Dimension, ...]
    weight: Weight
    groups: tuple[Group, ...]

    @property
    def events(self) -> int:
        return sum(g.events for g in self.groups)

    @property
    def kg(self) -> float:
        return float(sum(Decimal(repr(g.kg)) for g in self.groups))

    def get(self, *key: Key) -> Group | None:
        return next((g for g in self.groups if g.key == key), None)

    def to_dict(self) -> dict[str, object]:
        return {
            "by": list(self.by),
            "weight": self.weight,
            "events": self.events,
            "kg": self.kg,
            "groups": [g.to_dict() for g in self.groups],
        }


def _to_int(value: object) -> int:
    return int(value) if isinstance(value, int | Decimal | float) else 0


def _to_float(value: object) -> float:
    return float(value) if isinstance(value, int | Decimal | float) else 0.0


def _key(values: Sequence[object]) -> tuple[Key, ...]:
    return tuple(v if v is None or isinstance(v, int | str) else str(v) for v in values)


def totals(
    frame: SeizureFrame,
    by: Sequence[Dimension] = (),
    selection: Selection = ALL,
    weight: Weight = "gross",
    order: str = "key",
    limit: int | None = None,
) -> Totals:
    """Events and kilograms per group of ``by`` (all rows together when ``by`` is empty)."""
    keys = [dimension_sql(name) for name in by]
    where, params = selection.where()
    # Group on the raw keys inside, format them (month text, …) outside, once per group.
    inner_keys = "".join(f"{k} AS k{i}, " for i, k in enumerate(keys))
    outer_keys = "".join(f"{display_sql(n, f'k{i}')}, " for i, n in enumerate(by))
    group = f"GROUP BY {', '.join(f'k{i}' for i in range(len(keys)))}" if keys else ""
    key_order = ", ".join(f"k{i} ASC NULLS LAST" for i in range(len(keys)))
    if order == "weight":
        order_by = "ORDER BY kg DESC" + (f", {key_order}" if key_order else "")
    else:
        order_by = f"ORDER BY {key_order}" if key_order else ""
    inner = (
        f"SELECT {inner_keys}CAST(COALESCE(sum(events), 0) AS BIGINT) AS events, "
        f"COALESCE(sum({weight_sql(weight)}), 0) AS kg, "
        "CAST(COALESCE(sum(CASE WHEN synthetic THEN events ELSE 0 END), 0) AS BIGINT) AS syn "
        f"FROM seizures WHERE {where} {group}"
    )
    sql = f"SELECT {outer_keys}events, kg, syn FROM ({inner}) {order_by}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    groups = tuple(
        Group(
            key=_key(row[: len(keys)]),
            events=_to_int(row[len(keys)]),
            kg=_to_float(row[len(keys) + 1]),
            synthetic_events=_to_int(row[len(keys) + 2]),
        )
        for row in query(frame, sql, params)
    )
    if not keys and groups and groups[0].events == 0:
        groups = ()
    return Totals(tuple(by), weight, groups)


def top_n(
    frame: SeizureFrame,
    by: Dimension,
    n: int,
    selection: Selection = ALL,
    weight: Weight = "gross",
) -> Totals:
    """The ``n`` heaviest groups of one dimension; ties broken by key, nulls last."""
    return totals(frame, (by,), selection, weight, order="weight", limit=max(n, 0))


@dataclass(frozen=True, slots=True)
class Share:
    origin: str | None
    events: int
    kg: float
    share: float  # of the selection's total weight, 0..1

    def to_dict(self) -> dict[str, object]:
        return {"origin": self.origin, "events": self.events, "kg": self.kg, "share": self.share}


def shares_by_origin(
    frame: SeizureFrame, selection: Selection = ALL, weight: Weight = "gross"
) -> tuple[Share, ...]:
    """Each origin's share of the total weight, heaviest first; unknown origin included."""
    result = totals(frame, ("origin",), selection, weight, order="weight")
    total = sum(Decimal(repr(g.kg)) for g in result.groups)
    return tuple(
        Share(
            origin=None if g.key[0] is None else str(g.key[0]),
            events=g.events,
            kg=g.kg,
            share=float(Decimal(repr(g.kg)) / total) if total else 0.0,
        )
        for g in result.groups
    )
