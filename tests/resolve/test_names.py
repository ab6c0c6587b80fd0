"""Spanish person names: parsing, comparison with reasons, blocking keys (resolve/names.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tearline.resolve.names import name_keys, name_similarity, parse_name

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("row", _rows("parse_cases.csv"), ids=lambda r: r["text"])
def test_parse_name_reads_given_names_surnames_and_nicknames(row: dict[str, str]) -> None:
    name = parse_name(row["text"])
    assert name.given == tuple(row["given"].split())
    assert name.paternal == row["paternal"]
    assert name.maternal == row["maternal"]
    assert name.nicknames == tuple(n for n in row["nicknames"].split("|") if n)


@pytest.mark.parametrize("row", _rows("name_pairs.csv"), ids=lambda r: f"{r['left']}~{r['right']}")
def test_name_similarity_separates_variants_from_relatives(row: dict[str, str]) -> None:
    evidence = name_similarity(parse_name(row["left"]), parse_name(row["right"]))
    if row["relation"] == "same":
        assert evidence.score >= 0.8, evidence
    else:
        assert evidence.score <= 0.2, evidence
    wanted = row["reason"]
    assert not wanted or any(wanted in reason for reason in evidence.reasons), evidence


@pytest.mark.parametrize("row", [r for r in _rows("name_pairs.csv") if r["relation"] == "same"],
                         ids=lambda r: f"{r['left']}~{r['right']}")
def test_spellings_of_one_person_share_a_blocking_key(row: dict[str, str]) -> None:
    assert name_keys(parse_name(row["left"])) & name_keys(parse_name(row["right"]))


@pytest.mark.parametrize("row", _rows("key_pairs.csv"), ids=lambda r: f"{r['left']}~{r['right']}")
def test_one_edit_in_a_surname_or_given_name_keeps_a_blocking_key(row: dict[str, str]) -> None:
    assert name_keys(parse_name(row["left"])) & name_keys(parse_name(row["right"])), row["why"]


def test_nicknames_are_weak_evidence_only() -> None:
    brothers = name_similarity(parse_name("Arturo Beltrán Leyva alias El Barbas"),
                               parse_name("Alfredo Beltrán Leyva alias El Barbas"))
    assert brothers.score <= 0.2
    same = name_similarity(parse_name("Arturo Beltrán Leyva alias El Barbas"),
                           parse_name("Arturo Beltrán alias El Barbas"))
    plain = name_similarity(parse_name("Arturo Beltrán Leyva"), parse_name("Arturo Beltrán"))
    assert "nickname shared: barbas" in same.reasons
    assert 0 < same.score - plain.score <= 0.05


def test_an_empty_name_matches_nothing() -> None:
    assert name_similarity(parse_name("  ,. "), parse_name("Juan Pérez")).score == 0.0


_WORDS = st.sampled_from(["José", "Luis", "María", "de", "la", "Garza", "Pérez", "López",
                          "Ma.", "J.", "Vázquez", "Guzmán", "alias", "El", "Chapo", "Cruz"])


@given(st.lists(_WORDS, min_size=1, max_size=6).map(" ".join),
       st.lists(_WORDS, min_size=1, max_size=6).map(" ".join))
def test_similarity_is_symmetric_bounded_and_reflexive(left: str, right: str) -> None:
    a, b = parse_name(left), parse_name(right)
    ab, ba = name_similarity(a, b), name_similarity(b, a)
    assert 0.0 <= ab.score <= 1.0
    assert ab.score == pytest.approx(ba.score, abs=1e-3)
    if a.given and a.paternal:
        assert name_similarity(a, a).score >= 0.99


def test_a_slip_costs_less_than_a_changed_letter() -> None:
    """Letters swapped or dropped are a typist's slip; a changed letter can make another
    name (Alejandra/Alejandro), so it stays the costlier typo."""
    slip = name_similarity(parse_name("Joaquín Valdez Pérez"), parse_name("Joaquín Valedz Pérez"))
    changed = name_similarity(parse_name("Alejandra Valdez Pérez"),
                              parse_name("Alejandro Valdez Pérez"))
    ending = name_similarity(parse_name("Daniel Valdez Pérez"), parse_name("Daniela Valdez Pérez"))
    assert slip.score >= 0.85 > max(changed.score, ending.score)
    assert any("slip" in reason for reason in slip.reasons)
