"""build_record: normalization (remembered), values already clean, and what is still refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from followthemoney import registry
from hypothesis import given, settings
from hypothesis import strategies as st

from statement_keys import TEST_KEYER
from tearline.errors import ValidationError
from tearline.model import normalize as normalize_module
from tearline.model.marking import Marking
from tearline.model.normalize import normalized
from tearline.model.record import MAX_VALUE_LENGTH, build_record, build_statements
from tearline.model.statement import Provenance

PROV = Provenance("us.dea", "us.dea.sod", datetime(2024, 5, 3, tzinfo=UTC))
MARKING = Marking.build("AMBER")

countries = st.sampled_from(["Mexico", "mx", "MX", "Colombia", "United States", "Narnia", "us"])
dates = st.dates(date(1900, 1, 1), date(2030, 1, 1)).map(str) | st.sampled_from(
    ["1961", "1961-09", "27 SEP 1961", "not a date", "1961-13-01"]
)
names = st.text(min_size=1, max_size=40)


@settings(deadline=None)  # the first country looked up loads FollowTheMoney's tables
@given(text=countries)
def test_normalized_country_is_followthemoney_clean(text: str) -> None:
    for _ in range(2):  # the remembered answer is the computed one
        assert normalized(registry.country, text) == registry.country.clean(text, fuzzy=False)


@settings(deadline=None)  # the first country looked up loads FollowTheMoney's tables
@given(text=dates)
def test_normalized_date_is_followthemoney_clean(text: str) -> None:
    for _ in range(2):
        assert normalized(registry.date, text) == registry.date.clean(text, fuzzy=False)


@settings(deadline=None)  # the first country looked up loads FollowTheMoney's tables
@given(text=names)
def test_normalized_name_is_followthemoney_clean(text: str) -> None:
    for _ in range(2):
        assert normalized(registry.name, text) == registry.name.clean(text, fuzzy=False)


def test_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalize_module, "CACHE_ENTRIES", 10)
    for i in range(35):
        assert normalized(registry.string, f"value {i}") == f"value {i}"
        assert len(normalize_module._NORMALIZED["string"]) <= 10
    long = "x" * (normalize_module.CACHE_VALUE_LENGTH + 1)
    assert normalized(registry.string, long) == long
    assert long not in normalize_module._NORMALIZED["string"]


@settings(deadline=None)  # the first country looked up loads FollowTheMoney's tables
@given(
    name=names.filter(lambda s: registry.name.clean(s) is not None),
    born=dates.filter(lambda s: registry.date.clean(s) is not None),
    country=countries.filter(lambda s: registry.country.clean(s) is not None),
)
def test_cleaned_values_give_the_same_record(name: str, born: str, country: str) -> None:
    """Values cleaned once by FollowTheMoney and passed as clean make the same statements
    as the same values cleaned again (cleaning is idempotent on its own output)."""
    clean = {
        "name": [registry.name.clean(name)],
        "birthDate": [registry.date.clean(born)],
        "nationality": [registry.country.clean(country)],
    }
    trusted = build_record("p-1", "Person", clean, PROV, MARKING, cleaned=True, keyer=TEST_KEYER)
    again = build_record("p-1", "Person", clean, PROV, MARKING, keyer=TEST_KEYER)
    assert trusted.statements == again.statements


def test_cleaned_values_are_stored_as_given() -> None:
    rec = build_record("p-1", "Person", {"nationality": ["mx"], "name": ["A B"]}, PROV, MARKING,
                       cleaned=True, keyer=TEST_KEYER)
    assert {s.prop: s.value for s in rec.statements} == {"nationality": "mx", "name": "A B"}
    assert all(s.original_value is None for s in rec.statements)


@pytest.mark.parametrize("cleaned", [False, True])
@pytest.mark.parametrize(
    ("props", "column", "message"),
    [
        ({"name": ["A"], "colour": ["red"]}, "colour", "no property"),
        ({"name": ["A"], "notes": ["x" * (MAX_VALUE_LENGTH + 1)]}, "notes", "exceeds the limit"),
        ({"name": ["A"], "notes": [{"a": 1}]}, "notes", "must be text"),
        ({"name": ["A"], "notes": [True]}, "notes", "must be text"),
        ({"name": ["A"], "membershipMember": ["org-1"]}, "membershipMember", "reverse property"),
    ],
)
def test_still_refused_when_cleaned(
    props: dict[str, list[object]], column: str, message: str, cleaned: bool
) -> None:
    with pytest.raises(ValidationError) as info:
        build_record("p-1", "Person", props, PROV, MARKING, cleaned=cleaned, keyer=TEST_KEYER)  # type: ignore[arg-type]
    assert any(p.column == column and message in p.message for p in info.value.problems)


@pytest.mark.parametrize("cleaned", [False, True])
def test_bad_entity_reference_refused_when_cleaned(cleaned: bool) -> None:
    with pytest.raises(ValidationError) as info:
        build_record("l-1", "UnknownLink", {"subject": ["bad id!"], "object": ["ofac-2"]}, PROV,
                     MARKING, cleaned=cleaned, keyer=TEST_KEYER)
    assert any(p.column == "subject" for p in info.value.problems)


def test_invalid_values_refused_and_all_reported() -> None:
    statements, problems = build_statements(
        "p-1", "Person", {"name": ["A"], "birthDate": ["soon"], "nationality": ["Narnia"]}, PROV,
            keyer=TEST_KEYER
    )
    assert {p.column for p in problems} == {"birthDate", "nationality"}
    assert [s.prop for s in statements] == ["name"]


def test_same_value_twice_is_one_statement() -> None:
    rec = build_record("p-1", "Person", {"nationality": ["Mexico", "mx", "MX"], "name": ["A"]},
                       PROV, MARKING, keyer=TEST_KEYER)
    nationality = [s for s in rec.statements if s.prop == "nationality"]
    assert len(nationality) == 1
    assert nationality[0].value == "mx"
    assert nationality[0].original_value == "Mexico"  # the first spelling given is kept
