"""The person model on Splink (resolve/model.py, comparisons.py, decide.py, records.py).

One small link of two agencies' lists (tests/resolve/data), run once for the module:
variants found, brothers, cousins and namesakes kept apart, a CURP decisive.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tearline.resolve.decide import FIRMER, Decision, Judged, one_to_one, settle
from tearline.resolve.entity_lines import read_entities
from tearline.resolve.model import dedupe, link
from tearline.resolve.records import person

DATA = Path(__file__).parent / "data"


def _file(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def judged() -> dict[tuple[str, str], Judged]:
    left = read_entities(_file("left.jsonl"), "left").records
    right = read_entities(_file("right.jsonl"), "right").records
    return {(p.left, p.right): p for p in link(left, right)}


def _expected() -> list[dict[str, str]]:
    with (DATA / "expected_pairs.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _expected(), ids=lambda r: f"{r['left']}-{r['right']}")
def test_decisions_on_the_cross_agency_pairs(judged: dict[tuple[str, str], Judged],
                                             row: dict[str, str]) -> None:
    pair = judged.get((row["left"], row["right"]))
    decision = pair.decision if pair else Decision.NO_MATCH
    assert decision == row["decision"], (row["why"], pair)


def test_no_other_pair_is_a_match(judged: dict[tuple[str, str], Judged]) -> None:
    expected = {(r["left"], r["right"]) for r in _expected() if r["decision"] == "match"}
    assert {k for k, p in judged.items() if p.decision is Decision.MATCH} == expected


def test_reasons_name_the_evidence(judged: dict[tuple[str, str], Judged]) -> None:
    assert judged[("mx-3", "us-4")].reasons[0] == "decided by identity number: CURP agrees"
    two = judged[("mx-2", "us-2")].reasons
    assert "given name abbreviated to an initial" in two
    assert "dates of birth differ by a typo" in two
    assert "maternal surname dropped" in two


def test_dedupe_finds_the_duplicate_within_one_list() -> None:
    records = [person("1", "Rafael Caro Quintero", birth_date="1952-10-24"),
               person("2", "CARO QUINTERO, Rafael", birth_date="24/10/1952"),
               person("3", "Miguel Caro Quintero", birth_date="1963-06-14")]
    found = {(p.left, p.right): p.decision for p in dedupe(records)}
    matches = {frozenset(k) for k, d in found.items() if d is Decision.MATCH}
    assert matches == {frozenset({"1", "2"})}


def _pair(left: str, right: str, score: float, decision: Decision,
          reasons: tuple[str, ...] = ()) -> Judged:
    return Judged(left, right, score, decision, reasons)


def test_one_to_one_keeps_the_best_match_and_reviews_the_rest() -> None:
    pairs = [_pair("a", "x", 0.9, Decision.MATCH), _pair("a", "y", 0.8, Decision.MATCH),
             _pair("b", "y", 0.7, Decision.MATCH)]
    out = {(p.left, p.right): p.decision for p in one_to_one(pairs)}
    assert out == {("a", "x"): Decision.MATCH, ("a", "y"): Decision.REVIEW,
                   ("b", "y"): Decision.MATCH}


def test_names_alone_are_accepted_only_without_a_close_competitor() -> None:
    alone = _pair("a", "x", 0.4, Decision.REVIEW, ("names agree",))
    rival = _pair("b", "x", 0.3, Decision.REVIEW, ("names agree",))
    far = _pair("c", "x", 0.01, Decision.NO_MATCH, ("names differ",))
    assert settle([alone, far])[0].decision is Decision.MATCH
    assert settle([alone, rival])[0].decision is Decision.REVIEW
    against = _pair("a", "x", 0.4, Decision.REVIEW, ("names agree", "sex differs"))
    assert settle([against])[0].decision is Decision.REVIEW
    typo = _pair("a", "x", 0.03, Decision.REVIEW, ("dates of birth differ by a typo",
                                                   "names agree but for a variant"))
    assert settle([typo])[0].decision is Decision.REVIEW


def test_a_slip_in_the_name_does_not_count_against_names_alone() -> None:
    slip = _pair("a", "x", 0.15, Decision.REVIEW, (
        "paternal surname: spelling differs by a slip (letters swapped, dropped or doubled)",
        "names agree but for a variant", "sex agrees"))
    assert settle([slip])[0].decision is Decision.MATCH


def test_a_candidate_told_apart_outright_is_no_rival() -> None:
    alone = _pair("a", "x", 0.03, Decision.REVIEW, ("names agree but for several variants",))
    namesake = _pair("a", "y", 0.02, Decision.REVIEW, ("names agree", "dates of birth differ"))
    same_day = _pair("b", "x", 0.03, Decision.REVIEW, ("names differ", "dates of birth agree"))
    close = _pair("a", "z", 0.02, Decision.REVIEW, ("names agree but for a variant",))
    assert settle([alone, namesake, same_day])[0].decision is Decision.MATCH
    assert settle([alone, close])[0].decision is Decision.REVIEW


def test_a_name_read_another_way_is_not_accepted_on_names_alone() -> None:
    guess = _pair("a", "x", 0.03, Decision.REVIEW, (
        "compound given name shortened", "maternal surname dropped", "names read another way",
        "names agree but for several variants", "sex agrees"))
    assert settle([guess])[0].decision is Decision.REVIEW


def test_a_weaker_match_of_a_record_matched_firmly_elsewhere_goes_to_review() -> None:
    firm = _pair("a", "x", 0.9993, Decision.MATCH, ("names agree", "dates of birth agree"))
    typo = _pair("a", "y", 0.9654, Decision.MATCH, ("names agree but for a variant",
                                                    "dates of birth differ by a typo"))
    by_number = _pair("b", "y", 1.0, Decision.MATCH, ("decided by identity number: "
                                                      "passport number agrees",))
    other = _pair("c", "z", 0.9654, Decision.MATCH, ("names agree but for a variant",
                                                     "dates of birth differ by a typo"))
    out = {(p.left, p.right): p for p in settle([firm, typo, other])}
    assert out[("a", "y")].decision is Decision.REVIEW
    assert FIRMER in out[("a", "y")].reasons
    assert out[("a", "x")].decision is Decision.MATCH
    assert out[("c", "z")].decision is Decision.MATCH
    assert settle([typo, by_number])[0].decision is Decision.REVIEW
    same_year = _pair("a", "w", 0.9909, Decision.MATCH, ("names agree",
                                                         "dates of birth differ by a typo"))
    assert settle([firm, same_year])[1].decision is Decision.REVIEW
    # within one list a record may match two others (three records of one person)
    assert settle([firm, typo], one_list=True)[1].decision is Decision.MATCH


def test_a_rival_matched_firmly_elsewhere_competes_only_where_a_surname_is_missing() -> None:
    full = _pair("a", "x", 0.4, Decision.REVIEW, ("names agree", "sex agrees"))
    rival = _pair("b", "x", 0.4, Decision.REVIEW, ("names agree", "sex agrees"))
    b_elsewhere = _pair("b", "y", 0.999, Decision.MATCH, ("names agree", "dates of birth agree"))
    assert settle([full, rival])[0].decision is Decision.REVIEW
    assert settle([full, rival, b_elsewhere])[0].decision is Decision.MATCH
    dropped = _pair("a", "x", 0.15, Decision.REVIEW, ("maternal surname dropped",
                                                      "names agree but for a variant"))
    rival_dropped = _pair("b", "x", 0.15, Decision.REVIEW, ("maternal surname dropped",
                                                            "names agree but for a variant"))
    assert settle([dropped, rival_dropped, b_elsewhere])[0].decision is Decision.REVIEW
    assert settle([full, rival, b_elsewhere], one_list=True)[0].decision is Decision.REVIEW
