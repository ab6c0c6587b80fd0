"""The Remarks parser over real OFAC Remarks (cases in data/ofac_remarks_cases.json)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tearline.ingest.ofac_remarks import parse_remarks, split_facts

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "ofac_remarks_cases.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[case["why"][:60] for case in CASES])
def test_real_remarks(case: dict[str, Any]) -> None:
    remarks = parse_remarks(case["remarks"])
    facts: dict[str, list[str]] = defaultdict(list)
    for fact in remarks.facts:
        facts[fact.prop].append(fact.value)
    assert dict(facts) == case["facts"]
    assert list(remarks.links) == case["links"]
    assert len(remarks.warnings) == case["warnings"], remarks.warnings


def test_truncation_is_detected_by_the_missing_final_period() -> None:
    assert split_facts("DOB 1961; nationality Mexico.") == (
        ["DOB 1961", "nationality Mexico"],
        False,
    )
    assert split_facts("DOB 1961; nationality Mex") == (["DOB 1961", "nationality Mex"], True)
    assert split_facts("") == ([], False)


def test_a_cut_off_last_fact_is_never_used() -> None:
    remarks = parse_remarks("DOB 1961; Passport G0480")
    assert [(f.prop, f.value) for f in remarks.facts] == [("birthDate", "1961")]
    assert "Passport G0480" in remarks.warnings[0]


def test_unknown_facts_are_kept_apart_not_guessed() -> None:
    remarks = parse_remarks("Member of the Upper House of Parliament; DOB: 10 October 1969.")
    assert remarks.facts == ()
    assert remarks.unparsed == ("Member of the Upper House of Parliament", "DOB: 10 October 1969")


def test_aliases_kinds_and_quotes() -> None:
    remarks = parse_remarks("a.k.a. 'EL MAYO'; f.k.a. 'GUADALAJARA CARTEL'; n.k.a. 'NEW NAME'.")
    assert [(f.prop, f.value) for f in remarks.facts] == [
        ("weakAlias", "EL MAYO"),
        ("previousName", "GUADALAJARA CARTEL"),
        ("alias", "NEW NAME"),
    ]


def test_identifier_decorations_are_removed_but_not_identifier_letters() -> None:
    remarks = parse_remarks(
        "Passport No.: 0310857, Eritrea, Issue Date 21 August 2006; "
        "National ID No. D489833(9) (Hong Kong); Passport NO12345 (Norway)."
    )
    assert [(f.prop, f.value) for f in remarks.facts] == [
        ("passportNumber", "0310857"),
        ("idNumber", "D489833(9)"),
        ("passportNumber", "NO12345"),
    ]
