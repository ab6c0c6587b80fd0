"""Values a report reads, checked where they become statements (``build_record``)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statement_keys import TEST_KEYER
from tearline.analysis.units import KG_PER_LB
from tearline.errors import ValidationError
from tearline.model.drugs import DRUGS, SYNONYMS, canonical_drug
from tearline.model.marking import Marking
from tearline.model.record import build_record
from tearline.model.statement import Provenance
from tearline.model.values import not_future, weight_kg
from tearline.sources.cbp import DRUG_NAMES

CASES = json.loads((Path(__file__).parent / "data" / "seizure_values.json").read_text("utf-8"))
NOW = datetime.fromisoformat(CASES["now"])
PROV = Provenance("us.dea", "us.dea.sod", NOW)


def _seizure(prop: str, value: str, prov: Provenance = PROV) -> Any:
    props = {"drug": ["fentanyl"], prop: [value]}
    return build_record("sz-1", "Seizure", props, prov, Marking.build("GREEN"), keyer=TEST_KEYER)


@pytest.mark.parametrize(("prop", "given", "stored"), CASES["accepted"])
def test_usable_values_are_stored_normalized(prop: str, given: str, stored: str) -> None:
    record = _seizure(prop, given)
    (statement,) = [s for s in record.statements if s.prop == prop and s.value == stored]
    assert statement.original_value == (None if given == stored else given)


@pytest.mark.parametrize(("prop", "given", "reason"), CASES["refused"])
def test_values_a_report_cannot_use_are_refused(prop: str, given: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        _seizure(prop, given)
    assert [(p.column, reason in p.message) for p in info.value.problems] == [(prop, True)]


def test_every_problem_of_a_record_is_listed() -> None:
    props = {"drug": ["tea"], "grossWeight": ["abc", "-2"], "date": ["2099-01-01"]}
    with pytest.raises(ValidationError) as info:
        build_record("sz-1", "Seizure", props, PROV, Marking.build("GREEN"), keyer=TEST_KEYER)
    assert sorted(p.column or "" for p in info.value.problems) == [
        "date", "drug", "grossWeight", "grossWeight"]


def test_the_future_is_the_provenance_time_not_the_clock() -> None:
    earlier = Provenance("us.dea", "us.dea.sod", datetime(2020, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match="in the future"):
        _seizure("date", "2021-06-01", earlier)
    assert _seizure("date", "2021-06-01").values("date") == ["2021-06-01"]


def test_other_schemata_keep_followthemoney_checks_only() -> None:
    # a sanction ending in the future is a fact, not a mistake
    sanction = build_record("s-1", "Sanction", {"entity": ["p-1"], "endDate": ["2099-01-01"]},
                            PROV, Marking.build("CLEAR"), keyer=TEST_KEYER)
    assert sanction.values("endDate") == ["2099-01-01"]


def test_the_vocabulary_covers_cbp_and_maps_every_synonym() -> None:
    assert set(DRUG_NAMES.values()) <= set(DRUGS)
    for name, aliases in SYNONYMS.items():
        assert name in DRUGS
        for alias in aliases:
            assert canonical_drug(alias) == name
            assert canonical_drug(alias.upper()) == name


@given(st.integers(min_value=1, max_value=10**12))
def test_grams_pounds_and_tonnes_become_exact_kilograms(n: int) -> None:
    assert Decimal(weight_kg(f"{n} g")) * 1000 == n
    assert Decimal(weight_kg(f"{n} lb")) == n * Decimal(str(KG_PER_LB))
    assert Decimal(weight_kg(f"{n} t")) == n * 1000
    assert weight_kg(f"{n}") == weight_kg(f"{n} kg") == str(n)


@given(st.dates(), st.datetimes(timezones=st.just(UTC)))
def test_a_day_is_accepted_until_it_is_in_the_future(day: date, now: datetime) -> None:
    accepted = True
    try:
        not_future(day.isoformat(), now)
    except ValueError:
        accepted = False
    assert accepted == (day <= now.date())
    # a month or a year counts from its first day
    assert _accepts(day.isoformat()[:7], now) == (day.replace(day=1) <= now.date())
    assert _accepts(day.isoformat()[:4], now) == (date(day.year, 1, 1) <= now.date())
    noon = datetime.combine(day, time(12), UTC)
    minute = noon.replace(tzinfo=None).isoformat(timespec="minutes")
    assert _accepts(minute, now) == (noon <= now.replace(second=0, microsecond=0))


def _accepts(text: str, now: datetime) -> bool:
    try:
        not_future(text, now)
    except ValueError:
        return False
    return True
