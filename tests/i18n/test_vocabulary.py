"""The vocabularies both the web pages and the reports show, in either language."""

from __future__ import annotations

import pytest

from tearline.i18n.vocabulary import TERMS, label
from tearline.model.drugs import DRUGS


@pytest.mark.parametrize(("kind", "value", "spanish"), [
    ("drug", "fentanyl", "fentanilo"),
    ("drug", "methamphetamine", "metanfetamina"),
    ("drug", "cocaine", "cocaína"),
    ("drug", "heroin", "heroína"),
    ("schema", "Seizure", "Aseguramiento"),
    ("schema", "Lab", "Laboratorio clandestino"),
    ("schema", "Operation", "Operativo"),
    ("weight", "gross", "peso bruto"),
    ("period", "fiscal_year", "año fiscal"),
    ("term", "clandestine_lab", "laboratorio clandestino"),
    ("country", "mx", "México"),
    ("country", "US", "Estados Unidos"),
])
def test_a_value_reads_in_spanish(kind: str, value: str, spanish: str) -> None:
    assert label(kind, value, "es_MX") == spanish


def test_english_is_the_vocabulary_s_own_label() -> None:
    assert label("drug", "other", "en_US") == "other drugs"
    assert label("schema", "Lab", "en_US") == "Clandestine laboratory"
    assert label("country", "cn", "en_US") == "China"


def test_every_drug_of_the_model_has_a_label() -> None:
    assert set(TERMS["drug"]) == set(DRUGS)


def test_a_value_outside_the_vocabulary_is_data_shown_as_stored() -> None:
    assert label("drug", "krokodil", "es_MX") == "krokodil"
    assert label("nonsense", "x", "es_MX") == "x"
    assert label("country", "qq", "es_MX") == "qq"
