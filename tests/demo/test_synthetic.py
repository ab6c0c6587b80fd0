"""The synthetic field-data generator: determinism, calibration to CBP, validity, links."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import phonenumbers
import pytest
from faker import Faker

from statement_keys import TEST_KEYER
from tearline.demo import scenario as sc
from tearline.demo.calibration import grams_of, target_grams
from tearline.demo.identifiers import vin_is_valid
from tearline.demo.synthetic import generate
from tearline.errors import InputError
from tearline.model.marking import SelectorKind, Tlp
from tearline.model.record import Record, entity_properties
from tearline.model.schema import get_model
from tearline.sources.cbp import default_cbp_paths, monthly_totals, read_cbp

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
HERE = Path(__file__).resolve().parent / "data"
DRUGS = ("fentanyl", "methamphetamine", "cocaine", "heroin", "marijuana")
E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


@pytest.fixture(scope="module")
def cbp() -> dict[tuple[date, str], float]:
    if not (DATA / "cbp").is_dir():
        pytest.fail(f"reference data missing: {DATA / 'cbp'} (see shared/data/README.md)")
    return monthly_totals(read_cbp(default_cbp_paths(DATA)))


@pytest.fixture(scope="module")
def org_names() -> list[str]:
    lines = (HERE / "org_names.txt").read_text("utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def records(cbp: dict[tuple[date, str], float], org_names: list[str]) -> list[Record]:
    return list(generate(7, cbp, org_names, scale=0.01,
                         start=date(2020, 1, 1), end=date(2020, 6, 1), keyer=TEST_KEYER))


def _us_grams(records: list[Record]) -> dict[tuple[date, str], int]:
    sums: dict[tuple[date, str], int] = defaultdict(int)
    for r in records:
        if r.schema == "Seizure" and r.values("country") == ["us"]:
            day = date.fromisoformat(r.values("date")[0])
            sums[(day.replace(day=1), r.values("drug")[0])] += grams_of(r.values("grossWeight")[0])
    return dict(sums)


def test_same_seed_same_records_other_seed_other_records(
    cbp: dict[tuple[date, str], float], org_names: list[str], records: list[Record]
) -> None:
    again = list(generate(7, cbp, org_names, scale=0.01,
                          start=date(2020, 1, 1), end=date(2020, 6, 1), keyer=TEST_KEYER))
    assert again == records
    other = list(generate(8, cbp, org_names, scale=0.01,
                          start=date(2020, 1, 1), end=date(2020, 6, 1), keyer=TEST_KEYER))
    assert [r.to_ftm() for r in other] != [r.to_ftm() for r in records]


def test_scale_one_sums_to_cbp_to_the_gram(
    cbp: dict[tuple[date, str], float], org_names: list[str]
) -> None:
    month = date(2019, 3, 1)
    cells = {(month, d): cbp[(month, d)] for d in ("fentanyl", "heroin", "cocaine")}
    sums = _us_grams(list(generate(11, cells, org_names, scale=1.0, keyer=TEST_KEYER)))
    assert set(sums) == set(cells)
    for key, pounds in cells.items():
        assert sums[key] == round(pounds * 453.59237)
        assert abs(sums[key] / 1000 - pounds * 0.45359237) <= 0.0005


def test_smaller_scale_is_proportional_in_every_cell(
    cbp: dict[tuple[date, str], float], org_names: list[str]
) -> None:
    month = date(2022, 11, 1)
    cells = {(month, d): cbp[(month, d)] for d in DRUGS}
    records = list(generate(5, cells, org_names, scale=0.02, keyer=TEST_KEYER))
    sums = _us_grams(records)
    for key, pounds in cells.items():
        assert sums[key] == target_grams(pounds, 0.02)
    assert sum(r.schema == "Seizure" for r in records) < 300


def test_every_record_is_valid_synthetic_and_from_the_scenario(records: list[Record]) -> None:
    model = get_model()
    units = {u.id: u.agency for u in sc.UNITS}
    for record in records:
        assert record.synthetic
        assert units[record.author] == record.originator
        data = record.to_ftm()
        schema = model.get(data["schema"])
        assert set(data["properties"]) <= set(schema.properties)
        assert schema.validate(data) is None
        for prop in schema.required:
            assert data["properties"].get(prop), (record.id, prop)


def test_every_kind_of_record_is_generated(records: list[Record]) -> None:
    kinds = Counter(r.schema for r in records)
    for schema in ("Seizure", "Lab", "Phone", "Vehicle", "Person", "Organization",
                   "Membership", "Associate", "UnknownLink"):
        assert kinds[schema] > 0, schema
    seizures = [r for r in records if r.schema == "Seizure"]
    assert {r.values("drug")[0] for r in seizures} == set(DRUGS)
    assert {"us", "mx"} == {r.values("country")[0] for r in seizures}
    assert {r.values("labStatus")[0] for r in records if r.schema == "Lab"} == {
        "active", "dismantled"}


def test_origin_shares_look_like_the_profiles(records: list[Record]) -> None:
    origins: dict[str, Counter[str]] = defaultdict(Counter)
    for r in records:
        if r.schema == "Seizure" and r.values("country") == ["us"]:
            origins[r.values("drug")[0]][r.values("originCountry")[0]] += 1
    fentanyl = origins["fentanyl"]
    assert fentanyl.most_common(1)[0][0] == "mx"
    assert set(origins["cocaine"]) <= {"co", "pe", "bo"}


def test_mexican_names_have_given_names_and_two_surnames(records: list[Record]) -> None:
    surnames = set(Faker("es_MX").provider("faker.providers.person").last_names)
    people = [r for r in records if r.schema == "Person"]
    assert len(people) > 50
    for person in people:
        name, last = person.values("name")[0], person.values("lastName")[0]
        assert name.startswith(person.values("firstName")[0] + " ")
        assert name.endswith(" " + last)
        words = last.split(" ")
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        assert any(a in surnames and b in surnames for a, b in splits), last
    aliases = [a for p in people for a in p.values("weakAlias")]
    assert aliases and all(a.startswith(("El ", "La ")) for a in aliases)


def test_phones_are_valid_e164_and_vins_validate(records: list[Record]) -> None:
    numbers = [n for r in records if r.schema == "Phone" for n in r.values("number")]
    assert numbers
    assert any(n.startswith("+52") for n in numbers)
    assert any(n.startswith("+1") for n in numbers)
    for number in numbers:
        assert E164.match(number), number
        assert phonenumbers.is_valid_number(phonenumbers.parse(number, None)), number
    vins = [v for r in records if r.schema == "Vehicle"
            for v in r.values("registrationNumber") if len(v) == 17]
    assert vins and all(vin_is_valid(v) for v in vins)


def test_profile_mix_produces_every_marking_kind(records: list[Record]) -> None:
    markings = [r.marking for r in records]
    assert {m.tlp for m in markings} == set(Tlp)
    assert any(m.orcon for m in markings)
    assert any(m.legal_basis == sc.SECURITY_FRAMEWORK for m in markings)
    assert any(m.legal_basis == sc.MLAT for m in markings)
    kinds = {s.kind for m in markings for s in m.releasable_to}
    assert kinds == set(SelectorKind)
    portions = {(s.schema, s.prop) for r in records for s in r.statements if s.marking}
    assert portions == set(sc.PORTIONS)
    for r in records:
        for s in r.statements:
            if s.marking is not None:
                assert s.marking.tlp.rank > r.marking.tlp.rank
    authors = Counter(r.originator for r in records)
    assert authors[sc.US_DEA] > authors[sc.MX_SEMAR] > 0 and authors[sc.MX_FGR] > 0


def test_relationships_point_to_generated_entities(records: list[Record]) -> None:
    by_id = {r.id: r for r in records}
    assert len(by_id) == len(records)
    expected = {
        ("Membership", "member"): {"Person"}, ("Membership", "organization"): {"Organization"},
        ("Associate", "person"): {"Person"}, ("Associate", "associate"): {"Person"},
        ("UnknownLink", "subject"): {"Person"}, ("UnknownLink", "object"): {"Phone", "Vehicle"},
        ("Seizure", "suspect"): {"Person"}, ("Seizure", "vehicle"): {"Vehicle"},
        ("Seizure", "seizingAgency"): {"Organization"}, ("Phone", "user"): {"Person"},
        ("Lab", "operator"): {"Person", "Organization"},
    }
    seen: set[tuple[str, str]] = set()
    for record in records:
        for prop in entity_properties(record.schema):
            for value in record.values(prop):
                assert value in by_id, (record.id, prop, value)
                assert by_id[value].schema in expected[(record.schema, prop)]
                seen.add((record.schema, prop))
    assert seen == set(expected)


def test_bad_arguments_are_input_errors(
    cbp: dict[tuple[date, str], float], org_names: list[str]
) -> None:
    with pytest.raises(InputError, match="scale"):
        list(generate(1, cbp, org_names, scale=0, keyer=TEST_KEYER))
    with pytest.raises(InputError, match="organization"):
        list(generate(1, cbp, [], keyer=TEST_KEYER))
    with pytest.raises(InputError, match="no CBP month"):
        list(generate(1, cbp, org_names, start=date(2030, 1, 1), keyer=TEST_KEYER))
