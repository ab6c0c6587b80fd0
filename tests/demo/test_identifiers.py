"""Synthetic identifiers: VIN check digits, valid phone numbers, plates, Mexican names."""

from __future__ import annotations

import random

import phonenumbers
from faker import Faker

from tearline.demo.identifiers import mexican_name, phone_number, plate, vin, vin_is_valid


def test_vin_check_digit_matches_published_examples() -> None:
    assert vin_is_valid("1M8GDM9AXKP042788")  # the example of 49 CFR 565 guides
    assert vin_is_valid("11111111111111111")
    assert not vin_is_valid("1M8GDM9A1KP042788")
    assert not vin_is_valid("1M8GDM9AXKP04278")


def test_generated_vins_plates_and_phones() -> None:
    rng = random.Random(3)
    for year in (2010, 2017, 2023):
        assert vin_is_valid(vin(rng, "3N1", year))
    assert len(plate(rng, "California")) == 7
    assert plate(rng, "Sinaloa")[3] == "-"
    for country, prefix in (("mx", 52), ("us", 1)):
        for _ in range(50):
            parsed = phonenumbers.parse(phone_number(rng, country), None)
            assert parsed.country_code == prefix
            assert phonenumbers.is_valid_number(parsed)


def test_mexican_names_are_deterministic_and_have_two_distinct_surnames() -> None:
    def names(seed: int) -> list[str]:
        fake = Faker("es_MX")
        fake.seed_instance(seed)
        rng = random.Random(seed)
        return [mexican_name(rng, fake).full for _ in range(20)]

    assert names(1) == names(1) != names(2)
    fake = Faker("es_MX")
    fake.seed_instance(4)
    for _ in range(50):
        name = mexican_name(random.Random(4), fake)
        assert name.paternal != name.maternal
        assert name.full.endswith(f"{name.paternal} {name.maternal}")
