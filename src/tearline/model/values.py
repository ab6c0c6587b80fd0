"""Checks on the values a report reads: weights with units, drugs, dates, positions.

FollowTheMoney's ``number`` type accepts any text (``"abc"``, ``"-5"``, ``"3 kg"``)
and its ``date`` type any valid date, past or future. Assessments add weights up,
group by drug and place seizures in periods, so a Seizure's values are checked here,
where :func:`tearline.model.record.build_statements` turns them into statements —
every path (JSON lines, mapped CSV, OFAC, the API's create and amend) goes through it:

* ``grossWeight``, ``netWeight``: a positive number with an optional unit (``kg``
  when none), stored in **kilograms** as a plain decimal: ``"3 kg"`` → ``3``,
  ``"500 g"`` → ``0.5``, ``"2 lb"`` → ``0.90718474``. Units: mg, g, kg, t (tonne),
  oz, lb, with English and Spanish spellings. ``ton`` is refused (short or metric?).
  A comma separates thousands only (``1,250``); a decimal comma (``2,5``) is refused
  rather than guessed.
* ``drug``: a name of the vocabulary (:mod:`tearline.model.drugs`), stored canonical.
* every date: not after the moment the statement is made (the provenance's
  ``seen_at``, never the clock here), compared at the date's own precision.
* ``purity``: 0–100 (a ``%`` allowed); ``pillCount``: a whole number;
  ``latitude``/``longitude``: degrees within range.

A refused value raises :class:`ValueError` with the reason; the caller locates it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from tearline.analysis.units import KG_PER_LB
from tearline.model.drugs import DRUGS, canonical_drug
from tearline.model.schema import get_model

#: ``check(value, now) -> stored value``; raises ValueError with the reason.
Check = Callable[[str, datetime], str]

_KG_PER_LB = Decimal(str(KG_PER_LB))
#: Kilograms per unit, by every spelling accepted (lower case, trailing dot dropped).
KG_PER_UNIT: dict[str, Decimal] = {}
for _factor, _names in (
    (Decimal(1), ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramo",
                  "kilogramos")),
    (Decimal("0.001"), ("g", "gr", "grs", "gram", "grams", "gramo", "gramos")),
    (Decimal("0.000001"), ("mg", "milligram", "milligrams", "miligramo", "miligramos")),
    (Decimal(1000), ("t", "tonne", "tonnes", "metric ton", "metric tons", "tonelada",
                     "toneladas")),
    (_KG_PER_LB, ("lb", "lbs", "pound", "pounds", "libra", "libras")),
    (_KG_PER_LB / 16, ("oz", "ounce", "ounces", "onza", "onzas")),
):
    KG_PER_UNIT.update(dict.fromkeys(_names, _factor))

#: Digits are ASCII: ``\d`` would take other scripts' digits, stored as written.
_NUMBER = r"(?P<number>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
_WEIGHT = re.compile(_NUMBER + r"\s*(?P<unit>[^0-9\s,.][^0-9]*)?")
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_SIGNED = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
#: A comma followed by other than three digits: a decimal comma, not thousands.
_DECIMAL_COMMA = re.compile(r"[0-9]+,(?:[0-9]{1,2}|[0-9]{4,})(?![0-9,])")


def weight_kg(text: str, _now: datetime | None = None) -> str:
    """A weight as a plain decimal number of kilograms; ValueError if unusable."""
    value = text.strip()
    if value.startswith("-"):
        raise ValueError(f"weight {text[:40]!r} is negative")
    if _DECIMAL_COMMA.match(value):
        raise ValueError(
            f"weight {text[:40]!r}: a comma separates thousands only; write decimals "
            "with a point (2.5 kg)"
        )
    found = _WEIGHT.fullmatch(value)
    if found is None:
        raise ValueError(
            f"weight {text[:40]!r} is not a number with a unit (such as 12.5 kg, 500 g, 3 lb)"
        )
    number = Decimal(found["number"].replace(",", ""))
    unit = (found["unit"] or "kg").strip().rstrip(".").casefold()
    factor = KG_PER_UNIT.get(" ".join(unit.split()))
    if factor is None:
        hint = " (short or metric? write t or lb)" if unit in ("ton", "tons") else ""
        known = "mg, g, kg, t, oz, lb"
        raise ValueError(f"weight {text[:40]!r}: unknown unit {unit!r}{hint}; use {known}")
    if number <= 0:
        raise ValueError(f"weight {text[:40]!r} must be more than zero (leave it out if unknown)")
    if factor == 1 and _PLAIN.fullmatch(found["number"]):
        return found["number"]
    return format((number * factor).normalize(), "f")


def drug_name(text: str, _now: datetime | None = None) -> str:
    found = canonical_drug(text)
    if found is None:
        raise ValueError(f"unknown drug {text[:40]!r}: expected one of {', '.join(DRUGS)}")
    return found


def not_future(text: str, now: datetime) -> str:
    """A FollowTheMoney date (``YYYY[-MM[-DD[Thh[:mm[:ss]]]]]``, UTC) not after ``now``."""
    stamp = now.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    if text > stamp[: len(text)]:
        raise ValueError(
            f"date {text} is in the future (it is now {stamp[: max(10, len(text))]})"
        )
    return text


def _bounded(what: str, low: Decimal, high: Decimal) -> Check:
    def check(text: str, _now: datetime | None = None) -> str:
        value = text.strip()
        number = value[:-1].strip() if what == "purity" and value.endswith("%") else value
        if not _SIGNED.fullmatch(number) or not low <= Decimal(number) <= high:
            raise ValueError(f"{what} {text[:40]!r} is not a number from {low} to {high}")
        return number

    return check


def pill_count(text: str, _now: datetime | None = None) -> str:
    value = text.strip()
    if not re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+", value):
        raise ValueError(f"pill count {text[:40]!r} is not a whole number")
    return value.replace(",", "")


#: Checks by schema and property (dates are added for every date property).
CHECKS: dict[str, dict[str, Check]] = {
    "Seizure": {
        "grossWeight": weight_kg,
        "netWeight": weight_kg,
        "drug": drug_name,
        "purity": _bounded("purity", Decimal(0), Decimal(100)),
        "pillCount": pill_count,
        "latitude": _bounded("latitude", Decimal(-90), Decimal(90)),
        "longitude": _bounded("longitude", Decimal(-180), Decimal(180)),
    },
}


@cache
def _checks_by_name(schema_name: str) -> Mapping[str, Check]:
    schema: Any = get_model()[schema_name]
    out: dict[str, Check] = {}
    for ancestor in schema.schemata:
        own = CHECKS.get(ancestor.name)
        if own is None:
            continue
        out.update(own)
        for name, prop in schema.properties.items():
            if prop.type.name == "date":
                out.setdefault(name, not_future)
    return out


def value_checks(schema: Any) -> Mapping[str, Check]:
    """The checks for the properties of ``schema`` (a FollowTheMoney schema)."""
    return _checks_by_name(schema.name)
